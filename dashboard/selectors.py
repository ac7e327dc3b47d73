"""The dashboard's panels. Each reads the workstreams through their own selectors (the same ones the
summary report uses) with a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from campaigns.models import Campaign, TaskAssignment
from campaigns.selectors import (
    TargetProgress,
    assignments_overdue,
    assignments_with_due,
    target_progress,
    timeliness_by_unit,
)
from enterprises.models import EnterpriseVisit
from enterprises.selectors import visit_totals, visits_counted
from evidence.selectors import attach_thumbnails
from inspections.models import DOMAIN_ROW_LABELS, Domain, InspectionRecord
from inspections.selectors import StatisticsRow
from inspections.verification import Figures
from instruments.selectors import Coverage, instrument_coverage
from microstations.models import StationActivity
from opinion.models import DeadlineState, OpinionIncident, OpinionLevel
from opinion.selectors import incident_level_status_counts, incidents_newest
from organizations.models import Unit
from publicity.models import Adoption, PublicityActivity
from records.facts import FactTotals, facts_counts_by, facts_totals
from records.models import Fact, ReviewStatus, counted_q
from reports.models import Report
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
    # The list page showing the records the figure counts, filtered as the dashboard is ("" for none).
    url: str = ""

    @property
    def detail(self) -> str:
        """What follows the figure on its tile: the goal and the unit ("/9 个", "场")."""
        return f"/{self.goal}{self.unit_label}" if self.goal else self.unit_label


def list_url(
    name: str,
    filters: Filters | None = None,
    *,
    campaign: Campaign | None = None,
    extra: dict[str, str] | None = None,
) -> str:
    """The list `name` filtered by the dashboard's campaign, unit and period (`filters`), or by the
    campaign alone (`campaign`: a county-wide target), plus `extra` (the list's own filters)."""
    query: dict[str, Any] = {}
    if filters is not None:
        query["campaign"] = filters.campaign.pk
        if filters.unit_id:
            query["unit"] = filters.unit_id
        if filters.date_from:
            query["date_from"] = filters.date_from.isoformat()
        if filters.date_to:
            query["date_to"] = filters.date_to.isoformat()
    elif campaign is not None:
        query["campaign"] = campaign.pk
    query.update(extra or {})
    return f"{reverse(name)}?{urlencode(query)}"


APPROVED = {"review_status": ReviewStatus.APPROVED.value}
# Where a target's records are listed, by metric (the whole key, else its app's prefix): the list's
# name and its own filters. Targets count over the whole county and campaign, so do their lists.
TARGET_LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "microstations.stations_opened": ("microstations:station_list", {"stage": "opened"}),
    "volunteers.recruited": ("volunteers:volunteer_list", {"is_active": "true"}),
    "publicity.adopted_news": ("publicity:news_list", {"adopted": "1", **APPROVED}),
    "publicity": ("publicity:activity_list", APPROVED),
    "inspections": ("inspections:inspection_list", APPROVED),
    "enterprises": ("enterprises:visit_list", APPROVED),
}


def target_url(metric: str, campaign: Campaign) -> str:
    found = TARGET_LISTS.get(metric) or TARGET_LISTS.get(metric.split(".", 1)[0])
    if found is None:
        return ""
    name, extra = found
    return list_url(name, campaign=campaign, extra=extra)


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


@dataclass(frozen=True)
class PageState:
    """What a request needs before it can reuse the cached panels, read in one query."""

    campaign: Campaign
    # When the campaign's official figures last changed (records.facts.facts_computed_at).
    figures_at: dt.datetime | None
    # The newest report of the campaign: the recent reports are reused until another is requested.
    newest_report: int | None


def page_state(campaign: Campaign | None = None) -> PageState | None:
    """The chosen campaign (else the newest, as campaigns.selectors.campaign_current) with when its
    figures last changed and its newest report, in one query (each a round trip on PostgreSQL, paid on
    every request, cached or not); None when there is no campaign."""
    campaigns = Campaign.objects.annotate(
        figures_at=Subquery(
            Fact.objects.filter(campaign=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
        ),
        newest_report=Subquery(
            Report.objects.filter(campaign=OuterRef("pk")).order_by("-pk").values("pk")[:1]
        ),
    )
    campaigns = campaigns.filter(pk=campaign.pk) if campaign is not None else campaigns.order_by("-year")
    found = campaigns.first()
    if found is None:
        return None
    return PageState(campaign=found, figures_at=found.figures_at, newest_report=found.newest_report)


def recent_reports(campaign: Campaign, limit: int = 3) -> list[Report]:
    return list(
        Report.objects.filter(campaign=campaign).select_related("campaign").order_by("-created_at")[:limit]
    )


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
    # A unit's own deadline, else the task's, is THE deadline (campaigns.selectors).
    assignments = assignments_with_due(campaign=filters.campaign)
    if filters.unit_id:
        assignments = assignments.filter(unit_id=filters.unit_id)
    done = Q(status=TaskAssignment.Status.DONE)
    rows = (
        assignments.order_by()
        .values("task__workstream_id")
        .annotate(
            overdue=Count("pk", filter=~done & Q(effective_due__lt=today)),
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


def official_figures(filters: Filters) -> FactTotals:
    """Every official figure within the filters, from the precomputed facts (records.facts, kept in
    step with each approval): one query, whatever the number of records. Cards, charts and the
    statistics rows share one call."""
    return facts_totals(
        campaign=filters.campaign,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit_id=filters.unit_id,
    )


INSPECTION = InspectionRecord._meta.label_lower
STATION_ACTIVITY = StationActivity._meta.label_lower
PUBLICITY_ACTIVITY = PublicityActivity._meta.label_lower
VISIT = EnterpriseVisit._meta.label_lower
# The statistics row's figures summed as they are (the instrument figures go into its Figures).
SUMMED_COLUMNS = (
    "turnout",
    "problems",
    "rectification_ordered",
    "rectified",
    "cases_filed",
    "cases_closed",
    "cheating_cases",
    "devices_confiscated",
    "referred_to_police",
    "dispensers",
)


def inspection_rows(official: FactTotals) -> list[StatisticsRow]:
    """The statistics table (six domains and 合计, as inspections.selectors.inspection_statistics
    computes it from records) from the precomputed figures; no query."""
    rows = []
    total = StatisticsRow(label=_("合计"), domain=None)
    parties = set(official.keys(INSPECTION, "party"))
    for domain in Domain.values:

        def value(metric: str, domain: str = domain) -> Decimal:
            return official.total(INSPECTION, metric, [domain])

        row = StatisticsRow(
            label=str(DOMAIN_ROW_LABELS[domain]),
            domain=domain,
            parties=sum(1 for party in parties if party.startswith(f"{domain}:")),
            figures=Figures(**{name: int(value(name)) for name in Figures.__dataclass_fields__}),
            fines=value("fines"),
            confiscated_income=value("confiscated_income"),
        )
        for name in SUMMED_COLUMNS:
            setattr(row, name, int(value(name)))
        rows.append(row)
        total.add(row)
    # 检查单位（家） counts each party once, whatever the domains it was inspected in.
    total.parties = len({party.split(":", 1)[1] for party in parties})
    return [*rows, total]


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
    official: FactTotals,
    statistics: list[StatisticsRow],
    pending: dict[str, int],
) -> list[Card]:
    campaign = filters.campaign
    progress = target_progress(campaign=campaign)
    elapsed = elapsed_fraction(campaign, today)
    task_rag = task_rag_by_workstream(filters, today)
    volunteers = volunteer_summary(campaign=campaign, unit_id=filters.unit_id)
    stations = {
        "activities": int(official.total(STATION_ACTIVITY, "count")),
        "people": int(official.total(STATION_ACTIVITY, "people_reached")),
    }
    online, offline = PublicityActivity.ONLINE_CHANNELS, PublicityActivity.OFFLINE_CHANNELS
    publicity = {
        "offline": int(official.total(PUBLICITY_ACTIVITY, "count", offline)),
        "online": int(official.total(PUBLICITY_ACTIVITY, "count", online)),
        "views": int(official.total(PUBLICITY_ACTIVITY, "views", online)),
        "participants": int(official.total(PUBLICITY_ACTIVITY, "participants")),
        "materials": int(official.total(PUBLICITY_ACTIVITY, "materials_distributed")),
    }
    inspections = statistics[-1]
    # Problem tickets move on after their visit's approval: those two figures are read live.
    problems = visit_totals(
        visits_counted(
            campaign=campaign, date_from=filters.date_from, date_to=filters.date_to, unit_id=filters.unit_id
        )
    )
    visits = {
        "count": int(official.total(VISIT, "count")),
        "instruments": int(official.total(VISIT, "instruments_serviced")),
        "solved": problems["solved"],
        "problems": problems["problems"],
    }
    activities = list_url("microstations:activity_list", filters, extra=APPROVED)
    juniors = list_url(
        "volunteers:volunteer_list", campaign=campaign, extra={"kind": "junior", "is_active": "true"}
    )
    inspection_list = list_url("inspections:inspection_list", filters, extra=APPROVED)
    visit_list = list_url("enterprises:visit_list", filters, extra=APPROVED)
    publicity_list = list_url("publicity:activity_list", filters, extra=APPROVED)
    extra: dict[int, list[Figure]] = {
        1: [
            Figure("微站活动", stations["activities"], unit_label="场", url=activities),
            Figure("活动覆盖", stations["people"], unit_label="人次", url=activities),
            Figure("小小宣传员", volunteers["juniors"], unit_label="名", url=juniors),
        ],
        3: [
            Figure("检查单位", inspections.parties, unit_label="家", url=inspection_list),
            Figure("检查器具", inspections.figures.instruments, unit_label="台件", url=inspection_list),
            Figure("发现问题", inspections.problems, unit_label="个", url=inspection_list),
            Figure("立案", inspections.cases_filed, unit_label="件", url=inspection_list),
        ],
        4: [
            Figure("服务企业", visits["count"], unit_label="次", url=visit_list),
            Figure(
                "解决计量难题",
                visits["solved"],
                goal=None,
                unit_label=f"/{visits['problems']}个",
                url=visit_list,
            ),
            Figure("检定校准器具", visits["instruments"], unit_label="台件", url=visit_list),
        ],
        2: [
            Figure("线下宣传", publicity["offline"], unit_label="场", url=publicity_list),
            Figure("线上推送", publicity["online"], unit_label="条", url=publicity_list),
            Figure("线上阅读", publicity["views"], unit_label="次", url=publicity_list),
            Figure("参与群众", publicity["participants"], unit_label="人次", url=publicity_list),
            Figure("发放资料", publicity["materials"], unit_label="份", url=publicity_list),
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
                url="" if p.actual is None else target_url(p.target.metric, campaign),
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
    """Approved activities per week (Monday) and workstream, for the activity chart, from the
    precomputed figures (one query); 待审核 beside."""
    by_day = facts_counts_by(
        "day",
        record_types=(STATION_ACTIVITY, PUBLICITY_ACTIVITY),
        campaign=filters.campaign,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit_id=filters.unit_id,
    )
    series: dict[str, dict[str, int]] = {"微站活动": {}, "宣传活动": {}}
    for (record_type, day), n in sorted(by_day.items()):
        counts = series["微站活动" if record_type == STATION_ACTIVITY else "宣传活动"]
        week = f"{day - dt.timedelta(days=day.weekday()):%Y-%m-%d}"
        counts[week] = counts.get(week, 0) + n
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
    """The most overdue assignments by each unit's own deadline (each carries `effective_due`)."""
    overdue = assignments_overdue(campaign=filters.campaign, as_of=today, unit_id=filters.unit_id)
    return list(overdue.select_related("task", "unit")[:limit])


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


# --- Presentation helpers (issue 15): zero-filled weeks, the office ranking, the 舆情 banner ----------


def zero_filled_weeks(activity: dict[str, Any], filters: Filters, today: dt.date) -> dict[str, Any]:
    """The activity trend with every week (Monday) of the period present, a week with nothing as 0.

    The period is the filters' dates, else the campaign's, never past today's week; a series' counts
    outside it (none, as the records are filtered by the same dates) are kept rather than dropped.
    """
    start = filters.date_from or filters.campaign.start_date
    end = min(filter(None, [filters.date_to or filters.campaign.end_date, today]))
    weeks = list(activity["weeks"])
    if start and end and start <= end:
        monday = start - dt.timedelta(days=start.weekday())
        span = []
        while monday <= end:
            span.append(f"{monday:%Y-%m-%d}")
            monday += dt.timedelta(days=7)
        weeks = sorted(set(span) | set(weeks))
    series = []
    for entry in activity["series"]:
        counts = dict(zip(activity["weeks"], entry["data"], strict=True))
        series.append({"name": entry["name"], "data": [counts.get(week, 0) for week in weeks]})
    return {**activity, "weeks": weeks, "series": series}


@dataclass
class RankingRow:
    unit_id: int
    unit_name: str
    counts: list[int]
    rank: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def workstreams(self) -> int:
        """How many of the four workstreams the unit has any approved record in."""
        return sum(1 for count in self.counts if count)


# The ranking's columns: what each office did in each workstream, counted from approved records.
RANKING_HEADERS = ("微站活动", "宣传活动", "信息采用", "专项检查", "企业服务")


def office_ranking(filters: Filters) -> list[RankingRow]:
    """Offices ranked by approved records across the workstreams within the filters' campaign and dates.

    The unit filter does not narrow the ranking (a ranking of one is no ranking); the view marks the
    filtered unit. Order: total, then the number of workstreams covered, then the units' own order;
    equal totals and coverage share a rank. Three queries, whatever the data size.
    """
    unfiltered = Filters(campaign=filters.campaign, date_from=filters.date_from, date_to=filters.date_to)

    def by_unit(records: Any, unit_field: str = "unit_id") -> dict[int, int]:
        rows = records.order_by().values(unit_field).annotate(n=Count("pk"))
        return {row[unit_field]: row["n"] for row in rows}

    # An adoption counts when its news item is approved (the one rule of an official figure).
    adoptions = Adoption.objects.filter(counted_q("news_item__"), news_item__campaign=filters.campaign)
    if filters.date_from:
        adoptions = adoptions.filter(adopted_on__gte=filters.date_from)
    if filters.date_to:
        adoptions = adoptions.filter(adopted_on__lte=filters.date_to)
    # The record counts come from the precomputed figures (one query for the four types).
    counted = facts_counts_by(
        "unit_id",
        record_types=(STATION_ACTIVITY, PUBLICITY_ACTIVITY, INSPECTION, VISIT),
        campaign=unfiltered.campaign,
        date_from=unfiltered.date_from,
        date_to=unfiltered.date_to,
    )

    def of_type(record_type: str) -> dict[int, int]:
        return {unit_id: n for (kind, unit_id), n in counted.items() if kind == record_type}

    columns = [
        of_type(STATION_ACTIVITY),
        of_type(PUBLICITY_ACTIVITY),
        by_unit(adoptions, "news_item__unit_id"),
        of_type(INSPECTION),
        of_type(VISIT),
    ]
    active = {unit_id for column in columns for unit_id in column}
    units = Unit.objects.filter(Q(kind=Unit.Kind.OFFICE, is_active=True) | Q(pk__in=active)).order_by(
        "sort_order", "name", "pk"
    )
    rows = [RankingRow(unit.pk, unit.name, [column.get(unit.pk, 0) for column in columns]) for unit in units]
    rows.sort(key=lambda row: (-row.total, -row.workstreams))
    previous: tuple[int, int] | None = None
    for position, row in enumerate(rows, start=1):
        key = (row.total, row.workstreams)
        row.rank = rows[position - 2].rank if key == previous else position
        previous = key
    return rows


def open_serious_incidents(filters: Filters) -> list[OpinionIncident]:
    """Open 舆情 above the least severe level (较大, 重大, 特别重大 as seeded), most severe first.

    For the banner: whatever the period filter, an open serious incident is news today; the unit filter
    narrows it to the handling unit. One query (the least severe rank is a subquery).
    """
    lowest = OpinionLevel.objects.filter(is_active=True).order_by("rank").values("rank")[:1]
    incidents = OpinionIncident.objects.filter(campaign=filters.campaign, level__rank__gt=Subquery(lowest))
    incidents = incidents.exclude(status=OpinionIncident.Status.CLOSED)
    if filters.unit_id:
        incidents = incidents.filter(handling_unit_id=filters.unit_id)
    return list(
        incidents.select_related("level", "handling_unit").order_by("-level__rank", "-discovered_at", "-pk")
    )


def instrument_figures(filters: Filters, today: dt.date) -> Coverage:
    """The instrument register's figures within the filters (five queries): 强检 coverage as of the
    period's end (today when open or later), reminders, scans, ratings and problems in the period.

    The dashboard is leadership's, who see every unit: no user scope, the unit filter narrows it.
    """
    day = min(filters.date_to, today) if filters.date_to else today
    return instrument_coverage(
        unit_id=filters.unit_id, day=day, date_from=filters.date_from, date_to=filters.date_to
    )
