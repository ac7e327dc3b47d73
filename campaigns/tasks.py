from celery import shared_task
from django.utils import timezone

from campaigns import imports, reminders


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


# acks_late + reject_on_worker_lost: a worker killed mid-import gives its message back; the claim's
# lease decides who runs it, and the import is all or nothing, so nothing is imported twice.
@shared_task(
    name="campaigns.run_import_job",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_import_job(job_id: int) -> None:
    imports.import_job_run(job_id=job_id)


@shared_task(name="campaigns.sweep_import_jobs")
def sweep_import_jobs() -> int:
    """Beat runs this every minute: jobs whose worker died or whose message was lost are queued."""
    now = timezone.now()
    imports.import_jobs_fail_abandoned(now=now)
    due = imports.import_jobs_due(now=now)
    for job_id in due:
        run_import_job.delay(job_id)
    return len(due)
