"""Report rows: asked for in the caller's transaction, built once, re-claimed when a worker dies, scheduled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from reports import services, tasks
from reports.models import Report
from tests.celery_fixtures import broker_unreachable
from tests.factories import CampaignFactory

Status = Report.Status


def report_files(media_root: Path) -> list[Path]:
    return sorted(media_root.rglob("*.xlsx"))


def stored(report: Report, **fields) -> Report:
    """The report as a worker would have left it (fields written straight to the row)."""
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


# --- Asking for a report -----------------------------------------------------------------------------


def test_a_request_is_a_row_written_in_the_callers_transaction_and_built_after_commit(
    campaign, leader, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.report_request(
            actor=leader, campaign=campaign, date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 5, 31)
        )
        # Inside the transaction: the row is there, nothing is being built yet.
        assert Report.objects.get().status == Status.PENDING

    assert len(callbacks) == 1
    assert report_files(media_root) == []
    callbacks[0]()  # the commit: the (eager) build task runs

    report.refresh_from_db()
    assert (report.status, report.progress, report.attempts) == (Status.DONE, 100, 1)
    assert (report.kind, report.requested_by, report.key) == (Report.Kind.ON_DEMAND, leader, "")
    assert (report.date_from, report.date_to) == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert report.finished_at is not None
    assert report.lease_until is None
    assert report_files(media_root) == [Path(report.file.path)]


def test_a_request_whose_transaction_rolls_back_leaves_no_row_and_queues_nothing(
    campaign, leader, django_capture_on_commit_callbacks
):
    @transaction.atomic
    def request_then_fail() -> None:
        services.report_request(actor=leader, campaign=campaign)
        raise RuntimeError("the caller failed afterwards")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        request_then_fail()

    assert callbacks == []
    assert not Report.objects.exists()


def test_a_request_with_the_end_before_the_start_is_refused(campaign, leader):
    with pytest.raises(ValidationError) as refused:
        services.report_request(
            actor=leader, campaign=campaign, date_from=dt.date(2025, 5, 31), date_to=dt.date(2025, 5, 1)
        )

    assert refused.value.message_dict == {"date_to": ["截止日期不能早于起始日期。"]}
    assert not Report.objects.exists()


def test_a_request_succeeds_with_the_broker_unreachable_and_the_sweep_builds_it_later(
    campaign, leader, media_root, django_capture_on_commit_callbacks
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.report_request(actor=leader, campaign=campaign)

    assert len(callbacks) == 1  # it ran, and its failure to publish was swallowed
    report.refresh_from_db()
    assert report.status == Status.PENDING
    assert report_files(media_root) == []
    # The sweep leaves a just-made request a minute for its own message; this one has none.
    assert services.reports_due(now=timezone.now()) == []
    stored(report, created_at=timezone.now() - dt.timedelta(minutes=2))

    assert tasks.sweep() == 1

    report.refresh_from_db()
    assert report.status == Status.DONE
    assert len(report_files(media_root)) == 1


# --- Building it once -------------------------------------------------------------------------------


def test_a_report_is_built_once_and_a_second_build_does_nothing(campaign, leader, media_root):
    report = services.report_request(actor=leader, campaign=campaign)

    built = services.report_build(report_id=report.pk)
    again = services.report_build(report_id=report.pk)

    assert again is None
    assert built is not None
    assert (built.status, built.progress, built.attempts) == (Status.DONE, 100, 1)
    [path] = report_files(media_root)
    assert path == Path(built.file.path)
    assert load_workbook(path, read_only=True).sheetnames[0] == "总览"
    built.refresh_from_db()
    assert built.attempts == 1


def test_progress_is_reported_while_building(campaign, leader, monkeypatch):
    report = services.report_request(actor=leader, campaign=campaign)
    seen: list[tuple[str, int]] = []
    real_build = services.write_workbook

    def watched_build(*args, progress, **kwargs):
        def spy(percent: int) -> None:
            progress(percent)
            row = Report.objects.get(pk=report.pk)
            seen.append((row.status, row.progress))

        return real_build(*args, progress=spy, **kwargs)

    monkeypatch.setattr(services, "write_workbook", watched_build)

    services.report_build(report_id=report.pk)

    assert [status for status, _ in seen] == [Status.RUNNING] * len(seen)
    percents = [percent for _, percent in seen]
    assert percents == sorted(percents)
    assert 0 < percents[0] < 99
    assert percents[-1] == 99  # 100 only once the file is stored


def test_a_worker_whose_lease_ran_out_does_not_store_a_second_file(campaign, leader, media_root, monkeypatch):
    report = services.report_request(actor=leader, campaign=campaign)
    real_build = services.write_workbook
    other_worker: list[Report | None] = []
    calls: list[int] = []

    def slow_build(*args, **kwargs):
        # While the first worker builds, its lease runs out and a second worker takes the report over.
        calls.append(1)
        if len(calls) == 1:
            Report.objects.filter(pk=report.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
            other_worker.append(services.report_build(report_id=report.pk))
        return real_build(*args, **kwargs)

    monkeypatch.setattr(services, "write_workbook", slow_build)

    first = services.report_build(report_id=report.pk)

    assert other_worker[0] is not None
    assert other_worker[0].status == Status.DONE
    assert first is not None
    assert first.status == Status.DONE
    assert len(report_files(media_root)) == 1
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Status.DONE, 2)


def test_a_running_report_is_not_built_again_while_its_lease_holds(campaign, leader, media_root):
    report = services.report_request(actor=leader, campaign=campaign)
    now = timezone.now()
    stored(
        report, status=Status.RUNNING, attempts=1, started_at=now, lease_until=now + dt.timedelta(minutes=9)
    )

    assert services.report_build(report_id=report.pk) is None
    assert services.reports_due(now=timezone.now()) == []
    assert report_files(media_root) == []


def test_a_running_report_whose_worker_died_is_reclaimed_by_the_sweep(campaign, leader, media_root):
    report = services.report_request(actor=leader, campaign=campaign)
    now = timezone.now()
    stored(report, status=Status.RUNNING, attempts=1, progress=40, started_at=now, lease_until=now)

    assert services.reports_due(now=now + dt.timedelta(seconds=1)) == [report.pk]
    assert tasks.sweep() == 1

    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress) == (Status.DONE, 2, 100)
    assert len(report_files(media_root)) == 1


def test_reports_due_are_lost_requests_and_abandoned_builds_only(campaign, leader):
    now = timezone.now()
    earlier = now - dt.timedelta(minutes=2)

    def make(**fields) -> Report:
        return stored(services.report_request(actor=leader, campaign=campaign), **fields)

    lost = make(created_at=earlier)
    make()  # just asked for: its own message is on the way
    abandoned = make(status=Status.RUNNING, attempts=1, lease_until=now - dt.timedelta(seconds=1))
    make(status=Status.RUNNING, attempts=1, lease_until=now + dt.timedelta(minutes=5))
    make(status=Status.DONE, attempts=1, created_at=earlier)
    make(status=Status.FAILED, attempts=services.MAX_ATTEMPTS, created_at=earlier)
    make(status=Status.RUNNING, attempts=services.MAX_ATTEMPTS, lease_until=now - dt.timedelta(seconds=1))

    assert services.reports_due(now=now) == [lost.pk, abandoned.pk]


def test_a_failing_build_is_retried_and_given_up_after_the_last_attempt(
    campaign, leader, media_root, monkeypatch
):
    report = services.report_request(actor=leader, campaign=campaign)

    def broken_build(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "write_workbook", broken_build)

    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with pytest.raises(OSError, match="No space left"):
            services.report_build(report_id=report.pk)
        report.refresh_from_db()
        expected = Status.FAILED if attempt == services.MAX_ATTEMPTS else Status.PENDING
        assert (report.status, report.attempts, report.error) == (
            expected,
            attempt,
            "No space left on device",
        )
        assert report.lease_until is None

    assert services.report_build(report_id=report.pk) is None
    assert report_files(media_root) == []


# --- Schedules --------------------------------------------------------------------------------------


@pytest.fixture
def campaigns(db):
    today = timezone.localdate()
    return {
        "running": CampaignFactory(year=2025, start_date=today - dt.timedelta(days=10), end_date=today),
        "open": CampaignFactory(year=2026, start_date=None, end_date=None),
        "ended": CampaignFactory(
            year=2024, start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=300)
        ),
        "future": CampaignFactory(year=2027, start_date=today + dt.timedelta(days=30), end_date=None),
    }


def test_the_weekly_report_is_made_once_per_running_campaign_whatever_the_beats(
    campaigns, media_root, django_capture_on_commit_callbacks
):
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.reports_schedule_weekly(today=today)
        second = services.reports_schedule_weekly(today=today)

    assert second == []
    assert {r.campaign for r in first} == {campaigns["running"], campaigns["open"]}
    reports = Report.objects.all()
    assert {(r.kind, r.key, r.date_to, r.requested_by) for r in reports} == {
        (Report.Kind.WEEKLY, f"weekly:{today}", today, None)
    }
    assert reports.count() == 2
    assert set(reports.values_list("status", flat=True)) == {Status.DONE}
    assert len(report_files(media_root)) == 2


def test_next_weeks_report_is_a_new_row(campaigns):
    today = timezone.localdate()

    services.reports_schedule_weekly(today=today)
    services.reports_schedule_weekly(today=today + dt.timedelta(days=7))

    assert Report.objects.filter(campaign=campaigns["open"]).count() == 2
    assert Report.objects.filter(campaign=campaigns["running"]).count() == 1  # it has ended by then


def test_the_final_report_is_made_once_for_campaigns_that_have_ended(campaigns):
    today = timezone.localdate()

    first = services.reports_schedule_final(today=today)
    second = services.reports_schedule_final(today=today)

    assert second == []
    assert {(r.campaign, r.kind, r.key, r.date_to) for r in first} == {
        (campaigns["running"], Report.Kind.FINAL, "final", today),  # ends today
        (campaigns["ended"], Report.Kind.FINAL, "final", campaigns["ended"].end_date),
    }
    assert Report.objects.count() == 2


def test_the_schedule_tasks_use_todays_date_in_shanghai(campaigns):
    assert tasks.schedule_weekly() == 2
    assert tasks.schedule_weekly() == 0
    assert tasks.schedule_final() == 2
    assert tasks.schedule_final() == 0
    assert Report.objects.filter(key=f"weekly:{timezone.localdate()}").count() == 2
