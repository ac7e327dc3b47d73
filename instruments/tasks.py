import datetime as dt

from celery import shared_task
from django.utils import timezone

from instruments import reminders


@shared_task(
    name="instruments.send_owner_reminders", autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def send_owner_reminders(day: str | None = None) -> dict[str, int]:
    """Beat runs this daily at 08:40 Asia/Shanghai; reruns and retries the same day send nothing twice."""
    run = reminders.owner_reminders_send(day=dt.date.fromisoformat(day) if day else timezone.localdate())
    return {"due": run.due, "overdue": run.overdue}
