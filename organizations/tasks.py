from celery import shared_task

from organizations.security import security_events_prune


@shared_task(name="organizations.prune_security_events", autoretry_for=(Exception,), retry_backoff=True)
def prune_security_events() -> int:
    return security_events_prune()
