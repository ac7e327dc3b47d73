from celery import shared_task
from django.utils import timezone

from reports import services


@shared_task(name="reports.build_report", autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def build_report(report_id: int) -> None:
    services.report_build(report_id=report_id)


@shared_task(name="reports.sweep")
def sweep() -> int:
    due = services.reports_due(now=timezone.now())
    for report_id in due:
        build_report.delay(report_id)
    return len(due)


@shared_task(name="reports.schedule_weekly")
def schedule_weekly() -> int:
    return len(services.reports_schedule_weekly(today=timezone.localdate()))


@shared_task(name="reports.schedule_final")
def schedule_final() -> int:
    return len(services.reports_schedule_final(today=timezone.localdate()))
