"""The workbook's 总览 (overview) sheet, registered from ReportsConfig.ready().

It summarises every workstream, so it lives here and not in campaigns: reports sits above the
workstreams and may read their selectors (the same ones their pages and the dashboard read), while
campaigns must stay below them. The metric registry (campaigns.metrics) would not do: its counts take
no period, unit or pending figure. Figures are read by name, never by column index; official figures
count approved records only and 待审核 N stands beside them, never added in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.selectors import target_progress, timeliness_by_unit
from core.exporters import SheetContext, SheetExporter, register
from enterprises.selectors import visit_totals, visits_counted
from inspections.selectors import inspection_statistics
from microstations.selectors import station_summary
from opinion.models import OpinionIncident
from opinion.selectors import incident_counts, with_deadlines
from publicity.models import Adoption, NewsItem
from publicity.selectors import publicity_progress
from reports.selectors import pending_by_type
from volunteers.selectors import volunteer_summary

PENDING = "待审核"


def _news_figures(campaign: Campaign, unit_id: int | None) -> dict[str, int]:
    """Approved news items and those adopted at least once (as publicity.selectors counts them), one query."""
    items = NewsItem.objects.counted().filter(campaign=campaign)
    if unit_id:
        items = items.filter(unit_id=unit_id)
    adopted = Exists(Adoption.objects.filter(news_item=OuterRef("pk")))
    return items.order_by().aggregate(items=Count("pk"), adopted=Count("pk", filter=Q(adopted)))


@register
class OverviewSheet(SheetExporter):
    identifier = "reports.overview"
    title = "总览"
    order = 10
    headers: ClassVar[list[str]] = ["项目", "内容", "", "", "", "", ""]
    widths: ClassVar[list[int] | None] = [24, 40, 14, 14, 14, 10, 10]

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        campaign, start, end = context.campaign, context.date_from, context.date_to
        unit_id = context.unit.pk if context.unit is not None else None
        yield ["活动名称", campaign.name]
        yield ["主题", campaign.theme]
        yield ["世界计量日", campaign.metrology_day]
        yield ["活动期间", f"{campaign.start_date or '—'} 至 {campaign.end_date or '—'}"]
        yield ["统计期间", f"{start or '活动开始'} 至 {end or context.today}"]
        if context.unit is not None:
            yield ["统计单位", context.unit.name]
        yield ["生成时间", timezone.now()]
        yield ["统计口径", "各项数字只计已审核通过的记录；已提交待审核的条数列在“待审核”旁，不计入"]
        yield []
        yield ["目标", "目标值", "完成", "完成率%"]
        for p in target_progress(campaign=campaign):
            yield [p.target.label, p.target.goal, "未接入统计" if p.actual is None else p.actual, p.percent]
        yield []

        pending = pending_by_type(campaign=campaign, date_from=start, date_to=end, unit_id=unit_id)
        stations = station_summary(campaign=campaign, date_from=start, date_to=end, unit_id=unit_id)
        volunteers = volunteer_summary(campaign=campaign, unit_id=unit_id)
        yield ["微站", "已建（揭牌运行）", stations["opened"], "登记总数", stations["stations"]]
        yield [
            "微站活动（已通过）", "场次", stations["activities"], "覆盖人次", stations["people"],
            PENDING, pending.get("microstations.stationactivity", 0),
        ]  # fmt: skip
        yield ["", "发放资料（份）", stations["materials"]]
        yield ["宣传员", "义务宣传员", volunteers["publicists"], "小小宣传员", volunteers["juniors"]]

        publicity = publicity_progress(
            user=None, campaign=campaign, date_from=start, date_to=end, unit_id=unit_id
        )
        yield [
            "宣传（已通过）", "线下活动（场）", publicity["offline"], "线上推送（条）", publicity["online"],
            PENDING, pending.get("publicity.publicityactivity", 0),
        ]  # fmt: skip
        yield ["", "线上阅读（次）", publicity["views"], "参与群众（人次）", publicity["participants"]]
        yield ["", "发放资料（份）", publicity["materials"], "咨询（人次）", publicity["consultations"]]
        news = _news_figures(campaign, unit_id)
        yield [
            "信息报送（已通过）", "报送（条）", news["items"], "被采用（条）", news["adopted"],
            PENDING, pending.get("publicity.newsitem", 0),
        ]  # fmt: skip

        [*_domains, total] = inspection_statistics(
            campaign=campaign, date_from=start, date_to=end, unit=context.unit
        )
        yield [
            "专项检查（合计）", "出动人次", total.turnout, "检查单位（家）", total.parties,
            PENDING, pending.get("inspections.inspectionrecord", 0),
        ]  # fmt: skip
        yield ["", "检查器具（台件）", total.figures.instruments, "发现问题", total.problems]
        yield ["", "立案", total.cases_filed, "罚没款合计（万元）", total.penalty_total_wan]

        visits = visit_totals(
            visits_counted(campaign=campaign, date_from=start, date_to=end, unit_id=unit_id)
        )
        yield [
            "服务中小企业", "服务次数", visits["count"], "解决问题", visits["solved"],
            PENDING, pending.get("enterprises.enterprisevisit", 0),
        ]  # fmt: skip
        yield ["", "检定校准器具（台件）", visits["instruments"], "减免费用（元）", visits["fees_waived"]]

        incidents = OpinionIncident.objects.filter(campaign=campaign)
        if unit_id:
            incidents = incidents.filter(handling_unit_id=unit_id)
        opinion = incident_counts(with_deadlines(incidents), now=timezone.now())
        yield ["舆情", "总数", opinion["total"], "已办结", opinion["closed"]]
        yield ["", "超时未报告", opinion["report_overdue"], "超时未回应", opinion["response_overdue"]]
        yield []

        tasks = timeliness_by_unit(campaign=campaign, today=context.today)
        if unit_id:
            tasks = [row for row in tasks if row["unit_id"] == unit_id]
        yield [
            "任务",
            "按时完成",
            sum(r["done_on_time"] for r in tasks),
            "逾期完成",
            sum(r["done_late"] for r in tasks),
        ]
        yield [
            "",
            "逾期未完成",
            sum(r["overdue"] for r in tasks),
            "尚未签收",
            sum(r["unacknowledged"] for r in tasks),
        ]
