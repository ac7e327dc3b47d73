"""/reports/: leadership and the bureau admin list, request and download; offices get 403."""

from __future__ import annotations

import datetime as dt
import io
import urllib.parse

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports import services
from reports.models import Report

LIST = "/reports/"
REQUEST = "/reports/request/"
Status = Report.Status


@pytest.fixture
def done_report(campaign, leader) -> Report:
    report = services.report_request(actor=leader, campaign=campaign)
    built = services.report_build(report_id=report.pk)
    assert built is not None
    return built


@pytest.fixture
def pending_report(campaign, leader) -> Report:
    return services.report_request(actor=leader, campaign=campaign)


def status_url(report: Report) -> str:
    return f"/reports/{report.pk}/status/"


def download_url(report: Report) -> str:
    return f"/reports/{report.pk}/download/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who may do what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_see_every_report(
    client, request, actor, done_report, pending_report
):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(LIST)

    assert response.status_code == 200
    assert [r.pk for r in response.context["reports"]] == [pending_report.pk, done_report.pk]
    assert response.context["can_request"] is True
    assert download_url(done_report) in response.content.decode()
    assert download_url(pending_report) not in response.content.decode()


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_can_request_a_report(
    client, request, actor, campaign, media_root, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(actor)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            REQUEST, {"campaign": campaign.pk, "date_from": "2025-05-01", "date_to": "2025-05-31"}
        )

    assert response.status_code == 302
    assert response["Location"] == LIST
    report = Report.objects.get()
    assert (report.requested_by, report.campaign, report.kind) == (user, campaign, Report.Kind.ON_DEMAND)
    assert (report.date_from, report.date_to) == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == Status.DONE
    assert messages_of(client.get(LIST)) == ["已提交生成请求，完成后可在下方下载。"]


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_can_download_a_finished_report(client, request, actor, done_report):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(download_url(done_report))

    assert response.status_code == 200
    disposition = urllib.parse.unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert done_report.filename in disposition
    content = b"".join(response.streaming_content)
    response.close()
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames[:3] == ["总览", "任务完成情况", "专项检查统计表"]


def test_office_users_get_403_everywhere_and_change_nothing(client, office_a, campaign, done_report):
    client.force_login(office_a)

    assert client.get(LIST).status_code == 403
    assert client.post(REQUEST, {"campaign": campaign.pk}).status_code == 403
    assert client.get(status_url(done_report)).status_code == 403
    assert client.get(download_url(done_report)).status_code == 403
    assert Report.objects.count() == 1


def test_office_users_get_no_reports_link(client, office_a, leader):
    client.force_login(office_a)
    assert 'href="/reports/"' not in client.get("/inbox/").content.decode()

    client.force_login(leader)
    assert 'href="/reports/"' in client.get("/inbox/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, campaign, done_report):
    for response in (
        client.get(LIST),
        client.post(REQUEST, {"campaign": campaign.pk}),
        client.get(status_url(done_report)),
        client.get(download_url(done_report)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert Report.objects.count() == 1


# --- Bad requests ---------------------------------------------------------------------------------------


def test_a_date_range_ending_before_it_starts_is_refused_with_a_message(client, leader, campaign):
    client.force_login(leader)

    response = client.post(
        REQUEST, {"campaign": campaign.pk, "date_from": "2025-05-31", "date_to": "2025-05-01"}, follow=True
    )

    assert response.redirect_chain == [(LIST, 302)]
    assert messages_of(response) == ["统计截止日期：截止日期不能早于起始日期。"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_a_date_that_is_not_a_date_is_refused_with_a_message_naming_the_field(
    client, leader, campaign, field
):
    client.force_login(leader)

    response = client.post(REQUEST, {"campaign": campaign.pk, field: "2025-13-45"}, follow=True)

    label = {"date_from": "统计起始日期", "date_to": "统计截止日期"}[field]
    assert messages_of(response) == [f"{label}：输入一个有效的日期。"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("campaign_value", ["", "999999", "abc"])
def test_a_request_without_a_valid_campaign_is_refused_with_a_message(
    client, leader, campaign, campaign_value
):
    client.force_login(leader)

    response = client.post(REQUEST, {"campaign": campaign_value}, follow=True)

    [message] = messages_of(response)
    assert message.startswith("活动：")
    assert not Report.objects.exists()


def test_requesting_needs_a_post(client, leader, campaign):
    client.force_login(leader)

    assert client.get(REQUEST).status_code == 405
    assert not Report.objects.exists()


# --- Progress and download ------------------------------------------------------------------------------


def test_status_of_a_waiting_report(client, leader, pending_report):
    client.force_login(leader)

    response = client.get(status_url(pending_report))

    assert response.json() == {
        "status": "pending",
        "status_display": "排队中",
        "progress": 0,
        "failure_reason": "",
        "download_url": "",
    }


def test_status_of_a_report_being_built_shows_its_progress(client, bureau_admin, pending_report):
    Report.objects.filter(pk=pending_report.pk).update(
        status=Status.RUNNING, progress=40, lease_until=timezone.now() + dt.timedelta(minutes=5)
    )
    client.force_login(bureau_admin)

    response = client.get(status_url(pending_report))

    assert response.json() == {
        "status": "running",
        "status_display": "生成中",
        "progress": 40,
        "failure_reason": "",
        "download_url": "",
    }


def test_status_of_a_finished_report_links_its_download(client, leader, done_report):
    client.force_login(leader)

    response = client.get(status_url(done_report))

    assert response.json() == {
        "status": "done",
        "status_display": "已完成",
        "progress": 100,
        "failure_reason": "",
        "download_url": download_url(done_report),
    }


@pytest.mark.parametrize("status", [Status.PENDING, Status.RUNNING, Status.FAILED])
def test_a_report_that_is_not_done_cannot_be_downloaded(client, leader, pending_report, done_report, status):
    # Neither one never built, nor one with a file whose row is no longer done (being rebuilt, say).
    Report.objects.filter(pk__in=[pending_report.pk, done_report.pk]).update(status=status)
    client.force_login(leader)

    assert client.get(download_url(pending_report)).status_code == 404
    assert client.get(download_url(done_report)).status_code == 404


def test_an_unknown_report_is_404(client, leader):
    client.force_login(leader)

    assert client.get("/reports/424242/status/").status_code == 404
    assert client.get("/reports/424242/download/").status_code == 404


def test_the_list_query_count_does_not_grow_with_the_reports(
    client, leader, campaign, django_assert_num_queries
):
    client.force_login(leader)
    for _ in range(2):
        services.report_request(actor=leader, campaign=campaign)
    # 1 session, 2 user, 3-4 the user's own and group permissions, 5 count for the paginator, 6 the
    # page of reports with their campaign and requester, 7 the current campaign (form's initial),
    # 8 the user's groups (role in the header), 9 the campaign choices and 10 the unit choices of the
    # request form.
    with django_assert_num_queries(10):
        small = client.get(LIST)

    for _ in range(30):
        services.report_request(actor=leader, campaign=campaign)
    with django_assert_num_queries(10):
        large = client.get(LIST)

    assert len(small.context["reports"]) == 2
    assert len(large.context["reports"]) == 20


# --- The admin ------------------------------------------------------------------------------------------


def test_a_report_added_in_the_admin_is_requested_and_built(
    client, bureau_admin, campaign, media_root, django_capture_on_commit_callbacks
):
    client.force_login(bureau_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/reports/report/add/",
            {
                "campaign": campaign.pk,
                "kind": "on_demand",
                "format": "xlsx",
                "date_from": "2025-05-01",
                "date_to": "2025-05-31",
            },
        )

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.requested_by, report.status) == (bureau_admin, Status.DONE)


def test_the_admin_refuses_a_date_range_ending_before_it_starts(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.post(
        "/admin/reports/report/add/",
        {
            "campaign": campaign.pk,
            "kind": "on_demand",
            "format": "xlsx",
            "date_from": "2025-05-31",
            "date_to": "2025-05-01",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"date_to": ["截止日期不能早于起始日期。"]}
    assert not Report.objects.exists()
