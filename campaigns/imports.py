"""Large .xlsx imports as jobs: the registry of import functions, and every write to an ImportJob.

Campaigns never imports a workstream: each app registers its import function from `AppConfig.ready`
under "app_label.model_name" (the admin that offers the import). The job follows reports/services.py:
the row is written with its file in the request, a task claims it with a lease and runs the import as
the requester, and a sweep re-queues a job whose lease ran out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, ImportJob
from core import jobs
from core import spreadsheets as xl
from organizations.models import User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Progress renews the lease while rows are validated; reading the file and the one saving transaction
# are silent, and take well under this for the largest allowed file.
LEASE = dt.timedelta(minutes=5)


class Importer(Protocol):
    def __call__(
        self, *, actor: Any, campaign: Campaign, upload: Any, progress: Callable[[int], None]
    ) -> list[Any]: ...


_registry: dict[str, Importer] = {}


def register_importer(key: str, func: Importer) -> None:
    existing = _registry.get(key)
    if existing is not None and existing is not func:
        raise ValueError(f"importer {key!r} is registered twice")
    _registry[key] = func


def get_importer(key: str) -> Importer | None:
    return _registry.get(key)


def _queue(job_id: int) -> None:
    from campaigns.tasks import run_import_job

    # robust: with the broker down the row still commits and the sweep queues it later.
    transaction.on_commit(lambda: run_import_job.delay(job_id), robust=True)


@transaction.atomic
def import_job_create(
    *, actor: User, importer: str, campaign: Campaign, upload: Any, total_rows: int = 0
) -> ImportJob:
    """Keep the file and ask for the import: the task runs it after commit."""
    if get_importer(importer) is None:
        raise ValueError(f"no importer {importer!r}")
    job = ImportJob(
        requested_by=actor,
        importer=importer,
        campaign=campaign,
        original_name=(upload.name or "")[:255],
        total_rows=total_rows,
    )
    job.file.save(upload.name or "import.xlsx", upload, save=False)
    job.full_clean()
    job.save()
    _queue(job.pk)
    return job


def import_job_get_for_user(*, user: User, pk: int) -> ImportJob:
    """The requester's own job (any job for a superuser); 404 for anyone else's."""
    jobs = ImportJob.objects.select_related("campaign")
    if not user.is_superuser:
        jobs = jobs.filter(requested_by=user)
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _claim(job_id: int, now: dt.datetime) -> int | None:
    """Take the job for this worker: the attempt number it now holds, or None."""
    return jobs.job_claim(ImportJob, job_id, now=now, lease=LEASE, max_attempts=MAX_ATTEMPTS)


def _finish(job_id: int, attempt: int, **fields: Any) -> bool:
    held = jobs.job_held(ImportJob, job_id, attempt)
    return held.update(lease_until=None, finished_at=timezone.now(), **fields) == 1


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run the import once, as its requester; None when it is finished or running elsewhere.

    Row errors, an unreadable file or a missing permission fail the job for good (running it again
    would fail the same way); any other error is retried up to MAX_ATTEMPTS times, as a report is.
    """
    attempt = _claim(job_id, timezone.now())
    if attempt is None:
        return None
    job = ImportJob.objects.select_related("campaign", "requested_by").get(pk=job_id)
    importer = get_importer(job.importer)

    def progress(percent: int) -> None:
        # Each step renews the lease too: a live worker keeps its claim, a dead one loses it.
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, attempts=attempt).update(
            progress=min(percent, 99), lease_until=timezone.now() + LEASE
        )

    try:
        if importer is None:
            raise LookupError(f"no importer {job.importer!r}")
        with job.file.open("rb") as upload:
            imported = importer(
                actor=job.requested_by, campaign=job.campaign, upload=upload, progress=progress
            )
    except xl.ImportFailed as exc:
        errors = [{"row": e.row, "messages": e.messages} for e in exc.errors]
        reason = _("有 %(count)d 行有误，未导入任何数据。") % {"count": len(errors)}
        _finish(job_id, attempt, status=ImportJob.Status.FAILED, row_errors=errors, failure_reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("您没有导入的权限。")]
        reason = "；".join(messages)[:500]
        _finish(job_id, attempt, status=ImportJob.Status.FAILED, failure_reason=reason)
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        status = ImportJob.Status.FAILED if attempt >= MAX_ATTEMPTS else ImportJob.Status.PENDING
        reason = _("第 %(attempt)d 次导入出错（%(error)s），未导入任何数据。") % {
            "attempt": attempt,
            "error": type(exc).__name__,
        }
        ImportJob.objects.filter(pk=job_id, attempts=attempt).update(
            status=status,
            error=str(exc)[:2000],
            failure_reason=reason[:500],
            lease_until=None,
            finished_at=timezone.now() if status == ImportJob.Status.FAILED else None,
        )
        raise
    else:
        # An importer of upserts says what each written row did; any other importer only registers.
        outcome = imported if isinstance(imported, xl.ImportOutcome) else None
        done = _finish(
            job_id,
            attempt,
            status=ImportJob.Status.DONE,
            progress=100,
            imported_count=len(imported),
            created_count=outcome.created if outcome is not None else len(imported),
            updated_count=outcome.updated if outcome is not None else 0,
            unchanged_count=outcome.unchanged if outcome is not None else 0,
        )
        if done:
            # The rows are saved; the uploaded file has no further use.
            job.file.delete(save=False)
            ImportJob.objects.filter(pk=job_id).update(file="")
    job.refresh_from_db()
    return job


def import_jobs_fail_abandoned(*, now: dt.datetime) -> int:
    """Jobs whose last allowed attempt lost its worker: failed, with the reason."""
    reason = _("导入过程中断了 %(attempts)d 次（如工作进程被终止），已停止重试，未导入任何数据。") % {
        "attempts": MAX_ATTEMPTS
    }
    return jobs.jobs_fail_abandoned(ImportJob, now=now, max_attempts=MAX_ATTEMPTS, reason=reason)


def import_jobs_due(*, now: dt.datetime) -> list[int]:
    """Jobs a sweep should queue: never picked up (lost message, broker down) or lost with a worker."""
    return jobs.jobs_due(ImportJob, now=now, max_attempts=MAX_ATTEMPTS)
