"""The report's headline figures, read once from the workstreams' selectors: the workbook's 总览 sheet
and the .docx 工作总结 both print these, so their numbers cannot differ.

Each figure is either a flow (records dated in a period: activities, inspections, visits, incidents),
shown for the report's period (本期, or 本周新增 on a weekly report) beside its 累计 from the campaign's
start to the period's end, or a stock (stations opened, active volunteers, task states), which has
only a 累计 (task states as of the period's end, see `report_as_of`). Flows add up: 本周新增 plus the previous week's 累计 is this week's 累计.
Official figures count approved records only; 待审核 stands beside them, never added in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from campaigns.selectors import target_progress, timeliness_by_unit
from core.exporters import SheetContext
from enterprises.selectors import visit_totals, visits_counted
from inspections.selectors import inspection_statistics
from microstations.selectors import station_summary
from opinion.selectors import incident_counts, incidents_in_period, with_deadlines
from publicity.models import Adoption, NewsItem
from publicity.selectors import publicity_progress
from reports.selectors import pending_by_type
from volunteers.selectors import volunteer_summary

Number = int | Decimal


@dataclass(frozen=True)
class Figure:
    key: str  # the name a 工作总结 template uses: {key} (period) and {key_total} (累计)
    section: str
    label: str
    total: Number
    period: Number | None = None  # None for a stock figure
    pending: int | None = None


@dataclass(frozen=True)
class Summary:
    figures: list[Figure]
    targets: list[tuple[str, int, Any, int]]  # label, goal, actual (None: not wired), percent

    def by_key(self) -> dict[str, Figure]:
        return {figure.key: figure for figure in self.figures}

    def values(self) -> dict[str, Any]:
        """{key: period figure (or the stock)} and {key_total: 累计}, for the summary's templates."""
        values: dict[str, Any] = {}
        for figure in self.figures:
            values[figure.key] = figure.total if figure.period is None else figure.period
            values[f"{figure.key}_total"] = figure.total
        return values


def _flows(campaign: Any, start: dt.date | None, end: dt.date | None, unit: Any) -> dict[str, Number]:
    """Every flow figure of the records dated from `start` to `end` (approved only)."""
    unit_id = unit.pk if unit is not None else None
    stations = station_summary(campaign=campaign, date_from=start, date_to=end, unit_id=unit_id)
    publicity = publicity_progress(
        user=None, campaign=campaign, date_from=start, date_to=end, unit_id=unit_id
    )
    items = NewsItem.objects.counted().filter(campaign=campaign)
    if unit_id:
        items = items.filter(unit_id=unit_id)
    if start:
        items = items.filter(created_at__date__gte=start)
    if end:
        items = items.filter(created_at__date__lte=end)
    adopted = Exists(Adoption.objects.filter(news_item=OuterRef("pk")))
    news = items.order_by().aggregate(items=Count("pk"), adopted=Count("pk", filter=Q(adopted)))
    *_domains, inspections = inspection_statistics(campaign=campaign, date_from=start, date_to=end, unit=unit)
    visits = visit_totals(visits_counted(campaign=campaign, date_from=start, date_to=end, unit_id=unit_id))
    incidents = incident_counts(
        with_deadlines(incidents_in_period(campaign=campaign, date_from=start, date_to=end, unit=unit)),
        now=timezone.now(),
    )
    return {
        "station_activities": stations["activities"],
        "station_people": stations["people"],
        "station_materials": stations["materials"],
        "offline_events": publicity["offline"],
        "online_posts": publicity["online"],
        "online_views": publicity["views"],
        "participants": publicity["participants"],
        "publicity_materials": publicity["materials"],
        "consultations": publicity["consultations"],
        "news_items": news["items"],
        "news_adopted": news["adopted"],
        "inspection_turnout": inspections.turnout,
        "inspection_parties": inspections.parties,
        "inspection_instruments": inspections.figures.instruments,
        "inspection_problems": inspections.problems,
        "inspection_cases": inspections.cases_filed,
        "inspection_penalty_wan": inspections.penalty_total_wan,
        "visits": visits["count"],
        "visit_problems_solved": visits["solved"],
        "visit_instruments": visits["instruments"],
        "visit_fees_waived": visits["fees_waived"],
        "incidents": incidents["total"],
        "incidents_closed": incidents["closed"],
    }


# (key, section, label, the pending count's record type)
FLOWS = [
    ("station_activities", "微站", "微站活动（场）", "microstations.stationactivity"),
    ("station_people", "微站", "微站活动覆盖（人次）", None),
    ("station_materials", "微站", "微站发放资料（份）", None),
    ("offline_events", "宣传", "线下活动（场）", "publicity.publicityactivity"),
    ("online_posts", "宣传", "线上推送（条）", None),
    ("online_views", "宣传", "线上阅读（次）", None),
    ("participants", "宣传", "参与群众（人次）", None),
    ("publicity_materials", "宣传", "发放资料（份）", None),
    ("consultations", "宣传", "接受咨询（人次）", None),
    ("news_items", "信息报送", "报送（条）", "publicity.newsitem"),
    ("news_adopted", "信息报送", "被采用（条）", None),
    ("inspection_turnout", "专项检查", "出动人次", "inspections.inspectionrecord"),
    # Parties are counted once however often inspected, so this one does not add up over weeks.
    ("inspection_parties", "专项检查", "检查单位（家）", None),
    ("inspection_instruments", "专项检查", "检查器具（台件）", None),
    ("inspection_problems", "专项检查", "发现问题（个）", None),
    ("inspection_cases", "专项检查", "立案（件）", None),
    ("inspection_penalty_wan", "专项检查", "罚没款合计（万元）", None),
    ("visits", "服务中小企业", "服务企业（次）", "enterprises.enterprisevisit"),
    ("visit_problems_solved", "服务中小企业", "解决计量问题（个）", None),
    ("visit_instruments", "服务中小企业", "检定校准器具（台件）", None),
    ("visit_fees_waived", "服务中小企业", "减免费用（元）", None),
    ("incidents", "舆情", "发现舆情（起）", None),
    ("incidents_closed", "舆情", "已办结（起）", None),
]

# The order the 总览 sheet and the 工作总结's table list the sections in.
SECTIONS = ["微站", "宣传员", "宣传", "信息报送", "专项检查", "服务中小企业", "舆情", "任务"]
# (key, section, label): figures that are a state, not a sum over dates
STOCKS = [
    ("stations_opened", "微站", "已建成（揭牌运行）"),
    ("stations", "微站", "登记微站（个）"),
    ("publicists", "宣传员", "义务宣传员（人）"),
    ("juniors", "宣传员", "小小宣传员（人）"),
    ("tasks_on_time", "任务", "按时完成"),
    ("tasks_late", "任务", "逾期完成"),
    ("tasks_overdue", "任务", "逾期未完成"),
    ("tasks_unacknowledged", "任务", "尚未签收"),
]


def report_as_of(context: SheetContext) -> dt.date:
    """The day a report's states (task timeliness) are counted as of: its period's end, never later
    than today."""
    return min(context.date_to, context.today) if context.date_to else context.today


def report_summary(context: SheetContext) -> Summary:
    """The headline figures of the report's campaign, period and unit (a fixed number of queries)."""
    campaign, unit = context.campaign, context.unit
    end = context.date_to
    period_start = context.week_from or context.date_from
    unit_id = unit.pk if unit is not None else None
    period = _flows(campaign, period_start, end, unit)
    total = _flows(campaign, None, end, unit)
    pending = pending_by_type(campaign=campaign, date_from=period_start, date_to=end, unit_id=unit_id)
    figures = [
        Figure(
            key=key,
            section=section,
            label=label,
            period=period[key],
            total=total[key],
            pending=pending.get(kind, 0) if kind else None,
        )
        for key, section, label, kind in FLOWS
    ]

    stations = station_summary(campaign=campaign, unit_id=unit_id)
    volunteers = volunteer_summary(campaign=campaign, unit_id=unit_id)
    # Task states as of the period's end (a report for May does not count June's overdue work).
    tasks = timeliness_by_unit(campaign=campaign, today=report_as_of(context))
    if unit_id:
        tasks = [row for row in tasks if row["unit_id"] == unit_id]
    stocks = {
        "stations_opened": stations["opened"],
        "stations": stations["stations"],
        "publicists": volunteers["publicists"],
        "juniors": volunteers["juniors"],
        "tasks_on_time": sum(r["done_on_time"] for r in tasks),
        "tasks_late": sum(r["done_late"] for r in tasks),
        "tasks_overdue": sum(r["overdue"] for r in tasks),
        "tasks_unacknowledged": sum(r["unacknowledged"] for r in tasks),
    }
    figures += [
        Figure(key=key, section=section, label=label, total=stocks[key]) for key, section, label in STOCKS
    ]
    figures.sort(key=lambda figure: SECTIONS.index(figure.section))  # stable: in each section, as listed
    targets = [
        (p.target.label, p.target.goal, p.actual, p.percent) for p in target_progress(campaign=campaign)
    ]
    return Summary(figures=figures, targets=targets)
