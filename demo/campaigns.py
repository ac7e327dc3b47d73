"""Demo dates, progress and reporting windows for the seeded campaign, deterministic."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from campaigns.models import Campaign, PartyGroup, ReportingWindow, TaskAssignment
from campaigns.services import group_save, reporting_windows_generate, task_sync_assignments
from organizations.models import Unit, User

Status = TaskAssignment.Status

DEMO_START = dt.date(2025, 4, 25)
DEMO_END = dt.date(2025, 6, 30)
# Due dates for the notice's tasks, by notice section; the notice itself sets none.
DEMO_DUE = {
    "二（一）": dt.date(2025, 5, 20),
    "二（二）": dt.date(2025, 5, 31),
    "二（三）": dt.date(2025, 6, 15),
    "二（四）": dt.date(2025, 6, 30),
    "三（四）": dt.date(2025, 6, 30),
}
# The weekly 信息报送: each 市场监管所 sends at least one news item a week until 5·20, then a month.
OFFICES_LABEL = "各市场监管所"
REPORTED_TYPES = ["publicity.newsitem"]


def seed_campaign_demo(campaign: Campaign, *, scale: int, seed: int, actors: dict[int, User]) -> int:
    """Fill in demo dates and move assignments along (`scale` is kept for the callers' symmetry: the
    notice's tasks are the same at every volume).

    `actors` maps a unit id to the demo user who signs for that unit's tasks. Returns the number of
    assignments in the campaign.
    """
    if campaign.start_date is None or campaign.end_date is None:
        campaign.start_date, campaign.end_date = DEMO_START, DEMO_END
        campaign.save(update_fields=["start_date", "end_date"])
    for ref, due in DEMO_DUE.items():
        campaign.tasks.filter(notice_ref=ref, due_date__isnull=True).update(due_date=due)
    for task in campaign.tasks.prefetch_related("parties"):
        task_sync_assignments(task=task)

    # Progress: most work done around its due date, some signed and under way, some never signed.
    # Each assignment's fate is drawn from its own (seed, task, unit) so that a rerun changes nothing;
    # by their names, not their ids, so that every fresh database gets the same demo whatever its ids.
    assignments = TaskAssignment.objects.filter(
        task__campaign=campaign, status=Status.PENDING
    ).select_related("task", "unit")
    now = timezone.now()
    to_update = []
    for assignment in assignments.order_by("pk"):
        key = f"{seed}:{assignment.task.notice_ref}:{assignment.task.title}:{assignment.unit.name}"
        draw = random.Random(key)  # noqa: S311 (demo data)
        roll = draw.random()
        actor = actors.get(assignment.unit_id)
        if roll < 0.15:
            continue  # stays 待签收
        due = assignment.task.due_date or DEMO_END
        signed_at = timezone.make_aware(
            dt.datetime.combine(due - dt.timedelta(days=draw.randint(10, 25)), dt.time(9))
        )
        assignment.acknowledged_at = min(signed_at, now)
        assignment.acknowledged_by = actor
        if roll < 0.3:
            assignment.status = Status.ACKNOWLEDGED
        elif roll < 0.45:
            assignment.status = Status.IN_PROGRESS
            assignment.started_at = assignment.acknowledged_at
        else:
            assignment.status = Status.DONE
            assignment.started_at = assignment.acknowledged_at
            finished = due + dt.timedelta(days=draw.randint(-6, 3))
            assignment.completed_at = min(
                timezone.make_aware(dt.datetime.combine(finished, dt.time(17))), now
            )
        to_update.append(assignment)
    TaskAssignment.objects.bulk_update(
        to_update,
        ["status", "acknowledged_at", "acknowledged_by", "started_at", "completed_at"],
        batch_size=500,
    )
    return TaskAssignment.objects.filter(task__campaign=campaign).count()


def seed_reporting_windows(campaign: Campaign, *, admin: User) -> list[ReportingWindow]:
    """The weekly 信息报送 as the bureau would plan it: reporting windows for every 市场监管所, weekly
    until 5·20 and monthly to the campaign's end, each due the day after it closes. Made through the
    planning services, so a rerun adds nothing; returns the windows made this run."""
    group = campaign.party_groups.filter(label=OFFICES_LABEL).first() or _offices_group(campaign, admin)
    return reporting_windows_generate(
        actor=admin,
        campaign=campaign,
        group=group,
        record_types=REPORTED_TYPES,
        weekly_until=campaign.metrology_day,
        monthly_until=campaign.end_date,
        due_days=1,
    )


def _offices_group(campaign: Campaign, admin: User) -> PartyGroup:
    return group_save(
        actor=admin,
        campaign=campaign,
        group=None,
        data={"label": OFFICES_LABEL, "unit_kinds": [Unit.Kind.OFFICE]},
        added_unit_ids=[],
        excluded_unit_ids=[],
    )
