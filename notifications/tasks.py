from celery import shared_task
from django.utils import timezone

from notifications import services


@shared_task(
    name="notifications.deliver_digest", autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def deliver_digest(digest_id: int) -> None:
    services.digest_deliver(digest_id=digest_id)


@shared_task(name="notifications.sweep")
def sweep() -> int:
    """Re-queue digests that were never queued (broker down), partly failed, or lost with a worker."""
    due = services.digests_due(now=timezone.now())
    for digest_id in due:
        deliver_digest.delay(digest_id)
    return len(due)
