"""The dashboard's panels. Each reads the workstreams through their own selectors (the same ones the
summary report uses) with a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from campaigns.models import Campaign, TaskAssignment
from campaigns.selectors import TargetProgress, target_progress, timeliness_by_unit
from enterprises.selectors import visit_totals, visits_counted
from evidence.selectors import attach_thumbnails
from inspections.selectors import StatisticsRow, inspection_statistics
from microstations.models import StationActivity
from microstations.selectors import station_summary
from opinion.models import DeadlineState, OpinionIncident
from opinion.selectors import incident_level_status_counts, incidents_newest
from organizations.models import Unit
from publicity.models import PublicityActivity
from publicity.selectors import publicity_progress
from reports.selectors import pending_by_type
from volunteers.selectors import volunteer_summary

GREEN, AMBER, RED = "green", "amber", "red"
# Which record types each workstream card reports (their submitted ones show as 待审核 N beside it).
CARD_RECORD_TYPES: dict[int, tuple[str, ...]] = {
    1: ("microstations.stationactivity",),
    2: ("publicity.publicityactivity", "publicity.newsitem"),
    3: ("inspections.inspectionrecord",),
    4: ("enterprises.enterprisevisit",),
}


@dataclass(frozen=True)
class Filters:
    campaign: Campaign
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit: Unit | None = None

    @property
    def unit_id(self) -> int | None:
        return self.unit.pk if self.unit else None


@dataclass
class Figure:
    label: str
    value: int | str
    goal: int | None = None
    unit_label: str = ""


@dataclass
class Card:
    number: int
    notice_ref: str
    title: str
    rag: str
    rag_reason: str
    figures: list[Figure] = field(default_factory=list)
    # Submitted records awaiting review: shown beside the figures, never added into them.
    pending: int = 0


def header(campaign: Campaign, today: dt.date) -> dict[str, Any]:
    days = (campaign.metrology_day - today).days
    return {
        "campaign": campaign,
        "days_to_metrology_day": max(days, 0),
        "days_since_metrology_day": max(-days, 0),
        "today": today,
    }


def elapsed_fraction(campaign: Campaign, today: dt.date) -> float | None:
    """How much of the campaign's time has passed (None when it has no dates)."""
    if not campaign.start_date or not campaign.end_date or campaign.end_date <= campaign.start_date:
        return None
    span = (campaign.end_date - campaign.start_date).days
    return min(1.0, max(0.0, (today - campaign.start_date).days / span))


def rag_for_targets(progress: list[TargetProgress], elapsed: float | None) -> tuple[str, str]:
    """Green when every target is at least as far along as the calendar, amber within 70 % of it."""
    ratios = [p.actual / p.target.goal for p in progress if p.actual is not None and p.target.goal]
    if not ratios or elapsed is None:
        return "", ""
    worst = min(ratios)
    if worst >= 1 or worst >= elapsed:
        return GREEN, "目标进度不落后于活动时间进度"
    if worst >= 0.7 * elapsed:
        return AMBER, "目标进度略落后于活动时间进度"
    return RED, "目标进度明显落后于活动时间进度"


def task_rag_by_workstream(filters: Filters, today: dt.date) -> dict[int | None, tuple[str, str]]:
    """From the tasks of each workstream: overdue work is red, unsigned work amber (one query)."""
    assignments = TaskAssignment.objects.filter(task__campaign=filters.campaign)
    if filters.unit_id:
        assignments = assignments.filter(unit_id=filters.unit_id)
    done = Q(status=TaskAssignment.Status.DONE)
    rows = (
        assignments.order_by()
        .values("task__workstream_id")
        .annotate(
            overdue=Count("pk", filter=~done & Q(task__due_date__lt=today)),
            pending=Count("pk", filter=Q(status=TaskAssignment.Status.PENDING)),
        )
    )
    result: dict[int | None, tuple[str, str]] = {}
    for row in rows:
        if row["overdue"]:
            result[row["task__workstream_id"]] = (RED, f"{row['overdue']} 项任务逾期未完成")
        elif row["pending"]:
            result[row["task__workstream_id"]] = (AMBER, f"{row['pending']} 项任务尚未签收")
        else:
            result[row["task__workstream_id"]] = (GREEN, "任务均按时推进")
    return result


def inspection_rows(filters: Filters) -> list[StatisticsRow]:
    """The statistics table for the filters (four queries); the cards and the chart share one call."""
    return inspection_statistics(
        campaign=filters.campaign, date_from=filters.date_from, date_to=filters.date_to, unit=filters.unit
    )


def pending_counts(filters: Filters) -> dict[str, int]:
    """待审核 counts by record type for the filters (one query); cards and charts share one call."""
    return pending_by_type(
        campaign=filters.campaign,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit_id=filters.unit_id,
    )


def workstream_cards(
    filters: Filters,
    today: dt.date,
    *,
    user: Any,
    statistics: list[StatisticsRow],
    pending: dict[str, int],
) -> list[Card]:
    campaign = filters.campaign
    progress = target_progress(campaign=campaign)
    elapsed = elapsed_fraction(campaign, today)
    task_rag = task_rag_by_workstream(filters, today)
    stations = station_summary(
        campaign=campaign, date_from=filters.date_from, date_to=filters.date_to, unit_id=filters.unit_id
    )
    volunteers = volunteer_summary(campaign=campaign, unit_id=filters.unit_id)
    publicity = publicity_progress(
        user=user,
        campaign=campaign,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit_id=filters.unit_id,
    )
    inspections = statistics[-1]
    visits = visit_totals(
        visits_counted(
            campaign=campaign, date_from=filters.date_from, date_to=filters.date_to, unit_id=filters.unit_id
        )
    )
    extra: dict[int, list[Figure]] = {
        1: [
            Figure("微站活动", stations["activities"], unit_label="场"),
            Figure("活动覆盖", stations["people"], unit_label="人次"),
            Figure("小小宣传员", volunteers["juniors"], unit_label="名"),
        ],
        3: [
            Figure("检查单位", inspections.parties, unit_label="家"),
            Figure("检查器具", inspections.figures.instruments, unit_label="台件"),
            Figure("发现问题", inspections.problems, unit_label="个"),
            Figure("立案", inspections.cases_filed, unit_label="件"),
        ],
        4: [
            Figure("服务企业", visits["count"], unit_label="次"),
            Figure("解决计量难题", visits["solved"], goal=None, unit_label=f"/{visits['problems']}个"),
            Figure("检定校准器具", visits["instruments"], unit_label="台件"),
        ],
        2: [
            Figure("线下宣传", publicity["offline"], unit_label="场"),
            Figure("线上推送", publicity["online"], unit_label="条"),
            Figure("线上阅读", publicity["views"], unit_label="次"),
            Figure("参与群众", publicity["participants"], unit_label="人次"),
            Figure("发放资料", publicity["materials"], unit_label="份"),
        ],
    }
    cards = []
    for workstream in campaign.workstreams.order_by("number"):
        own = [p for p in progress if p.target.workstream_id == workstream.pk]
        rag, reason = rag_for_targets(own, elapsed)
        if not rag:
            rag, reason = task_rag.get(workstream.pk, ("", "暂无任务"))
        # Targets are the county's goals, counted over every unit: under a unit filter they say so.
        suffix = "（全县）" if filters.unit_id else ""
        figures = [
            Figure(
                p.target.label + suffix,
                "未接入统计" if p.actual is None else p.actual,
                p.target.goal,
                p.target.unit_label,
            )
            for p in own
        ]
        cards.append(
            Card(
                number=workstream.number,
                notice_ref=workstream.notice_ref,
                title=workstream.title,
                rag=rag,
                rag_reason=reason,
                figures=figures + extra.get(workstream.number, []),
                pending=sum(pending.get(key, 0) for key in CARD_RECORD_TYPES.get(workstream.number, ())),
            )
        )
    return cards


def inspection_chart(statistics: list[StatisticsRow], pending: dict[str, int]) -> dict[str, Any]:
    """Instruments checked and problems found by domain (the statistics table's domain rows)."""
    rows = statistics[:-1]
    return {
        "domains": [row.label for row in rows],
        "instruments": [row.figures.instruments for row in rows],
        "problems": [row.problems for row in rows],
        "pending": pending.get("inspections.inspectionrecord", 0),
    }


def timeliness(filters: Filters, today: dt.date) -> list[dict[str, Any]]:
    rows = timeliness_by_unit(campaign=filters.campaign, today=today)
    if filters.unit_id:
        rows = [row for row in rows if row["unit_id"] == filters.unit_id]
    return rows


def _weekly(queryset: Any, date_field: str) -> dict[str, int]:
    rows = (
        queryset.order_by()
        .annotate(week=TruncWeek(date_field))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    return {f"{row['week']:%Y-%m-%d}": row["n"] for row in rows if row["week"] is not None}


def _counted_in_filters(queryset: Any, filters: Filters) -> Any:
    """Approved records of the campaign within the filters' dates and unit."""
    records = queryset.counted().filter(campaign=filters.campaign)
    if filters.unit_id:
        records = records.filter(unit_id=filters.unit_id)
    if filters.date_from:
        records = records.filter(date__gte=filters.date_from)
    if filters.date_to:
        records = records.filter(date__lte=filters.date_to)
    return records


def activity_series(filters: Filters, pending: dict[str, int]) -> dict[str, Any]:
    """Approved activities per week (Monday) and workstream, for the activity chart; 待审核 beside."""
    series = {
        "微站活动": _weekly(_counted_in_filters(StationActivity.objects, filters), "date"),
        "宣传活动": _weekly(_counted_in_filters(PublicityActivity.objects, filters), "date"),
    }
    weeks = sorted({week for counts in series.values() for week in counts})
    return {
        "weeks": weeks,
        "series": [
            {"name": name, "data": [counts.get(w, 0) for w in weeks]} for name, counts in series.items()
        ],
        "pending": pending.get("microstations.stationactivity", 0)
        + pending.get("publicity.publicityactivity", 0),
    }


def latest_activities(filters: Filters, limit: int = 6) -> list[StationActivity]:
    """The newest approved station activities in the filters, each with its photos attached (two queries)."""
    activities = _counted_in_filters(StationActivity.objects, filters)
    newest = list(activities.select_related("station", "unit").order_by("-date", "-pk")[:limit])
    attach_thumbnails(newest)
    return newest


def overdue_followups(filters: Filters, today: dt.date, limit: int = 8) -> list[TaskAssignment]:
    assignments = TaskAssignment.objects.filter(task__campaign=filters.campaign).overdue(today)
    if filters.unit_id:
        assignments = assignments.filter(unit_id=filters.unit_id)
    return list(assignments.select_related("task", "unit").order_by("task__due_date", "pk")[:limit])


def opinion_chart(filters: Filters) -> dict[str, Any]:
    """舆情 by level (rows) and status (stacked series), for the chart."""
    rows = incident_level_status_counts(
        campaign=filters.campaign,
        unit_id=filters.unit_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    levels = list(dict.fromkeys(row["level__name"] for row in rows))
    labels = dict(OpinionIncident.Status.choices)
    series = []
    for status, label in labels.items():
        counts = {row["level__name"]: row["n"] for row in rows if row["status"] == status}
        series.append({"name": str(label), "data": [counts.get(level, 0) for level in levels]})
    return {"levels": levels, "series": series}


def newest_incidents(filters: Filters, now: dt.datetime) -> list[OpinionIncident]:
    incidents = incidents_newest(
        campaign=filters.campaign,
        unit_id=filters.unit_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    for incident in incidents:
        incident.report_badge = DeadlineState(incident.report_state(now))  # type: ignore[attr-defined]
    return incidents
