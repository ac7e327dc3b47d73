"""The daily reminder: one digest per responsible unit, and an escalation to leadership.

Workstream apps add their own lines (e.g. inspection follow-ups) through `register_section`, so
campaigns never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns import reporting
from campaigns.models import EFFECTIVE_DUE, Campaign, Task, TaskAssignment, TaskParty
from notifications.selectors import unit_recipients
from notifications.services import digest_create
from organizations.models import Unit, User
from organizations.roles import Role

Status = TaskAssignment.Status
DAILY_KIND = "daily_reminder"
COPY_KIND = "daily_reminder_copy"  # the information copy a cooperating unit gets
ESCALATION_KIND = "escalation"

# A section provider answers, for one day, {unit id: [lines]} in a fixed number of queries.
SectionProvider = Callable[[dt.date], dict[int, list[str]]]
_sections: dict[str, SectionProvider] = {}


def register_section(title: str, provider: SectionProvider) -> None:
    _sections[title] = provider


@dataclass
class UnitDigest:
    unit: Unit
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    unacknowledged: list[str] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)
    cooperating: list[str] = field(default_factory=list)
    missing_reports: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.due_soon
            or self.overdue
            or self.unacknowledged
            or self.cooperating
            or self.missing_reports
            or any(self.extra.values())
        )

    def body(self) -> str:
        parts = []
        for title, lines in (
            (_("即将到期"), self.due_soon),
            (_("已逾期"), self.overdue),
            (_("尚未签收"), self.unacknowledged),
            (_("未按期报送"), self.missing_reports),
            *self.extra.items(),
            (_("配合工作（抄送）"), self.cooperating),
        ):
            if lines:
                parts.append(f"【{title}】\n" + "\n".join(f"· {line}" for line in lines))
        return "\n\n".join(parts)


@dataclass
class ReminderRun:
    day: dt.date
    digests_created: int = 0
    digests_skipped: int = 0
    escalations_created: int = 0
    copies_created: int = 0


def active_campaigns(day: dt.date) -> list[Campaign]:
    """Campaigns whose dates cover `day` (an open end counts as covering)."""
    return list(
        Campaign.objects.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )
    )


def _line(assignment: TaskAssignment, day: dt.date) -> str:
    return _task_line(assignment.task, day, assignment.due)


def _task_line(task: Task, day: dt.date, due: dt.date | None) -> str:
    if due is None:
        return task.title
    days = (due - day).days
    if days < 0:
        when = _("逾期 %(days)d 天") % {"days": -days}
    elif days == 0:
        when = _("今日到期")
    else:
        when = _("%(days)d 天后到期") % {"days": days}
    return f"{task.title}（{due:%Y-%m-%d}，{when}）"


def _missing_line(cell: reporting.Cell, day: dt.date) -> str:
    window = cell.window
    return _("%(window)s未报送（时限 %(due)s，已过 %(days)d 天）") % {
        "window": window,
        "due": f"{window.due_date:%m-%d}",
        "days": (day - window.due_date).days,
    }


def collect(day: dt.date) -> tuple[dict[int, UnitDigest], list[TaskAssignment]]:
    """What each unit should be told on `day`, and which assignments are overdue long enough to escalate."""
    digests, escalate, _late_reports = collect_all(day)
    return digests, escalate


def collect_all(day: dt.date) -> tuple[dict[int, UnitDigest], list[TaskAssignment], list[str]]:
    """`collect`, plus the missing reports overdue long enough to escalate (as lines naming the unit)."""
    digests: dict[int, UnitDigest] = {}
    escalate: list[TaskAssignment] = []
    late_reports: list[str] = []
    for campaign in active_campaigns(day):
        missing = reporting.missing_reports(campaign=campaign, day=day)
        units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=list(missing), is_active=True)}
        for unit_id, cells in missing.items():
            if unit_id not in units:
                continue
            entry = digests.setdefault(unit_id, UnitDigest(unit=units[unit_id]))
            entry.missing_reports.extend(_missing_line(cell, day) for cell in cells)
            late_reports.extend(
                f"{units[unit_id].name}：{_missing_line(cell, day)}"
                for cell in cells
                if (day - cell.window.due_date).days >= campaign.escalation_days
            )
        open_assignments = (
            TaskAssignment.objects.filter(task__campaign=campaign, unit__is_active=True)
            .exclude(status=Status.DONE)
            .select_related("task", "unit")
            .order_by("unit__sort_order", EFFECTIVE_DUE, "task__sort_order")
        )
        horizon = day + dt.timedelta(days=campaign.reminder_days_ahead)
        for assignment in open_assignments:
            due = assignment.due
            entry = digests.setdefault(assignment.unit_id, UnitDigest(unit=assignment.unit))
            if due is not None and due < day:
                entry.overdue.append(_line(assignment, day))
                if (day - due).days >= campaign.escalation_days:
                    escalate.append(assignment)
            elif due is not None and due <= horizon:
                entry.due_soon.append(_line(assignment, day))
            if assignment.status == Status.PENDING:
                entry.unacknowledged.append(_line(assignment, day))
    for title, provider in _sections.items():
        for unit_id, lines in provider(day).items():
            if unit_id not in digests:
                unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
                if unit is None:
                    continue
                digests[unit_id] = UnitDigest(unit=unit)
            digests[unit_id].extra[title] = lines
    kept = {unit_id: entry for unit_id, entry in digests.items() if not entry.is_empty()}
    return kept, escalate, late_reports


def collect_copies(day: dt.date) -> dict[int, UnitDigest]:
    """What each cooperating unit is told for information: the open tasks it helps with that are due
    soon or overdue, with who answers for them. Only units with someone to tell get a copy."""
    copies: dict[int, UnitDigest] = {}
    campaigns = active_campaigns(day)
    if not campaigns:
        return copies
    horizon = {c.pk: day + dt.timedelta(days=c.reminder_days_ahead) for c in campaigns}
    open_assignments = (
        TaskAssignment.objects.filter(task__campaign__in=campaigns, unit__is_active=True)
        .exclude(status=Status.DONE)
        .select_related("task", "unit")
        .order_by(EFFECTIVE_DUE, "task__sort_order", "unit__sort_order")
    )
    # {task id: (task, the earliest deadline among its urgent units, [unit names])}: each responsible
    # unit is urgent by its own deadline, so a copy names only those and the soonest of their dates.
    urgent: dict[int, tuple[Task, dt.date, list[str]]] = {}
    for assignment in open_assignments:
        due = assignment.due
        if due is None or due > horizon[assignment.task.campaign_id]:
            continue
        task, earliest, responsible = urgent.get(assignment.task_id, (assignment.task, due, []))
        responsible.append(assignment.unit.name)
        urgent[assignment.task_id] = (task, min(earliest, due), responsible)
    if not urgent:
        return copies
    parties = TaskParty.objects.filter(task_id__in=urgent, role=TaskParty.Role.COOPERATING)
    reachable = list(
        Unit.objects.filter(is_active=True, users__is_active=True).distinct().order_by("sort_order")
    )
    ordered = sorted(
        parties.order_by("task__sort_order", "sort_order", "pk"),
        key=lambda party: urgent[party.task_id][1],
    )
    for party in ordered:
        task, earliest, responsible = urgent[party.task_id]
        line = _("%(task)s（责任单位：%(units)s）") % {
            "task": _task_line(task, day, earliest),
            "units": "、".join(responsible),
        }
        for unit in reachable:
            if party.matches(unit):
                entry = copies.setdefault(unit.pk, UnitDigest(unit=unit))
                if line not in entry.cooperating:
                    entry.cooperating.append(line)
    return copies


def _leadership() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[Role.LEADER.value, Role.BUREAU_ADMIN.value]))
        .distinct()
        .order_by("pk")
    )


def reminders_send(*, day: dt.date) -> ReminderRun:
    """Send the day's digests; safe to run any number of times for the same day."""
    run = ReminderRun(day=day)
    digests, escalate, late_reports = collect_all(day)
    copies = collect_copies(day)
    recipients = unit_recipients(unit_ids=[*digests, *copies])
    workbench = reverse("campaigns:workbench")
    for kind, entries, subject in (
        (DAILY_KIND, digests, _("%(date)s 任务提醒：%(unit)s")),
        (COPY_KIND, copies, _("%(date)s 配合工作抄送：%(unit)s")),
    ):
        for unit_id, entry in entries.items():
            created = digest_create(
                kind=kind,
                audience=f"unit:{unit_id}",
                day=day,
                unit=entry.unit,
                subject=subject % {"date": f"{day:%m月%d日}", "unit": entry.unit.name},
                body=entry.body(),
                recipients=recipients.get(unit_id, []),
                url=workbench,
            )
            if created is None:
                run.digests_skipped += 1
            elif kind == COPY_KIND:
                run.copies_created += 1
            else:
                run.digests_created += 1
    if escalate or late_reports:
        lines = [f"{a.unit.name}：{_line(a, day)}" for a in escalate] + late_reports
        created = digest_create(
            kind=ESCALATION_KIND,
            audience="leadership",
            day=day,
            subject=_("%(date)s 逾期任务升级提醒（%(count)d 项）")
            % {"date": f"{day:%m月%d日}", "count": len(lines)},
            body="\n".join(f"· {line}" for line in lines),
            recipients=_leadership(),
            url=workbench + "?timing=overdue",
        )
        if created is not None:
            run.escalations_created += 1
    return run
