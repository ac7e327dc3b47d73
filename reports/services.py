"""Every write to reports: asking for one, building it once, and the schedules."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import IllegalCharacterError

from campaigns.models import Campaign
from campaigns.reminders import active_campaigns
from core import jobs
from organizations.models import Unit
from reports.builders import Period, write_workbook
from reports.models import Report, SummaryTemplate
from reports.selectors import report_get_for_user
from reports.summary import write_summary

REQUEST_PERMISSION = "reports.add_report"

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
WEEK_DAYS = 7


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
    unit: Unit | None = None,
    format: str = Report.Format.XLSX,
) -> Report:
    """Ask for a report: the row is the request; the task builds it after commit."""
    report = Report(
        campaign=campaign,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        unit=unit,
        format=format,
        requested_by=actor,
    )
    report.full_clean()
    report.save()
    _queue(report.pk)
    return report


def report_schedule(
    *,
    campaign: Campaign,
    kind: str,
    key: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Report | None:
    """A scheduled report, made once per key whatever double beats or retries happen."""
    try:
        with transaction.atomic():
            report = Report.objects.create(
                campaign=campaign, kind=kind, key=key, date_from=date_from, date_to=date_to
            )
            _queue(report.pk)
    except IntegrityError:
        return None
    return report


def weekly_period(today: dt.date) -> Period:
    """本周: the seven days up to `today` (the Friday the beat runs on), new beside 累计."""
    start = today - dt.timedelta(days=WEEK_DAYS - 1)
    return Period(date_from=start, date_to=today, week_from=start)


def reports_schedule_weekly(*, today: dt.date) -> list[Report]:
    """This week's report (本周: the seven days up to today, beside 累计) for each active campaign."""
    return [
        report
        for campaign in active_campaigns(today)
        if (
            report := report_schedule(
                campaign=campaign,
                kind=Report.Kind.WEEKLY,
                key=f"weekly:{today}",
                date_from=weekly_period(today).date_from,
                date_to=today,
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


def preparer_name(user: Any) -> str:
    """填表人: who asked for the report (blank on a scheduled one)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS)


def _claim(report_id: int, now: dt.datetime) -> int | None:
    """Take the report for this worker: the attempt number it now holds, or None."""
    return jobs.job_claim(Report, report_id, now=now, lease=lease(), max_attempts=MAX_ATTEMPTS)


def _renew(report_id: int, attempt: int, **fields: Any) -> bool:
    """Extend the lease of the attempt still holding the report; False once it lost its claim."""
    return (
        jobs.job_held(Report, report_id, attempt).update(lease_until=timezone.now() + lease(), **fields) == 1
    )


class LeaseKeeper:
    """Renews the lease every third of it while the worker lives, however long one sheet takes.

    The lease is kept short (REPORTS_LEASE_SECONDS): a worker that is killed stops renewing, and the
    sweep hands its report to another worker soon after, instead of after minutes.
    """

    def __init__(self, report_id: int, attempt: int) -> None:
        self.report_id, self.attempt = report_id, attempt
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"report-{report_id}-lease", daemon=True)

    def _run(self) -> None:
        interval = max(lease().total_seconds() / 3, 0.1)
        try:
            while not self.stopped.wait(interval):
                try:
                    if not _renew(self.report_id, self.attempt):
                        return
                except DatabaseError:
                    logger.warning("report %s: lease not renewed", self.report_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self) -> LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)


def failure_reason(exc: BaseException) -> str:
    """The requester's words for what went wrong (the exception text stays in `error`)."""
    if isinstance(exc, IllegalCharacterError):
        return _("数据中含有 Excel 无法保存的控制字符。")
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("生成超时（数据量过大）。")
    if isinstance(exc, DatabaseError):
        return _("读取数据时数据库出错。")
    if isinstance(exc, OSError):
        return _("保存报表文件时出错（存储不可用或空间不足）。")
    return _("生成时出现程序错误（%(error)s）。") % {"error": type(exc).__name__}


def report_build(*, report_id: int) -> Report | None:
    """Build the report if nobody else is; None when it is done, failed, or being built elsewhere."""
    attempt = _claim(report_id, timezone.now())
    if attempt is None:
        return None
    report = Report.objects.select_related("campaign", "unit", "requested_by").get(pk=report_id)

    def progress(percent: int) -> None:
        # Each step also renews the lease: a live worker keeps its claim, a dead one loses it.
        _renew(report_id, attempt, progress=min(percent, 99))

    try:
        with LeaseKeeper(report_id, attempt), tempfile.TemporaryFile() as content:
            write = write_summary if report.format == Report.Format.DOCX else write_workbook
            write(
                report.campaign,
                content,
                period=Period(report.date_from, report.date_to, week_from=report.week_from),
                unit=report.unit,
                preparer=preparer_name(report.requested_by),
                progress=progress,
            )
            content.seek(0)
            with transaction.atomic():
                locked = Report.objects.select_for_update().get(pk=report_id)
                if locked.status != Report.Status.RUNNING or locked.attempts != attempt:
                    return locked  # another worker took over after our lease ran out
                locked.file.save(locked.filename, File(content), save=False)
                locked.status, locked.progress = Report.Status.DONE, 100
                locked.finished_at, locked.lease_until = timezone.now(), None
                locked.save()
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        status = Report.Status.FAILED if attempt >= MAX_ATTEMPTS else Report.Status.PENDING
        reason = _("第 %(attempt)d 次生成失败：%(reason)s") % {
            "attempt": attempt,
            "reason": failure_reason(exc),
        }
        Report.objects.filter(pk=report_id, attempts=attempt).update(
            status=status,
            error=str(exc)[:2000],
            failure_reason=reason[:500],
            lease_until=None,
            finished_at=timezone.now() if status == Report.Status.FAILED else None,
        )
        raise
    return locked


def reports_fail_abandoned(*, now: dt.datetime) -> int:
    """Reports whose last allowed attempt lost its worker: failed, with the reason, so they can be retried."""
    reason = _("生成过程中断了 %(attempts)d 次（如工作进程被终止），已停止重试。") % {
        "attempts": MAX_ATTEMPTS
    }
    return jobs.jobs_fail_abandoned(Report, now=now, max_attempts=MAX_ATTEMPTS, reason=reason)


@transaction.atomic
def report_retry(*, actor: Any, pk: int) -> Report:
    """Queue a failed report again, with a fresh set of attempts (whoever may see and request reports)."""
    report = report_get_for_user(user=actor, pk=pk)  # 404 out of sight, 403 without view permission
    if not actor.has_perm(REQUEST_PERMISSION):
        raise PermissionDenied
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Report.Status.FAILED:
        raise ValidationError(
            _("只有失败的报表可以重试，当前为“%(status)s”。") % {"status": locked.get_status_display()}
        )
    Report.objects.filter(pk=locked.pk).update(
        status=Report.Status.PENDING,
        attempts=0,
        progress=0,
        lease_until=None,
        started_at=None,
        finished_at=None,
        error="",
        failure_reason="",
    )
    _queue(locked.pk)
    locked.refresh_from_db()
    return locked


def reports_due(*, now: dt.datetime) -> list[int]:
    """Reports a sweep should queue: never picked up (lost message, broker down) or lost with a worker."""
    return jobs.jobs_due(Report, now=now, max_attempts=MAX_ATTEMPTS)


# --- The 工作总结's wording ---------------------------------------------------------------------------


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("没有修改工作总结模板的权限。"))


@transaction.atomic
def summary_template_save(
    *, actor: Any, template: SummaryTemplate | None, data: dict[str, Any]
) -> SummaryTemplate:
    """Create (`template` None) or edit one section of the 工作总结; the wording is checked (every
    {placeholder} must be a known figure) and the change is in the template's history under `actor`."""
    if template is None:
        _require(actor, "reports.add_summarytemplate")
        row = SummaryTemplate()
    else:
        _require(actor, "reports.change_summarytemplate")
        row = SummaryTemplate.objects.select_for_update().get(pk=template.pk)
    for name in SummaryTemplate.editable_fields:
        if name in data:
            setattr(row, name, data[name])
    row.full_clean()
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row


@transaction.atomic
def summary_template_delete(*, actor: Any, template: SummaryTemplate) -> None:
    """Remove one section (the shipped wording is used when no row is left); in the history."""
    _require(actor, "reports.delete_summarytemplate")
    row = SummaryTemplate.objects.select_for_update().get(pk=template.pk)
    row._history_user = actor  # type: ignore[attr-defined]
    row.delete()
