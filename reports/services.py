"""Every write to reports: asking for one, building it once, and the schedules."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.reminders import active_campaigns
from reports.builders import Period, build_workbook
from reports.models import Report

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 3


def _queue(report_id: int) -> None:
    from reports.tasks import build_report

    # robust: with the broker down the row still commits and the sweep queues it later.
    transaction.on_commit(lambda: build_report.delay(report_id), robust=True)


@transaction.atomic
def report_request(
    *,
    actor: Any,
    campaign: Campaign,
    kind: str = Report.Kind.ON_DEMAND,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Report:
    """Ask for a report: the row is the request; the task builds it after commit."""
    report = Report(campaign=campaign, kind=kind, date_from=date_from, date_to=date_to, requested_by=actor)
    report.full_clean()
    report.save()
    _queue(report.pk)
    return report


def report_schedule(
    *, campaign: Campaign, kind: str, key: str, date_to: dt.date | None = None
) -> Report | None:
    """A scheduled report, made once per key whatever double beats or retries happen."""
    try:
        with transaction.atomic():
            report = Report.objects.create(campaign=campaign, kind=kind, key=key, date_to=date_to)
            _queue(report.pk)
    except IntegrityError:
        return None
    return report


def reports_schedule_weekly(*, today: dt.date) -> list[Report]:
    return [
        report
        for campaign in active_campaigns(today)
        if (
            report := report_schedule(
                campaign=campaign, kind=Report.Kind.WEEKLY, key=f"weekly:{today}", date_to=today
            )
        )
    ]


def reports_schedule_final(*, today: dt.date) -> list[Report]:
    """The final report, once each campaign has reached its end date."""
    ended = Campaign.objects.filter(end_date__isnull=False, end_date__lte=today)
    return [
        report
        for campaign in ended
        if (
            report := report_schedule(
                campaign=campaign, kind=Report.Kind.FINAL, key="final", date_to=campaign.end_date
            )
        )
    ]


def _claim(report_id: int, now: dt.datetime) -> bool:
    claimable = Q(status=Report.Status.PENDING) | Q(status=Report.Status.RUNNING, lease_until__lt=now)
    return (
        Report.objects.filter(claimable, pk=report_id, attempts__lt=MAX_ATTEMPTS).update(
            status=Report.Status.RUNNING,
            lease_until=now + LEASE,
            attempts=F("attempts") + 1,
            started_at=now,
            progress=0,
            error="",
        )
        == 1
    )


def report_build(*, report_id: int) -> Report | None:
    """Build the report if nobody else is; None when it is done, failed, or being built elsewhere."""
    if not _claim(report_id, timezone.now()):
        return None
    report = Report.objects.select_related("campaign").get(pk=report_id)

    def progress(percent: int) -> None:
        # Each step also renews the lease: a live worker keeps its claim, a dead one loses it.
        Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
            progress=min(percent, 99), lease_until=timezone.now() + LEASE
        )

    try:
        content = build_workbook(
            report.campaign, period=Period(report.date_from, report.date_to), progress=progress
        )
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        status = Report.Status.FAILED if report.attempts >= MAX_ATTEMPTS else Report.Status.PENDING
        Report.objects.filter(pk=report_id).update(status=status, error=str(exc)[:2000], lease_until=None)
        raise
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report_id)
        if locked.status != Report.Status.RUNNING:
            return locked  # another worker finished it after our lease ran out
        locked.file.save(locked.filename, ContentFile(content), save=False)
        locked.status, locked.progress = Report.Status.DONE, 100
        locked.finished_at, locked.lease_until = timezone.now(), None
        locked.save()
    return locked


def reports_due(*, now: dt.datetime) -> list[int]:
    """Reports a sweep should queue: never picked up (lost message, broker down) or lost with a worker."""
    stale = Q(status=Report.Status.PENDING, created_at__lt=now - dt.timedelta(minutes=1)) | Q(
        status=Report.Status.RUNNING, lease_until__lt=now
    )
    return list(
        Report.objects.filter(stale, attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
