"""Next year's campaign as a copy of this one: `manage.py clone_campaign` and the planning page's button.

Workstreams, targets, groups, tasks with their parties, milestones and reporting windows are copied with
their dates shifted (by whole years unless a number of days is given); every assignment starts again
at 待签收. Stations, volunteers and enterprises are standing registries: nothing of theirs is copied.
A campaign of the target year that exists already is left as it is, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Milestone,
    PartyGroup,
    ReportingWindow,
    Target,
    Task,
    TaskAssignment,
    TaskParty,
    Workstream,
)
from campaigns.services import task_sync_assignments
from organizations.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Shift:
    years: int
    days: int | None = None

    def __call__(self, day: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        if self.days is not None:
            return day + dt.timedelta(days=self.days)
        try:
            return day.replace(year=day.year + self.years)
        except ValueError:  # 29 February into a common year
            return day.replace(year=day.year + self.years, day=28)

    def required(self, day: dt.date) -> dt.date:
        shifted = self(day)
        assert shifted is not None  # noqa: S101 (a date shifts to a date)
        return shifted


@dataclass(frozen=True)
class CloneResult:
    campaign: Campaign
    created: bool


@transaction.atomic
def campaign_clone(
    *, actor: User | None, from_year: int, to_year: int, shift_days: int | None = None
) -> CloneResult:
    """Copy the `from_year` campaign to `to_year`; `actor` None is the command line (trusted)."""
    if actor is not None and not actor.has_perm("campaigns.add_campaign"):
        raise PermissionDenied(_("只有县局管理员可以复制活动。"))
    if to_year <= from_year:
        raise ValidationError(_("新活动的年度须晚于原活动。"))
    existing = Campaign.objects.filter(year=to_year).first()
    if existing is not None:
        return CloneResult(campaign=existing, created=False)
    source = Campaign.objects.filter(year=from_year).first()
    if source is None:
        raise ValidationError(_("没有 %(year)d 年度的活动。") % {"year": from_year})
    shift = Shift(years=to_year - from_year, days=shift_days)

    campaign = Campaign(
        year=to_year,
        name=source.name.replace(str(from_year), str(to_year)),
        theme=source.theme,
        # World Metrology Day is 20 May every year, whatever else shifts.
        metrology_day=source.metrology_day.replace(year=to_year),
        start_date=shift(source.start_date),
        end_date=shift(source.end_date),
        notice_title=source.notice_title,
        notice_issuer=source.notice_issuer,
        notice_text=source.notice_text,
        reminder_days_ahead=source.reminder_days_ahead,
        escalation_days=source.escalation_days,
    )
    clean_and_save(campaign, actor)

    workstreams = {}
    for ws in source.workstreams.all():
        workstreams[ws.pk] = clean_and_save(
            Workstream(
                campaign=campaign,
                number=ws.number,
                notice_ref=ws.notice_ref,
                title=ws.title,
                description=ws.description,
            ),
            actor,
        )
    for target in source.targets.all():
        clean_and_save(
            Target(
                campaign=campaign,
                workstream=workstreams.get(target.workstream_id) if target.workstream_id else None,
                metric=target.metric,
                label=target.label,
                goal=target.goal,
                unit_label=target.unit_label,
            ),
            actor,
        )
    groups = {}
    for group in source.party_groups.prefetch_related("excluded_units", "added_units"):
        copy = clean_and_save(
            PartyGroup(campaign=campaign, label=group.label, unit_kinds=list(group.unit_kinds)), actor
        )
        copy.excluded_units.set(group.excluded_units.all())
        copy.added_units.set(group.added_units.all())
        groups[group.pk] = copy
    tasks = source.tasks.prefetch_related("parties", "milestones", "assignments__unit").order_by("pk")
    for task in tasks:
        _clone_task(task, campaign, workstreams, groups, shift, actor)
    for window in source.reporting_windows.all():
        clean_and_save(
            ReportingWindow(
                campaign=campaign,
                label=window.label,
                start_date=shift.required(window.start_date),
                end_date=shift.required(window.end_date),
                due_date=shift.required(window.due_date),
                group=groups[window.group_id],
                record_types=list(window.record_types),
            ),
            actor,
        )
    return CloneResult(campaign=campaign, created=True)


def _clone_task(
    task: Task,
    campaign: Campaign,
    workstreams: dict[int, Workstream],
    groups: dict[int, PartyGroup],
    shift: Shift,
    actor: User | None,
) -> Task:
    copy = clean_and_save(
        Task(
            campaign=campaign,
            workstream=workstreams.get(task.workstream_id) if task.workstream_id else None,
            notice_ref=task.notice_ref,
            title=task.title,
            description=task.description,
            due_date=shift(task.due_date),
            sort_order=task.sort_order,
            key=task.key,
        ),
        actor,
    )
    for party in task.parties.all():
        clean_and_save(
            TaskParty(
                task=copy,
                role=party.role,
                label=party.label,
                unit_id=party.unit_id,
                unit_kinds=list(party.unit_kinds),
                group=groups.get(party.group_id) if party.group_id else None,
                sort_order=party.sort_order,
            ),
            actor,
        )
    for milestone in task.milestones.all():
        clean_and_save(
            Milestone(
                task=copy,
                title=milestone.title,
                due_date=shift.required(milestone.due_date),
                metric=milestone.metric,
                goal=milestone.goal,
            ),
            actor,
        )
    # Each unit's own deadline carries over; its 签收 and progress do not.
    for assignment in task.assignments.all():
        if assignment.unit.is_active:
            clean_and_save(
                TaskAssignment(task=copy, unit=assignment.unit, due_date=shift(assignment.due_date)), actor
            )
    task_sync_assignments(task=copy)
    return copy


def clean_and_save(obj: M, actor: User | None) -> M:
    """Validate `obj` (`full_clean`: fields, `clean()` and constraints) and save it, with `actor` in its
    history (None: the command line). Callers check the actor's permission first, as campaign_clone does.

    The one write of the rows a campaign is built from, shared by cloning and the notice importer
    (campaigns.notice_services), so that a copied or imported row obeys the same model rules as one
    entered on the planning pages; a ValidationError leaves the caller's transaction to roll back."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()
    return obj
