"""Every write to campaigns, tasks and assignments."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import ReviewLog, ReviewStatus, SubmittedRecord, Task, TaskAssignment, TaskParty
from organizations.access import sees_all_units
from organizations.models import Unit

Status = TaskAssignment.Status
R = TypeVar("R", bound=SubmittedRecord)

# Forward-only: an office signs for a task before it works on it, and may finish without a separate start.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.ACKNOWLEDGED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.DONE},
    Status.IN_PROGRESS: {Status.DONE},
    Status.DONE: set(),
}


def responsible_units(*, task: Task) -> list[Unit]:
    """The active units that the task's responsible parties name, each unit once."""
    parties = [p for p in task.parties.all() if p.role == TaskParty.Role.RESPONSIBLE]
    if not parties:
        return []
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "name")
    return [unit for unit in units if any(party.matches(unit) for party in parties)]


@transaction.atomic
def task_sync_assignments(*, task: Task) -> int:
    """Give every responsible unit its assignment of the task; returns how many were created.

    Existing assignments are kept as they are (with their 签收 and history), also for units that
    have since been deactivated.
    """
    existing = set(task.assignments.values_list("unit_id", flat=True))
    missing = [unit for unit in responsible_units(task=task) if unit.pk not in existing]
    for unit in missing:
        TaskAssignment.objects.create(task=task, unit=unit)
    return len(missing)


@transaction.atomic
def assignment_transition(
    *, actor: Any, assignment: TaskAssignment, to_status: str, note: str = ""
) -> TaskAssignment:
    """Move an assignment along 待签收 → 已签收 → 进行中 → 已完成, recording who did it and when."""
    if not actor.has_perm("campaigns.change_taskassignment"):
        raise PermissionDenied(_("您没有办理任务的权限。"))
    if not sees_all_units(actor) and actor.unit_id != assignment.unit_id:
        raise PermissionDenied(_("只能办理本单位的任务。"))
    locked = TaskAssignment.objects.select_for_update().get(pk=assignment.pk)
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("任务当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": locked.get_status_display(), "target": Status(to_status).label}
        )
    now = timezone.now()
    locked.status = to_status
    if to_status == Status.ACKNOWLEDGED:
        locked.acknowledged_at, locked.acknowledged_by = now, actor
    elif to_status == Status.IN_PROGRESS:
        locked.started_at = now
    elif to_status == Status.DONE:
        locked.completed_at = now
    if note:
        locked.note = note
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.full_clean()
    locked.save()
    return locked


def assignment_acknowledge(*, actor: Any, assignment: TaskAssignment) -> TaskAssignment:
    return assignment_transition(actor=actor, assignment=assignment, to_status=Status.ACKNOWLEDGED)


# --- The review state machine every submitted record shares ------------------------------------

REVIEW_PERMISSION = "campaigns.review_submissions"


def record_ensure_editable(*, record: SubmittedRecord) -> None:
    """Approved records are locked: any edit (by anyone) must go through a new record or a return."""
    if record.is_locked:
        raise ValidationError(_("该记录已审核通过，不能再修改。"))


def _log(record: SubmittedRecord, action: str, actor: Any, reason: str = "") -> None:
    ReviewLog.objects.create(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=False),
        object_id=record.pk,
        action=action,
        actor=actor,
        reason=reason,
    )


def _lock(record: R) -> R:
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


@transaction.atomic
def record_submit(*, actor: Any, record: R) -> R:
    """草稿/已退回 → 已提交."""
    locked = _lock(record)
    if not locked.can_submit:
        raise ValidationError(
            _("记录当前为“%(status)s”，不能提交。") % {"status": locked.get_review_status_display()}
        )
    locked.review_status = ReviewStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["review_status", "submitted_at", "updated_at"])
    _log(locked, ReviewLog.Action.SUBMITTED, actor)
    return locked


def _ensure_reviewer(actor: Any) -> None:
    if not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied(_("您没有审核权限。"))


@transaction.atomic
def record_approve(*, actor: Any, record: R) -> R:
    """已提交 → 已通过; the record is locked from now on."""
    _ensure_reviewer(actor)
    locked = _lock(record)
    if not locked.awaiting_review:
        raise ValidationError(
            _("只有“已提交”的记录可以审核，当前为“%(status)s”。")
            % {"status": locked.get_review_status_display()}
        )
    locked.review_status = ReviewStatus.APPROVED
    locked.reviewed_at, locked.reviewed_by, locked.return_reason = timezone.now(), actor, ""
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["review_status", "reviewed_at", "reviewed_by", "return_reason", "updated_at"])
    _log(locked, ReviewLog.Action.APPROVED, actor)
    return locked


@transaction.atomic
def record_return(*, actor: Any, record: R, reason: str) -> R:
    """已提交 → 已退回, with the reason the office will read."""
    _ensure_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    locked = _lock(record)
    if not locked.awaiting_review:
        raise ValidationError(
            _("只有“已提交”的记录可以退回，当前为“%(status)s”。")
            % {"status": locked.get_review_status_display()}
        )
    locked.review_status = ReviewStatus.RETURNED
    locked.reviewed_at, locked.reviewed_by, locked.return_reason = timezone.now(), actor, reason
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["review_status", "reviewed_at", "reviewed_by", "return_reason", "updated_at"])
    _log(locked, ReviewLog.Action.RETURNED, actor, reason)
    return locked


def review_log_for(record: SubmittedRecord) -> list[ReviewLog]:
    return list(
        ReviewLog.objects.filter(
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=False),
            object_id=record.pk,
        ).select_related("actor")
    )
