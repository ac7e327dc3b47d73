"""Scoped reads of campaigns, tasks and assignments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from campaigns import metrics
from campaigns.models import Campaign, Target, Task, TaskAssignment
from organizations.access import get_for_user, scope_to_user, sees_all_units


def campaign_current() -> Campaign | None:
    """The newest campaign: the one the workbench shows unless another is chosen."""
    return Campaign.objects.order_by("-year").first()


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
        F("task__due_date").asc(nulls_last=True),
        "task__sort_order",
        "unit__sort_order",
        "pk",
    )


def assignment_summary(assignments: QuerySet[TaskAssignment], *, today: dt.date) -> dict[str, int]:
    """Counts over an (already scoped and filtered) assignment queryset, in one query."""
    done = Q(status=TaskAssignment.Status.DONE)
    due = Q(task__due_date__isnull=False)
    return assignments.order_by().aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=TaskAssignment.Status.PENDING)),
        overdue=Count("pk", filter=~done & due & Q(task__due_date__lt=today)),
        due_soon=Count(
            "pk",
            filter=~done & Q(task__due_date__gte=today, task__due_date__lte=today + dt.timedelta(days=7)),
        ),
        done=Count("pk", filter=done),
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


def timeliness_by_unit(*, campaign: Campaign, today: dt.date, user: Any = None) -> list[dict[str, Any]]:
    """Each responsible unit's tasks: done on time / done late / overdue / open / unacknowledged (one query).

    Scoped to `user` when given (reports and the dashboard pass none: they are for who sees all).
    """
    assignments = TaskAssignment.objects.filter(task__campaign=campaign)
    if user is not None:
        assignments = scope_to_user(assignments, user)
    done = Q(status=TaskAssignment.Status.DONE)
    on_time = done & (Q(task__due_date__isnull=True) | Q(completed_at__date__lte=F("task__due_date")))
    rows: Any = (
        assignments.order_by()
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(
            total=Count("pk"),
            done_on_time=Count("pk", filter=on_time),
            done_late=Count("pk", filter=done & ~on_time),
            overdue=Count("pk", filter=~done & Q(task__due_date__lt=today)),
            open=Count("pk", filter=~done & (Q(task__due_date__gte=today) | Q(task__due_date__isnull=True))),
            unacknowledged=Count("pk", filter=Q(status=TaskAssignment.Status.PENDING)),
        )
        .order_by("unit__sort_order", "unit__name")
    )
    return [dict(row) for row in rows]
