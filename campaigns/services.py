"""Every write to campaigns, tasks and assignments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Task, TaskAssignment, TaskParty
from organizations.access import sees_all_units
from organizations.models import Unit

Status = TaskAssignment.Status

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
