"""A failed report says why and can be retried; a live worker keeps its short lease, a dead one loses it."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from campaigns.models import Campaign
from reports import services, tasks
from reports.models import Report

Status = Report.Status
LIST = "/reports/"


def retry_url(report: Report) -> str:
    return f"/reports/{report.pk}/retry/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def report_files(media_root: Path) -> list[Path]:
    return sorted(media_root.rglob("*.xlsx"))


def broken_build(*args, **kwargs):
    raise IllegalCharacterError("\x07 cannot be used in worksheets.")


@pytest.fixture
def failing_build(monkeypatch):
    monkeypatch.setattr(services, "write_workbook", broken_build)


@pytest.fixture
def failed_report(campaign, leader) -> Report:
    report = services.report_request(actor=leader, campaign=campaign)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "write_workbook", broken_build)
        for _attempt in range(services.MAX_ATTEMPTS):
            with pytest.raises(IllegalCharacterError):
                services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Status.FAILED
    return report


# --- The reason ----------------------------------------------------------------------------------------


def test_each_failed_attempt_stores_its_reason_and_the_last_one_fails_the_report(
    campaign, leader, failing_build
):
    report = services.report_request(actor=leader, campaign=campaign)

    with pytest.raises(IllegalCharacterError):
        services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.failure_reason) == (
        Status.PENDING,
        "第 1 次生成失败：数据中含有 Excel 无法保存的控制字符。",
    )

    for _attempt in range(2, services.MAX_ATTEMPTS + 1):
        with pytest.raises(IllegalCharacterError):
            services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Status.FAILED, services.MAX_ATTEMPTS)
    assert report.failure_reason == "第 3 次生成失败：数据中含有 Excel 无法保存的控制字符。"
    assert report.error == "\x07 cannot be used in worksheets."
    assert report.finished_at is not None


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (OSError("No space left on device"), "保存报表文件时出错（存储不可用或空间不足）。"),
        (ZeroDivisionError("division by zero"), "生成时出现程序错误（ZeroDivisionError）。"),
    ],
)
def test_the_reason_is_in_words_the_requester_can_act_on(exc, reason):
    assert services.failure_reason(exc) == reason


def test_the_requester_sees_the_reason_and_a_retry_button_on_the_list(client, leader, failed_report):
    client.force_login(leader)

    page = client.get(LIST).content.decode()
    status = client.get(f"/reports/{failed_report.pk}/status/").json()

    assert "第 3 次生成失败：数据中含有 Excel 无法保存的控制字符。" in page
    assert f'action="{retry_url(failed_report)}"' in page
    assert status["status"] == "failed"
    assert status["failure_reason"] == "第 3 次生成失败：数据中含有 Excel 无法保存的控制字符。"


def test_a_report_whose_last_attempt_lost_its_worker_is_failed_by_the_sweep_with_a_reason(campaign, leader):
    report = services.report_request(actor=leader, campaign=campaign)
    Report.objects.filter(pk=report.pk).update(
        status=Status.RUNNING,
        attempts=services.MAX_ATTEMPTS,
        progress=60,
        lease_until=timezone.now() - dt.timedelta(seconds=1),
    )

    assert tasks.sweep() == 0

    report.refresh_from_db()
    assert (report.status, report.lease_until) == (Status.FAILED, None)
    assert report.failure_reason == "生成过程中断了 3 次（如工作进程被终止），已停止重试。"


def test_legacy_control_characters_in_the_data_no_longer_fail_the_report(campaign: Campaign, leader):
    # Saved before control characters were refused (an update bypasses validation, as old rows did).
    Campaign.objects.filter(pk=campaign.pk).update(notice_issuer="巫山县\x07市场监督\x1b管理局")
    report = services.report_request(actor=leader, campaign=campaign)

    built = services.report_build(report_id=report.pk)

    assert built is not None
    assert (built.status, built.failure_reason) == (Status.DONE, "")
    with built.file.open("rb") as content:
        workbook = load_workbook(io.BytesIO(content.read()))
    # 填报单位 on every sheet is the campaign's issuing bureau.
    assert {sheet["A2"].value for sheet in workbook} == {"填报单位：巫山县市场监督管理局"}


# --- Retrying ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_a_failed_report_is_retried_from_the_list_and_built(
    client, request, actor, failed_report, media_root, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(actor))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(failed_report), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert messages_of(response) == ["已重新排队生成，完成后可在下方下载。"]
    failed_report.refresh_from_db()
    assert (failed_report.status, failed_report.attempts, failed_report.failure_reason) == (
        Status.DONE,
        1,
        "",
    )
    assert report_files(media_root) == [Path(failed_report.file.path)]


def test_retrying_queues_the_report_after_commit(leader, failed_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        retried = services.report_retry(actor=leader, pk=failed_report.pk)
        assert (retried.status, retried.attempts, retried.lease_until) == (Status.PENDING, 0, None)
        assert Report.objects.get(pk=failed_report.pk).status == Status.PENDING

    assert len(callbacks) == 1


def test_an_office_user_cannot_retry(client, office_a, failed_report):
    client.force_login(office_a)

    assert client.post(retry_url(failed_report)).status_code == 403
    failed_report.refresh_from_db()
    assert failed_report.status == Status.FAILED


def test_a_user_who_may_read_but_not_request_reports_cannot_retry(client, failed_report):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_report"))
    client.force_login(reader)

    assert client.post(retry_url(failed_report)).status_code == 403
    assert 'data-testid="retry-report"' not in client.get(LIST).content.decode()
    failed_report.refresh_from_db()
    assert failed_report.status == Status.FAILED


def test_an_unknown_report_is_404_to_retry(client, leader):
    client.force_login(leader)

    assert client.post("/reports/999999/retry/").status_code == 404


def test_retrying_needs_a_post(client, leader, failed_report):
    client.force_login(leader)

    assert client.get(retry_url(failed_report)).status_code == 405
    failed_report.refresh_from_db()
    assert failed_report.status == Status.FAILED


@pytest.mark.parametrize("status", [Status.PENDING, Status.RUNNING, Status.DONE])
def test_only_a_failed_report_can_be_retried(client, leader, campaign, status):
    report = services.report_request(actor=leader, campaign=campaign)
    Report.objects.filter(pk=report.pk).update(status=status, attempts=1)
    client.force_login(leader)

    response = client.post(retry_url(report), follow=True)

    assert messages_of(response) == [f"只有失败的报表可以重试，当前为“{Status(status).label}”。"]
    report.refresh_from_db()
    assert (report.status, report.attempts) == (status, 1)


# --- The lease -----------------------------------------------------------------------------------------


def test_a_claim_holds_a_short_lease(campaign, leader, monkeypatch, settings):
    settings.REPORTS_LEASE_SECONDS = 30
    report = services.report_request(actor=leader, campaign=campaign)
    seen: list[dt.datetime | None] = []

    def watched_build(*args, **kwargs):
        seen.append(Report.objects.get(pk=report.pk).lease_until)
        return b"xlsx"

    monkeypatch.setattr(services, "write_workbook", watched_build)
    before = timezone.now()

    services.report_build(report_id=report.pk)

    assert seen[0] is not None
    assert before + dt.timedelta(seconds=29) < seen[0] <= timezone.now() + dt.timedelta(seconds=30)


def test_progress_renews_the_lease(campaign, leader, monkeypatch):
    report = services.report_request(actor=leader, campaign=campaign)
    leases: list[dt.datetime | None] = []

    def build(*args, progress, **kwargs):
        Report.objects.filter(pk=report.pk).update(lease_until=timezone.now() + dt.timedelta(seconds=1))
        progress(50)
        leases.append(Report.objects.get(pk=report.pk).lease_until)
        return b"xlsx"

    monkeypatch.setattr(services, "write_workbook", build)

    services.report_build(report_id=report.pk)

    assert leases[0] is not None
    assert leases[0] > timezone.now() + dt.timedelta(seconds=20)


@pytest.mark.django_db(transaction=True)
def test_a_long_build_keeps_its_lease_and_no_second_worker_can_take_it(
    data_migrations, campaign, leader, monkeypatch, settings
):
    settings.REPORTS_LEASE_SECONDS = 0.6  # renewed every 0.2 s by the worker's lease keeper
    report = Report.objects.create(campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader)
    samples: list[tuple[dt.datetime, dt.datetime | None]] = []
    second_worker: list[Report | None] = []

    def long_build(*args, **kwargs):
        # Three seconds without a single progress call: five times the lease.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            samples.append((timezone.now(), Report.objects.get(pk=report.pk).lease_until))
            second_worker.append(services.report_build(report_id=report.pk))
            time.sleep(0.1)
        return b"xlsx"

    monkeypatch.setattr(services, "write_workbook", long_build)

    built = services.report_build(report_id=report.pk)

    assert built is not None
    assert (built.status, built.attempts) == (Status.DONE, 1)
    assert len(samples) > 20
    assert all(lease is not None and lease > now for now, lease in samples)
    assert second_worker == [None] * len(samples)
    assert services.reports_due(now=timezone.now() + dt.timedelta(seconds=5)) == []


# --- The admin -----------------------------------------------------------------------------------------


def test_the_admin_shows_the_reason_and_retries_failed_reports_through_the_service(
    client, bureau_admin, failed_report, campaign, leader, django_capture_on_commit_callbacks
):
    done = services.report_request(actor=leader, campaign=campaign)
    Report.objects.filter(pk=done.pk).update(status=Status.DONE, attempts=1)
    client.force_login(bureau_admin)

    changelist = client.get("/admin/reports/report/").content.decode()
    change = client.get(f"/admin/reports/report/{failed_report.pk}/change/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/reports/report/",
            {"action": "retry", "_selected_action": [failed_report.pk, done.pk]},
            follow=True,
        )

    assert "第 3 次生成失败：数据中含有 Excel 无法保存的控制字符。" in changelist
    assert "第 3 次生成失败：数据中含有 Excel 无法保存的控制字符。" in change
    assert "已重新排队 1 份报表。" in [str(m) for m in response.context["messages"]]
    failed_report.refresh_from_db()
    assert (failed_report.status, failed_report.attempts) == (Status.DONE, 1)
    assert Report.objects.get(pk=done.pk).attempts == 1
