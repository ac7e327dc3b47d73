from celery import shared_task
from django.utils import timezone

from campaigns import reminders


@shared_task(
    name="campaigns.send_daily_reminders", autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def send_daily_reminders(day: str | None = None) -> dict[str, int]:
    """Beat runs this at 08:30 Asia/Shanghai; reruns and retries the same day send nothing twice."""
    import datetime as dt

    run = reminders.reminders_send(day=dt.date.fromisoformat(day) if day else timezone.localdate())
    return {
        "digests_created": run.digests_created,
        "digests_skipped": run.digests_skipped,
        "escalations_created": run.escalations_created,
    }
