from celery import shared_task

from evidence.services import pending_photos_sweep


@shared_task(name="evidence.sweep_pending_photos", autoretry_for=(Exception,), retry_backoff=True)
def sweep_pending_photos() -> int:
    return pending_photos_sweep()
