"""The mechanics every "the row is the job" model shares (reports, import jobs).

A job row has `status` (pending / running / done / failed), `attempts`, `lease_until`, `progress`,
`started_at`, `finished_at`, `error`, `failure_reason` and `created_at`. A worker claims the row with
one conditional UPDATE (so two workers can never hold it at once), works while its lease lasts, and
writes its result only while it still holds that attempt; a periodic sweep queues rows that were
never picked up or whose worker died, and fails those whose last attempt died.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Model, Q, QuerySet

PENDING, RUNNING, FAILED = "pending", "running", "failed"


def job_claim(
    model: type[Model], pk: int, *, now: dt.datetime, lease: dt.timedelta, max_attempts: int
) -> int | None:
    """Take the job for this worker: the attempt number it now holds, or None."""
    claimable = Q(status=PENDING) | Q(status=RUNNING, lease_until__lt=now)
    claimed = model._default_manager.filter(claimable, pk=pk, attempts__lt=max_attempts).update(
        status=RUNNING,
        lease_until=now + lease,
        attempts=F("attempts") + 1,
        started_at=now,
        progress=0,
        error="",
        failure_reason="",
    )
    if claimed != 1:
        return None
    # Nobody else can claim it before the lease runs out, so this is the attempt just taken.
    return model._default_manager.values_list("attempts", flat=True).get(pk=pk)


def job_held(model: type[Model], pk: int, attempt: int) -> QuerySet[Any]:
    """The job, if `attempt` still holds it (update it through this, and check that one row changed)."""
    return model._default_manager.filter(pk=pk, status=RUNNING, attempts=attempt)


def jobs_due(model: type[Model], *, now: dt.datetime, max_attempts: int, limit: int = 100) -> list[int]:
    """Jobs a sweep should queue: never picked up (lost message, broker down) or lost with a worker."""
    stale = Q(status=PENDING, created_at__lt=now - dt.timedelta(minutes=1)) | Q(
        status=RUNNING, lease_until__lt=now
    )
    return list(
        model._default_manager.filter(stale, attempts__lt=max_attempts)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def jobs_fail_abandoned(model: type[Model], *, now: dt.datetime, max_attempts: int, reason: str) -> int:
    """Jobs whose last allowed attempt lost its worker: failed, with the reason."""
    return model._default_manager.filter(
        status=RUNNING, lease_until__lt=now, attempts__gte=max_attempts
    ).update(status=FAILED, lease_until=None, finished_at=now, failure_reason=reason)
