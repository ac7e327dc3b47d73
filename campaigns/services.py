"""Every write to campaigns, tasks and assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Milestone,
    PartyGroup,
    ReportingWindow,
    Task,
    TaskAssignment,
    TaskParty,
    WorkRequirement,
)
from evidence.processing import ProcessedPhoto
from evidence.selectors import photos_for
from evidence.services import photos_attach
from organizations.access import get_for_user, sees_all_units
from organizations.models import Unit, User

Status = TaskAssignment.Status

# Forward-only: an office signs for a task before it works on it, and may finish without a separate start.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.ACKNOWLEDGED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.DONE},
    Status.IN_PROGRESS: {Status.DONE},
    Status.DONE: set(),
}


def _responsible_parties(task: Task) -> list[TaskParty]:
    parties = task.parties.filter(role=TaskParty.Role.RESPONSIBLE).select_related("group")
    return list(parties.prefetch_related("group__excluded_units", "group__added_units"))


def responsible_units(*, task: Task) -> list[Unit]:
    """The active units that the task's responsible parties name, each unit once."""
    parties = _responsible_parties(task)
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


def _open_campaign_tasks(today: dt.date) -> QuerySet[Task]:
    """Tasks of campaigns that have not ended: a unit joining a group joins their work."""
    return Task.objects.filter(Q(campaign__end_date__isnull=True) | Q(campaign__end_date__gte=today))


@transaction.atomic
def unit_sync_assignments(*, unit: Unit, today: dt.date | None = None) -> int:
    """Give a unit (new, or of a new kind) its share of every running task its groups name."""
    if not unit.is_active:
        return 0
    today = today or timezone.localdate()
    parties = (
        TaskParty.objects.filter(role=TaskParty.Role.RESPONSIBLE, task__in=_open_campaign_tasks(today))
        .exclude(task__assignments__unit=unit)
        .select_related("group")
        .prefetch_related("group__excluded_units", "group__added_units")
    )
    task_ids = sorted({party.task_id for party in parties if party.matches(unit)})
    TaskAssignment.objects.bulk_create([TaskAssignment(task_id=pk, unit=unit) for pk in task_ids])
    return len(task_ids)


@transaction.atomic
def group_set_members(*, actor: User, group: PartyGroup, unit_ids: Iterable[int]) -> PartyGroup:
    """Make the group mean exactly these units, recorded as exceptions to its kinds so that a unit
    created later still joins. Units that leave lose the assignments they have not signed for."""
    _require_planner(actor)
    chosen = set(unit_ids)
    of_kinds = set(Unit.objects.filter(kind__in=group.unit_kinds).values_list("pk", flat=True))
    group._history_user = actor  # type: ignore[attr-defined]
    group.excluded_units.set(sorted(of_kinds - chosen))
    group.added_units.set(sorted(chosen - of_kinds))
    _group_resync(group)
    return group


GROUP_FIELDS = ("label", "unit_kinds")


@transaction.atomic
def group_save(
    *,
    actor: User,
    campaign: Campaign,
    group: PartyGroup | None,
    data: dict[str, Any],
    added_unit_ids: Iterable[int],
    excluded_unit_ids: Iterable[int],
) -> PartyGroup:
    """Create a group of the campaign, or change one: its label, its unit kinds and the units added
    to or taken out of those kinds. The tasks and reporting windows naming it follow at once."""
    _require_planner(actor)
    added, excluded = set(added_unit_ids), set(excluded_unit_ids)
    if added & excluded:
        raise ValidationError(_("同一单位不能既“另含”又“不含”。"))
    if group is None:
        group = PartyGroup(campaign=campaign)
        for name in GROUP_FIELDS:
            setattr(group, name, data.get(name, getattr(group, name)))
        group._history_user = actor  # type: ignore[attr-defined]
        group.full_clean()
        group.save()
    elif group.campaign_id != campaign.pk:
        raise ValidationError(_("单位组不属于该活动。"))
    else:
        _model_update(actor, group, {name: data[name] for name in GROUP_FIELDS if name in data}, GROUP_FIELDS)
    group._history_user = actor  # type: ignore[attr-defined]
    group.added_units.set(sorted(added))
    group.excluded_units.set(sorted(excluded))
    _group_resync(group)
    return group


def _group_resync(group: PartyGroup) -> None:
    """The tasks naming the group as responsible: units that left lose what they have not signed for
    (signed work stays, with its history); units that joined get their assignments."""
    group.__dict__.pop("_member_cache", None)
    tasks = Task.objects.filter(parties__group=group, parties__role=TaskParty.Role.RESPONSIBLE).distinct()
    for task in tasks:
        keep = {unit.pk for unit in responsible_units(task=task)}
        task.assignments.filter(status=Status.PENDING).exclude(unit_id__in=keep).delete()
        task_sync_assignments(task=task)


def _windows(
    campaign: Campaign, weekly_until: dt.date, monthly_until: dt.date | None
) -> list[tuple[str, dt.date, dt.date]]:
    """Weeks from the campaign's start to `weekly_until`, then calendar months to `monthly_until`."""
    if campaign.start_date is None:
        raise ValidationError(_("请先填写活动的开始日期。"))
    windows, start, week = [], campaign.start_date, 1
    while start <= weekly_until:
        end = min(start + dt.timedelta(days=6), weekly_until)
        windows.append((_("第%(n)d周") % {"n": week}, start, end))
        start, week = end + dt.timedelta(days=1), week + 1
    while monthly_until is not None and start <= monthly_until:
        next_month = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(next_month - dt.timedelta(days=1), monthly_until)
        windows.append((_("%(month)d月") % {"month": start.month}, start, end))
        start = end + dt.timedelta(days=1)
    return windows


@transaction.atomic
def reporting_windows_generate(
    *,
    actor: User,
    campaign: Campaign,
    group: PartyGroup,
    record_types: list[str],
    weekly_until: dt.date,
    monthly_until: dt.date | None = None,
    due_days: int = 1,
) -> list[ReportingWindow]:
    """Weekly windows until `weekly_until` (5·20), then monthly ones; each due `due_days` after it ends.

    A window that already starts on the same day for the group is kept as it is, so a rerun adds nothing.
    """
    _require_planner(actor)
    if group.campaign_id != campaign.pk:
        raise ValidationError(_("报送单位须是本活动的单位组。"))
    if not record_types:
        raise ValidationError(_("请至少选择一种报送内容。"))
    existing = set(campaign.reporting_windows.filter(group=group).values_list("start_date", flat=True))
    created = []
    for label, start, end in _windows(campaign, weekly_until, monthly_until):
        if start in existing:
            continue
        window = ReportingWindow(
            campaign=campaign,
            group=group,
            label=label,
            start_date=start,
            end_date=end,
            due_date=end + dt.timedelta(days=due_days),
            record_types=list(record_types),
        )
        window._history_user = actor  # type: ignore[attr-defined]
        window.full_clean()
        window.save()
        created.append(window)
    return created


CAMPAIGN_PLAN_FIELDS = (
    "start_date",
    "end_date",
    "reminder_days_ahead",
    "escalation_days",
    "cost_flag_threshold",
)


@transaction.atomic
def campaign_update_plan(*, actor: User, campaign: Campaign, data: dict[str, Any]) -> Campaign:
    """Set the campaign's dates and reminder settings (only these fields; nothing else is taken)."""
    _require_planner(actor)
    return _model_update(actor, campaign, data, CAMPAIGN_PLAN_FIELDS)


@transaction.atomic
def task_set_deadlines(
    *, actor: User, task: Task, due_date: dt.date | None, unit_due_dates: dict[int, dt.date | None]
) -> Task:
    """The task's deadline, and each unit's own (None: the task's holds). Units outside the task are refused."""
    _require_planner(actor)
    if due_date is not None and not task.campaign.covers(due_date):
        raise ValidationError({"due_date": _("完成时限须在活动期间内。")})
    _model_update(actor, task, {"due_date": due_date}, ("due_date",))
    assignments = {a.unit_id: a for a in task.assignments.select_for_update()}
    unknown = set(unit_due_dates) - set(assignments)
    if unknown:
        raise ValidationError(_("只能为本任务的责任单位设定时限。"))
    for unit_id, day in unit_due_dates.items():
        if day is not None and not task.campaign.covers(day):
            raise ValidationError(_("完成时限须在活动期间内。"))
        _model_update(actor, assignments[unit_id], {"due_date": day}, ("due_date",))
    return task


@transaction.atomic
def milestone_save(
    *, actor: User, task: Task, milestone: Milestone | None, data: dict[str, Any]
) -> Milestone:
    """Add a milestone to the task, or change one of its own."""
    _require_planner(actor)
    if milestone is None:
        milestone = Milestone(task=task)
    elif milestone.task_id != task.pk:
        raise ValidationError(_("节点不属于该任务。"))
    if data.get("due_date") and not task.campaign.covers(data["due_date"]):
        raise ValidationError({"due_date": _("节点日期须在活动期间内。")})
    if milestone.pk is None:
        for name in MILESTONE_FIELDS:
            setattr(milestone, name, data.get(name, getattr(milestone, name)))
        milestone._history_user = actor
        milestone.full_clean()
        milestone.save()
        return milestone
    return _model_update(actor, milestone, data, MILESTONE_FIELDS)


MILESTONE_FIELDS = ("title", "due_date", "metric", "goal")


@transaction.atomic
def milestone_delete(*, actor: User, milestone: Milestone) -> None:
    _require_planner(actor)
    milestone._history_user = actor  # type: ignore[attr-defined]
    milestone.delete()


@transaction.atomic
def reporting_window_delete(*, actor: User, window: ReportingWindow) -> None:
    _require_planner(actor)
    window._history_user = actor  # type: ignore[attr-defined]
    window.delete()


@transaction.atomic
def requirement_update(*, actor: User, requirement: WorkRequirement, data: dict[str, Any]) -> WorkRequirement:
    """Set a 工作要求's owner and evidence, and confirm (or withdraw) that it is met."""
    _require_planner(actor)
    values: dict[str, Any] = {name: data[name] for name in ("owner", "evidence") if name in data}
    if "met" in data:
        met = bool(data["met"])
        if met and not (values.get("evidence", requirement.evidence) or "").strip():
            raise ValidationError({"evidence": _("确认落实前请填写落实情况。")})
        if met != requirement.is_met:
            values.update(
                _progress_values(
                    WorkRequirement.Progress.MET if met else WorkRequirement.Progress.IN_PROGRESS
                )
            )
    return _model_update(actor, requirement, values, ("owner", "evidence", "progress", "met_at"))


def _progress_values(progress: str) -> dict[str, Any]:
    met = progress == WorkRequirement.Progress.MET
    return {"progress": progress, "met_at": timezone.now() if met else None}


def requirement_get_for_change(*, actor: User, pk: Any) -> WorkRequirement:
    """The 工作要求 the actor may report on, locked: 404 outside the actor's scope (another unit's item),
    then 403 without the permission to report (leadership reads only)."""
    requirement = get_for_user(
        # Only the item's row is locked: PostgreSQL cannot lock the nullable side of the owner's join.
        WorkRequirement.objects.select_for_update(of=("self",)).select_related("campaign", "owner"),
        actor,
        pk=pk,
        unit_field=WorkRequirement.unit_scope_field,
    )
    if not actor.has_perm("campaigns.change_workrequirement"):
        raise PermissionDenied(_("您没有填报工作要求落实情况的权限。"))
    return requirement


@transaction.atomic
def requirement_report(
    *, actor: User, pk: Any, progress: str, evidence: str, photos: list[ProcessedPhoto]
) -> WorkRequirement:
    """The owning unit reports how far a 工作要求 is, what was done, and photos as evidence; an item is
    marked 已落实 only with evidence (the text, or a photo attached now or before)."""
    requirement = requirement_get_for_change(actor=actor, pk=pk)
    if progress not in WorkRequirement.Progress.values:
        raise ValidationError({"progress": _("请选择有效的进展。")})
    if (
        progress == WorkRequirement.Progress.MET
        and not evidence.strip()
        and not photos
        and not photos_for(requirement).exists()
    ):
        raise ValidationError({"evidence": _("标记为已落实前，请填写落实情况或上传照片。")})
    values: dict[str, Any] = {"evidence": evidence}
    if progress != requirement.progress:
        values.update(_progress_values(progress))
    _model_update(actor, requirement, values, ("evidence", "progress", "met_at"))
    photos_attach(actor=actor, record=requirement, photos=photos)
    return requirement


M = TypeVar("M", bound=Model)


def _model_update(actor: User, obj: M, data: dict[str, Any], allowed: tuple[str, ...]) -> M:
    """Set only the allowed fields that changed, validate, and save just those (with the actor in history)."""
    refused = set(data) - set(allowed)
    if refused:
        raise ValidationError(_("不能修改这些字段：%s") % "、".join(sorted(refused)))
    changed = [name for name, value in data.items() if getattr(obj, name) != value]
    if not changed:
        return obj
    for name in changed:
        setattr(obj, name, data[name])
    obj._history_user = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save(update_fields=changed)
    return obj


def _require_planner(actor: User) -> None:
    if not actor.has_perm("campaigns.change_campaign"):
        raise PermissionDenied(_("只有县局管理员可以调整活动计划。"))


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
