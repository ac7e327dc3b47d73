"""Scoped reads of campaigns, tasks and assignments."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from campaigns import longterm, metrics, reporting, spending
from campaigns.models import (
    EFFECTIVE_DUE,
    Campaign,
    Milestone,
    PartyGroup,
    Target,
    Task,
    TaskAssignment,
    WorkRequirement,
)
from organizations.access import get_for_user, scope_to_user, sees_all_units
from organizations.models import Unit


def campaign_current() -> Campaign | None:
    """The newest campaign: the one the workbench shows unless another is chosen."""
    return Campaign.objects.order_by("-year").first()


def campaign_for_date(day: dt.date) -> Campaign | None:
    """The campaign a standing registry's activity on `day` counts toward: the one whose dates cover
    the day (an open end counts as covering, an open start from the campaign's year on; the newest,
    should two overlap), else that year's campaign, else None (two queries at most).

    Stations, volunteers and enterprises are entered once and carry over from year to year; what they
    do is counted by its date, not by the campaign they were first entered under."""
    covering = (
        # An open start covers only from its own year: an undated later campaign is not last year's.
        Campaign.objects.filter(Q(start_date__lte=day) | Q(start_date__isnull=True, year__lte=day.year))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-year")
        .first()
    )
    return covering or Campaign.objects.filter(year=day.year).first()


def assignment_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    status: str = "",
    workstream_id: int | None = None,
    unit_id: int | None = None,
    timing: str = "",
    search: str = "",
    today: dt.date,
) -> QuerySet[TaskAssignment]:
    """The assignments the user may see, filtered. `timing` is "overdue", "due_soon" (7 days) or ""."""
    queryset = scope_to_user(TaskAssignment.objects.all(), user).select_related(
        "task", "task__workstream", "task__campaign", "unit", "acknowledged_by"
    )
    if campaign is not None:
        queryset = queryset.filter(task__campaign=campaign)
    if status:
        queryset = queryset.filter(status=status)
    if workstream_id:
        queryset = queryset.filter(task__workstream_id=workstream_id)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if timing == "overdue":
        queryset = queryset.overdue(today)
    elif timing == "due_soon":
        queryset = queryset.due_within(today, 7)
    if search:
        queryset = queryset.filter(Q(task__title__icontains=search) | Q(task__description__icontains=search))
    # Open work first, the most urgent on top (work without a due date after dated work, on every
    # database: SQLite sorts NULL first, PostgreSQL last); finished work after it.
    finished_last = Case(
        When(status=TaskAssignment.Status.DONE, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.order_by(
        finished_last,
        EFFECTIVE_DUE.asc(nulls_last=True),
        "task__sort_order",
        "unit__sort_order",
        "pk",
    )


def assignment_summary(assignments: QuerySet[TaskAssignment], *, today: dt.date) -> dict[str, int]:
    """Counts over an (already scoped and filtered) assignment queryset, in one query."""
    done = Q(status=TaskAssignment.Status.DONE)
    due = Q(effective_due__isnull=False)
    return (
        assignments.annotate(effective_due=EFFECTIVE_DUE)
        .order_by()
        .aggregate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(status=TaskAssignment.Status.PENDING)),
            overdue=Count("pk", filter=~done & due & Q(effective_due__lt=today)),
            due_soon=Count(
                "pk",
                filter=~done & Q(effective_due__gte=today, effective_due__lte=today + dt.timedelta(days=7)),
            ),
            done=Count("pk", filter=done),
        )
    )


def assignment_get_for_user(*, user: Any, pk: Any) -> TaskAssignment:
    queryset = TaskAssignment.objects.select_related(
        "task", "task__workstream", "task__campaign", "unit", "acknowledged_by"
    ).prefetch_related("task__parties__unit")
    return get_for_user(queryset, user, pk=pk)


def task_list_for_user(*, user: Any) -> QuerySet[Task]:
    """Tasks with at least one assignment the user may see, each with only those assignments attached."""
    visible_assignments = scope_to_user(TaskAssignment.objects.all(), user).select_related("unit")
    tasks = Task.objects.select_related("campaign", "workstream").prefetch_related(
        "parties__unit",
        Prefetch("assignments", queryset=visible_assignments, to_attr="visible_assignments"),
    )
    if not sees_all_units(user):
        tasks = tasks.filter(pk__in=visible_assignments.values("task_id"))
    return tasks


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    actual: int | None  # None: no app has registered how to count this metric yet

    @property
    def percent(self) -> int:
        if not self.actual or not self.target.goal:
            return 0
        return min(100, round(100 * self.actual / self.target.goal))


def target_progress(
    *, campaign: Campaign | None, metrics_keys: list[str] | None = None
) -> list[TargetProgress]:
    """The campaign's targets with their actuals counted from records (one query per metric)."""
    if campaign is None:
        return []
    targets = campaign.targets.select_related("campaign").order_by("workstream__number", "pk")
    if metrics_keys is not None:
        targets = targets.filter(metric__in=metrics_keys)
    return [TargetProgress(target=target, actual=metrics.actual_for(target)) for target in targets]


def done_as_of_q(as_of: dt.date) -> Q:
    """Finished by the end of `as_of` (work marked done without a completion time counts as done)."""
    return Q(status=TaskAssignment.Status.DONE) & (
        Q(completed_at__isnull=True) | Q(completed_at__date__lte=as_of)
    )


def assignments_with_due(*, campaign: Campaign | None = None) -> QuerySet[TaskAssignment]:
    """Assignments annotated with `effective_due`: the unit's own deadline, else the task's. This is
    THE deadline of a unit's work everywhere (workbench, API, reminders, dashboard, reports)."""
    queryset = TaskAssignment.objects.all()
    if campaign is not None:
        queryset = queryset.filter(task__campaign=campaign)
    return queryset.with_due()


def assignments_overdue(
    *, campaign: Campaign | None, as_of: dt.date, unit_id: int | None = None
) -> QuerySet[TaskAssignment]:
    """The assignments overdue as of `as_of`: their effective deadline passed before that day and
    they were not finished by the end of it (work finished later was still overdue then).
    Each carries `effective_due`; most overdue first."""
    queryset = (
        assignments_with_due(campaign=campaign)
        .filter(effective_due__lt=as_of)  # type: ignore[misc]  # annotated by with_due
        .exclude(done_as_of_q(as_of))
    )
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    return queryset.order_by(
        "effective_due",  # type: ignore[misc]  # annotated by with_due
        "task__sort_order",
        "unit__sort_order",
        "pk",
    )


def timeliness_by_unit(*, campaign: Campaign, today: dt.date, user: Any = None) -> list[dict[str, Any]]:
    """Each responsible unit's tasks as of `today` (a report passes its period's end): done on time /
    done late / overdue / open / unacknowledged (one query). Work finished or signed for after
    `today` counts as it stood on that day.

    Scoped to `user` when given (reports and the dashboard pass none: they are for who sees all).
    """
    assignments = TaskAssignment.objects.filter(task__campaign=campaign)
    if user is not None:
        assignments = scope_to_user(assignments, user)
    done = done_as_of_q(today)
    on_time = done & (
        Q(effective_due__isnull=True)
        | Q(completed_at__isnull=True)
        | Q(completed_at__date__lte=F("effective_due"))
    )
    acknowledged = Q(acknowledged_at__date__lte=today) | (
        Q(acknowledged_at__isnull=True) & ~Q(status=TaskAssignment.Status.PENDING)
    )
    rows: Any = (
        assignments.annotate(effective_due=EFFECTIVE_DUE)
        .order_by()
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(
            total=Count("pk"),
            done_on_time=Count("pk", filter=on_time),
            done_late=Count("pk", filter=done & ~on_time),
            overdue=Count("pk", filter=~done & Q(effective_due__lt=today)),
            open=Count("pk", filter=~done & (Q(effective_due__gte=today) | Q(effective_due__isnull=True))),
            unacknowledged=Count("pk", filter=~done & ~acknowledged),
        )
        .order_by("unit__sort_order", "unit__name")
    )
    return [dict(row) for row in rows]


# --- Planning and the notice page ---------------------------------------------------------------------


def campaign_get_by_year(*, year: int) -> Campaign:
    """A campaign by its year, or 404 (campaigns are not unit-scoped: every user may read the plan)."""
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise Http404
    return campaign


def plan_tasks(*, campaign: Campaign) -> QuerySet[Task]:
    """The campaign's tasks with their parties, milestones and assignment counts (3 queries)."""
    return (
        campaign.tasks.select_related("workstream")
        .prefetch_related("parties", "milestones")
        .annotate(
            assignment_count=Count("assignments", distinct=True),
            own_deadline_count=Count(
                "assignments", filter=Q(assignments__due_date__isnull=False), distinct=True
            ),
        )
        .order_by("sort_order", "pk")
    )


def plan_groups(*, campaign: Campaign) -> QuerySet[PartyGroup]:
    return campaign.party_groups.prefetch_related("excluded_units", "added_units").order_by("label")


def group_members(*, group: PartyGroup) -> list[Unit]:
    return [unit for unit in Unit.objects.filter(is_active=True) if group.includes(unit)]


def plan_task_get(*, campaign: Campaign, pk: Any) -> Task:
    task = campaign.tasks.filter(pk=pk).select_related("campaign", "workstream").first()
    if task is None:
        raise Http404
    return task


def requirement_get_for_user(*, user: Any, pk: Any) -> WorkRequirement:
    """A 工作要求 in the user's scope (its owner is the user's unit, or the user sees all), or 404."""
    return get_for_user(
        WorkRequirement.objects.select_related("campaign", "owner"),
        user,
        pk=pk,
        unit_field=WorkRequirement.unit_scope_field,
    )


def requirements_for_unit(*, campaign: Campaign, unit_id: int | None) -> QuerySet[WorkRequirement]:
    """The campaign's 工作要求 a unit answers for, in the notice's order."""
    if unit_id is None:
        return campaign.requirements.none()
    return campaign.requirements.filter(owner_id=unit_id).order_by("pk")


@dataclass(frozen=True)
class NoticeSection:
    ref: str  # "二（一）", or "" for paragraphs outside a numbered item
    paragraphs: list[str]
    tasks: list[Task]
    requirements: list[WorkRequirement]


def notice_sections(*, campaign: Campaign, user: Any) -> list[NoticeSection]:
    """The notice's full text in its numbered items, each with the tasks it gives and their progress
    as far as the user may see (each task's `visible_assignments`)."""
    # Every task of the notice is shown (the notice is every user's); assignments only in the user's scope.
    visible_assignments = scope_to_user(TaskAssignment.objects.all(), user).select_related("unit")
    tasks = campaign.tasks.prefetch_related(
        Prefetch("assignments", queryset=visible_assignments, to_attr="visible_assignments")
    )
    tasks_by_ref: dict[str, list[Task]] = {}
    for task in tasks.order_by("sort_order", "pk"):
        tasks_by_ref.setdefault(task.notice_ref, []).append(task)
    requirements_by_ref: dict[str, list[WorkRequirement]] = {}
    for requirement in campaign.requirements.select_related("owner").order_by("pk"):
        requirements_by_ref.setdefault(requirement.notice_ref, []).append(requirement)

    def section(ref: str, paragraphs: list[str]) -> NoticeSection:
        return NoticeSection(
            ref=ref,
            paragraphs=paragraphs,
            tasks=tasks_by_ref.get(ref, []),
            requirements=requirements_by_ref.get(ref, []),
        )

    sections: list[NoticeSection] = []
    top, ref = "", ""
    paragraphs: list[str] = []
    for line in (line.strip() for line in campaign.notice_text.splitlines()):
        if not line:
            continue
        heading = NOTICE_TOP.match(line)
        item = NOTICE_ITEM.match(line)
        if heading or item:
            if paragraphs:
                sections.append(section(ref, paragraphs))
            paragraphs = []
            if heading:
                top, ref = heading.group(1), ""
            else:
                ref = f"{top}{item.group(1)}" if item else ""
        paragraphs.append(line)
    if paragraphs:
        sections.append(section(ref, paragraphs))
    return sections


NOTICE_TOP = re.compile(r"^([一二三四五六七八九十]+)、")
NOTICE_ITEM = re.compile(r"^(（[一二三四五六七八九十]+）)")


MET, MISSED, UPCOMING, PASSED, UNKNOWN = "met", "missed", "upcoming", "passed", "unknown"
MILESTONE_STATUS_LABELS = {
    MET: _("已达成"),
    MISSED: _("未达成"),
    UPCOMING: _("未到期"),
    PASSED: _("已到期"),
    UNKNOWN: _("无法按节点日统计"),
}


@dataclass(frozen=True)
class MilestoneProgress:
    milestone: Milestone
    # The figure AS OF the milestone's date (today's while the date is ahead); None: only a date, a
    # metric no app has registered, or one the app cannot count by date once the date has passed.
    actual: int | None
    status: str  # MET, MISSED, UPCOMING, PASSED (a date-only milestone gone by) or UNKNOWN

    def reached(self) -> bool | None:
        goal = self.milestone.goal
        return None if self.actual is None or goal is None else self.actual >= goal

    @property
    def status_label(self) -> str:
        return str(MILESTONE_STATUS_LABELS[self.status])


def _milestone_status(milestone: Milestone, actual: int | None, today: dt.date) -> str:
    passed = milestone.due_date < today
    if not milestone.metric:
        return PASSED if passed else UPCOMING
    if actual is None:
        return UNKNOWN if passed else UPCOMING
    if milestone.goal is not None and actual >= milestone.goal:
        return MET
    return MISSED if passed else UPCOMING


def milestone_progress(*, task: Task, today: dt.date) -> list[MilestoneProgress]:
    """The task's milestones, each judged by the figure as it stood on its own date, not today's: met,
    missed or still ahead (one query, then one per metric)."""
    rows = []
    for milestone in task.milestones.select_related("task__campaign").order_by("due_date", "pk"):
        metric = metrics.get(milestone.metric) if milestone.metric else None
        actual = (
            metric.figure_on(milestone.task.campaign, milestone.due_date, today=today) if metric else None
        )
        rows.append(
            MilestoneProgress(
                milestone=milestone, actual=actual, status=_milestone_status(milestone, actual, today)
            )
        )
    return rows


def dashboard_panels(*, campaign: Campaign, today: dt.date) -> dict[str, Any]:
    """The planning panels of the dashboard, computed only if its template shows them (so a page
    without them runs no query for them): the reporting grid, 经费 and the stations' year."""
    return {
        "planning_reporting": SimpleLazyObject(
            lambda: reporting.reporting_grid(campaign=campaign, today=today)
        ),
        "planning_spending": SimpleLazyObject(lambda: spending.spending(campaign=campaign)),
        "planning_stations": SimpleLazyObject(lambda: longterm.station_activity_counts(today=today)),
    }
