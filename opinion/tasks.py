from celery import shared_task
from django.utils import timezone

from opinion.alerts import opinion_deadline_alerts


# Renamed from "publicity.opinion_deadline_alerts" with the app; migration 0002 points the beat row here.
@shared_task(name="opinion.deadline_alerts", autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def opinion_deadline_alerts_task() -> dict[str, int]:
    run = opinion_deadline_alerts(now=timezone.now())
    return {"alerted": run.alerted, "already_alerted": run.already_alerted}
