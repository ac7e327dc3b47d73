from celery import shared_task
from django.utils import timezone

from publicity.alerts import opinion_deadline_alerts


@shared_task(
    name="publicity.opinion_deadline_alerts", autoretry_for=(Exception,), retry_backoff=True, max_retries=3
)
def opinion_deadline_alerts_task() -> dict[str, int]:
    run = opinion_deadline_alerts(now=timezone.now())
    return {"alerted": run.alerted, "already_alerted": run.already_alerted}
