from celery import shared_task
from django.utils import timezone

from reports import services


# acks_late + reject_on_worker_lost: a pool child killed mid-build gives its message back at once (the
# settings say so for every task; here it is the point). The claim's lease decides who builds, so a
# message delivered twice builds nothing twice.
@shared_task(
    name="reports.build_report",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def build_report(report_id: int) -> None:
    services.report_build(report_id=report_id)


@shared_task(name="reports.sweep")
def sweep() -> int:
    """Beat runs this every 15 seconds: reports whose worker died or whose message was lost are queued."""
    now = timezone.now()
    services.reports_fail_abandoned(now=now)
    due = services.reports_due(now=now)
    for report_id in due:
        build_report.delay(report_id)
    return len(due)


@shared_task(name="reports.schedule_weekly")
def schedule_weekly() -> int:
    return len(services.reports_schedule_weekly(today=timezone.localdate()))


@shared_task(name="reports.schedule_final")
def schedule_final() -> int:
    return len(services.reports_schedule_final(today=timezone.localdate()))
