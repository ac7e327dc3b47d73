"""The daily reminder: one digest per responsible unit, and an escalation to leadership.

Workstream apps add their own lines (e.g. inspection follow-ups) through `register_section`, so
campaigns never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Campaign, TaskAssignment
from notifications.services import digest_create
from organizations.models import Unit, User
from organizations.roles import Role

Status = TaskAssignment.Status
DAILY_KIND = "daily_reminder"
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

    def is_empty(self) -> bool:
        return not (self.due_soon or self.overdue or self.unacknowledged or any(self.extra.values()))

    def body(self) -> str:
        parts = []
        for title, lines in (
            (_("即将到期"), self.due_soon),
            (_("已逾期"), self.overdue),
            (_("尚未签收"), self.unacknowledged),
            *self.extra.items(),
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


def active_campaigns(day: dt.date) -> list[Campaign]:
    """Campaigns whose dates cover `day` (an open end counts as covering)."""
    return list(
        Campaign.objects.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )
    )


def _line(assignment: TaskAssignment, day: dt.date) -> str:
    due = assignment.task.due_date
    if due is None:
        return assignment.task.title
    days = (due - day).days
    if days < 0:
        when = _("逾期 %(days)d 天") % {"days": -days}
    elif days == 0:
        when = _("今日到期")
    else:
        when = _("%(days)d 天后到期") % {"days": days}
    return f"{assignment.task.title}（{due:%Y-%m-%d}，{when}）"


def collect(day: dt.date) -> tuple[dict[int, UnitDigest], list[TaskAssignment]]:
    """What each unit should be told on `day`, and which assignments are overdue long enough to escalate."""
    digests: dict[int, UnitDigest] = {}
    escalate: list[TaskAssignment] = []
    for campaign in active_campaigns(day):
        open_assignments = (
            TaskAssignment.objects.filter(task__campaign=campaign, unit__is_active=True)
            .exclude(status=Status.DONE)
            .select_related("task", "unit")
            .order_by("unit__sort_order", "task__due_date", "task__sort_order")
        )
        horizon = day + dt.timedelta(days=campaign.reminder_days_ahead)
        for assignment in open_assignments:
            due = assignment.task.due_date
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
    return {unit_id: entry for unit_id, entry in digests.items() if not entry.is_empty()}, escalate


def _unit_recipients(unit_ids: list[int]) -> dict[int, list[User]]:
    recipients: dict[int, list[User]] = defaultdict(list)
    users = User.objects.filter(
        unit_id__in=unit_ids, is_active=True, groups__name=Role.OFFICE.value
    ).distinct()
    for user in users:
        recipients[user.unit_id].append(user)  # type: ignore[index]
    return recipients


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
    digests, escalate = collect(day)
    recipients = _unit_recipients(list(digests))
    workbench = reverse("campaigns:workbench")
    for unit_id, entry in digests.items():
        created = digest_create(
            kind=DAILY_KIND,
            audience=f"unit:{unit_id}",
            day=day,
            unit=entry.unit,
            subject=_("%(date)s 任务提醒：%(unit)s") % {"date": f"{day:%m月%d日}", "unit": entry.unit.name},
            body=entry.body(),
            recipients=recipients.get(unit_id, []),
            url=workbench,
        )
        if created is None:
            run.digests_skipped += 1
        else:
            run.digests_created += 1
    if escalate:
        lines = [f"{a.unit.name}：{_line(a, day)}" for a in escalate]
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
