"""The workbook's 总览 (overview) and 强检器具覆盖 sheets, registered from ReportsConfig.ready().

It summarises every workstream, so it lives here and not in campaigns: reports sits above the
workstreams and may read their selectors, while campaigns must stay below them. The figures are
reports.figures' (the .docx 工作总结 prints the same ones); official figures count approved records
only, and 待审核 stands beside them, never added in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exporters import RATE, SheetContext, SheetExporter, register
from instruments.selectors import instrument_coverage
from reports.figures import report_summary

NOT_APPLICABLE = "—"


@register
class OverviewSheet(SheetExporter):
    identifier = "reports.overview"
    title = "总览"
    order = 10
    headers: ClassVar[list[str]] = ["工作", "指标", "本期", "累计", "待审核"]
    widths: ClassVar[list[int] | None] = [16, 26, 14, 14, 12]

    def headers_for(self, context: SheetContext) -> list[str]:
        if context.week_from is not None:
            return ["工作", "指标", "本周新增", "累计", "待审核"]
        return list(self.headers)

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        summary = report_summary(context)
        for figure in summary.figures:
            yield [
                figure.section,
                figure.label,
                NOT_APPLICABLE if figure.period is None else figure.period,
                figure.total,
                "" if figure.pending is None else figure.pending,
            ]
        yield []
        yield ["目标", "指标", "目标值", "完成", "完成率%"]
        for label, goal, actual, percent in summary.targets:
            yield ["", label, goal, _("未接入统计") if actual is None else actual, percent]
        yield []
        yield [
            _(
                "注：各项数字只计已审核通过的记录；“待审核”为本期已提交尚未审核的条数，不计入。"
                "累计为活动开始至统计期末；“—”表示该项为现有数，不分期间。生成时间 %(now)s。"
            )
            % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
        ]


@register
class InstrumentCoverageSheet(SheetExporter):
    """强检器具覆盖 (issue 20): the instrument register's 强检 coverage by domain and by supervising unit
    as of the period's end (today when open or later), then owners reminded and the public's scans,
    ratings and problems in the period: the dashboard's figures (instruments.selectors.instrument_coverage).

    The register is not a submitted record: its confirmed lines in use are the official count (a market
    operator's line awaiting review is not), and it belongs to no campaign, so the unit narrows it and
    the dates set the day and the period.
    """

    identifier = "instruments.coverage"
    title = "强检器具覆盖"
    order = 27
    headers: ClassVar[list[str]] = [
        "分组",
        "检查领域/监管单位",
        "登记强检器具（台件）",
        "检定合格有效（台件）",
        "覆盖率%",
    ]
    number_formats: ClassVar[dict[int, str]] = {4: RATE}
    widths: ClassVar[list[int] | None] = [14, 24, 14, 14, 12]

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        day = min(context.date_to, context.today) if context.date_to else context.today
        coverage = instrument_coverage(
            unit_id=context.unit.pk if context.unit is not None else None,
            day=day,
            date_from=context.date_from,
            date_to=context.date_to,
        )

        def rate(value: Any) -> Any:
            return NOT_APPLICABLE if value is None else value

        for row in coverage.by_domain:
            yield [_("按检查领域"), row.label, row.mandatory, row.valid, rate(row.rate)]
        total = coverage.total
        yield [_("合计"), "", total.mandatory, total.valid, rate(total.rate)]
        for row in coverage.by_office:
            yield [_("按监管单位"), row.label, row.mandatory, row.valid, rate(row.rate)]
        yield []
        yield [_("提醒与公众反馈"), _("指标"), _("本期")]
        yield ["", _("已提醒使用单位（家）"), coverage.owners_reminded]
        yield ["", _("发出到期提醒（次）"), coverage.reminders_sent]
        yield ["", _("扫码查询（次）"), coverage.scans]
        yield ["", _("其中扫标签二维码（次）"), coverage.scans_via_qr]
        yield ["", _("群众评分（次）"), coverage.ratings]
        yield ["", _("平均评分"), rate(coverage.rating_average)]
        yield ["", _("2 分及以下评分（次）"), coverage.low_ratings]
        yield ["", _("问题反映（件）"), coverage.problems]
        yield []
        yield [
            _(
                "注：覆盖率 = 检定合格有效的登记强检器具 ÷ 登记在用的强检器具，按 %(day)s 计算；"
                "只计已确认的台账记录（市场开办者登记待审核的不计入）。提醒、扫码、评分和问题反映按统计期间计数。"
            )
            % {"day": day.isoformat()}
        ]
