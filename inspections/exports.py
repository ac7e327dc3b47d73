"""Inspections out to Excel: the statistics table, the records and the listed instruments, and the
two sheets this workstream adds to the summary workbook (core.exporters, registered from
InspectionsConfig.ready()).

Everything goes through core.spreadsheets, which writes user text that looks like a formula as
plain text and datetimes as Asia/Shanghai wall-clock time without tzinfo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from core.exporters import SheetContext, SheetExporter, register
from inspections.models import InspectedInstrument, InspectionRecord, InstrumentType
from inspections.selectors import (
    STATISTICS_COLUMNS,
    STATISTICS_FOOTNOTE,
    STATISTICS_NAMES,
    StatisticsRow,
    inspection_counted_records,
    inspection_pending_count,
    inspection_statistics,
)
from organizations.models import Unit

RATE_FORMAT = "0.0"
MONEY_FORMAT = "#,##0.00"
WAN_FORMAT = "0.0000"
# The statistics columns' number formats, by column name (not by position).
STATISTICS_FORMATS = {
    "inspected_rate": RATE_FORMAT,
    "pass_rate": RATE_FORMAT,
    "fines": MONEY_FORMAT,
    "confiscated_income": MONEY_FORMAT,
    "penalty_total_wan": WAN_FORMAT,
}


def statistics_number_formats(offset: int) -> dict[int, str]:
    """{sheet column index: format} for the statistics columns after `offset` leading columns."""
    return {offset + STATISTICS_NAMES.index(name): fmt for name, fmt in STATISTICS_FORMATS.items()}


def statistics_footnote(pending: int) -> str:
    """The table's footnote: what it counts, both rate formulas, and what awaits review beside it."""
    note = str(STATISTICS_FOOTNOTE)
    if pending:
        note += _("另有待审核记录 %(n)d 条，未计入本表。") % {"n": pending}
    return note


def _statistics_cells(row: StatisticsRow) -> list[Any]:
    return ["—" if value is None else value for value in row.cells()]


def statistics_workbook(
    rows: list[StatisticsRow],
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit: Unit | None = None,
    by_unit: bool = False,
    pending: int = 0,
) -> bytes:
    """民生计量专项检查情况统计表 as an .xlsx: the table with its footnote row, and a sheet saying
    what it covers and how."""
    leading = [_("检查单位"), _("检查领域")] if by_unit else [_("检查领域")]
    offset = len(leading)

    def values(row: StatisticsRow) -> list[Any]:
        head = [row.unit_name or _("全部单位"), row.label] if by_unit else [row.label]
        return [*head, *_statistics_cells(row)]

    workbook = xl.new_workbook()
    widths = [16] * offset + [10] * 20 + [24]
    xl.add_sheet(
        workbook,
        _("民生计量专项检查情况统计表"),
        [*leading, *STATISTICS_COLUMNS],
        [*(values(row) for row in rows), [], [_("注：") + statistics_footnote(pending)]],
        widths=widths,
        number_formats=statistics_number_formats(offset),
    )
    scope = [
        (_("活动"), campaign.name),
        (
            _("检查日期"),
            _("%(start)s 至 %(end)s")
            % {"start": date_from or campaign.start_date or "—", "end": date_to or campaign.end_date or "—"},
        ),
        (_("检查单位"), unit.name if unit else _("全部单位")),
        (_("统计口径"), _("已审核通过的检查记录；已提交待审核的不计入")),
        (_("待审核"), _("%(n)d 条，未计入本表") % {"n": pending}),
        (_("检查器具"), _("逐台登记器具的记录按登记的器具计，否则按填报的数量计；加油站按加油枪（把）计")),
        (_("受检率%"), _("（合格有效 + 检定不合格）÷ 强检器具 × 100；无强检器具时为“—”")),
        (_("合格率%"), _("合格有效 ÷ 强检器具 × 100；非强检器具不计入两率；无强检器具时为“—”")),
        (_("舍入"), _("两率四舍五入保留一位小数")),
        (_("检查单位（家）"), _("被检查单位去重计数，合计不一定等于各行之和")),
        (_("导出时间"), timezone.now()),
    ]
    xl.add_sheet(
        workbook,
        _("说明"),
        [_("项目"), _("内容")],
        scope,
        widths=[16, 80],
        number_formats={1: "yyyy-mm-dd hh:mm"},
    )
    return xl.workbook_bytes(workbook)


RECORD_HEADERS = [
    "检查日期",
    "检查领域",
    "被检查单位",
    "所在市场",
    "检查单位",
    "检查人员",
    "出动人次",
    "检查器具（台件）",
    "其中强检器具",
    "未检定",
    "超期未检",
    "检定不合格",
    "到期未轮换",
    "铅封损坏",
    "受检率%",
    "合格率%",
    "加油机（台）",
    "发现问题",
    "问题类型",
    "责令整改通知书",
    "整改期限",
    "整改完成日期",
    "立案号",
    "结案日期",
    "罚款（元）",
    "没收违法所得（元）",
    "罚没款（元）",
    "没收作弊器具",
    "查处作弊案件",
    "移送公安",
    "处理状态",
    "审核状态",
    "提交时间",
]


def _record_rows(records: Iterable[InspectionRecord]) -> Iterable[list[Any]]:
    for r in records:
        f = r.figures
        yield [
            r.date,
            r.get_domain_display(),
            r.inspected_party.name,
            r.market.name if r.market else "",
            r.unit.name,
            r.inspectors,
            r.staff_turnout,
            f.instruments,
            f.mandatory,
            f.unverified,
            f.overdue,
            f.failed,
            f.life_expired,
            f.broken_seals,
            f.inspected_rate,
            f.pass_rate,
            r.dispensers,
            r.problems_found,
            r.get_problem_types_display(),
            r.rectification_notice_no,
            r.rectification_deadline,
            r.rectified_on,
            r.case_no,
            r.case_closed_on,
            r.fine_amount,
            r.confiscated_income,
            r.penalty_total,
            r.confiscated_devices,
            r.cheating_case,
            r.referred_to_police,
            r.get_follow_up_status_display(),
            r.get_review_status_display(),
            r.submitted_at,
        ]


CHUNK_SIZE = 500
RECORD_FORMATS = {
    0: "yyyy-mm-dd",
    20: "yyyy-mm-dd",
    21: "yyyy-mm-dd",
    23: "yyyy-mm-dd",
    32: "yyyy-mm-dd hh:mm",
    14: RATE_FORMAT,
    15: RATE_FORMAT,
    24: MONEY_FORMAT,
    25: MONEY_FORMAT,
}


def _instrument_prefetch() -> Prefetch:
    return Prefetch(
        "instruments", queryset=InspectedInstrument.objects.select_related("instrument_type").order_by("pk")
    )


def inspections_export(records: QuerySet[InspectionRecord]) -> bytes:
    """The records with their derived figures; instruments come in with one prefetch per chunk."""
    workbook = xl.new_workbook()
    queryset = (
        records.select_related("inspected_party", "market", "unit")
        .prefetch_related(_instrument_prefetch())
        .order_by("date", "pk")
    )
    xl.add_sheet(
        workbook,
        _("专项检查记录"),
        RECORD_HEADERS,
        _record_rows(queryset.iterator(chunk_size=CHUNK_SIZE)),
        number_formats=RECORD_FORMATS,
    )
    return xl.workbook_bytes(workbook)


INSTRUMENT_HEADERS = [
    "检查日期",
    "被检查单位",
    "检查单位",
    "器具类型",
    "出厂编号",
    "检定证书号",
    "检定日期",
    "有效期至",
    "检定机构",
    "检定结果",
    "有检定合格标志",
    "铅封完好",
    "使用期限至",
    "检定状态",
]


def instruments_export(instruments: QuerySet[InspectedInstrument]) -> bytes:
    workbook = xl.new_workbook()
    queryset = instruments.select_related(
        "instrument_type", "inspection__inspected_party", "inspection__unit"
    ).order_by("inspection__date", "inspection_id", "pk")
    rows = (
        [
            i.inspection.date,
            i.inspection.inspected_party.name,
            i.inspection.unit.name,
            i.instrument_type.name,
            i.serial_no,
            i.certificate_no,
            i.verified_on,
            i.valid_until,
            i.verifying_body,
            i.get_result_display(),
            i.mark_present,
            i.seal_intact,
            i.service_life_end,
            i.verification_status.label,
        ]
        for i in queryset.iterator(chunk_size=500)
    )
    xl.add_sheet(
        workbook,
        _("受检计量器具"),
        INSTRUMENT_HEADERS,
        rows,
        number_formats={0: "yyyy-mm-dd", 6: "yyyy-mm-dd", 7: "yyyy-mm-dd", 12: "yyyy-mm-dd"},
    )
    return xl.workbook_bytes(workbook)


TYPE_HEADERS = [
    "代码",
    "器具名称",
    "检查领域",
    "强制检定",
    "检定周期（月）",
    "只作首次强制检定",
    "使用期限（年）",
    "计数单位",
    "依据",
    "启用",
]


def instrument_types_export(types: QuerySet[InstrumentType]) -> bytes:
    """The verification rules as the bureau keeps them, for checking against the current JJG."""
    workbook = xl.new_workbook()
    rows = (
        [
            t.code,
            t.name,
            t.get_domain_display(),
            t.mandatory,
            t.verification_period_months,
            t.first_verification_only,
            t.service_life_years,
            t.counting_unit,
            t.basis,
            t.is_active,
        ]
        for t in types.order_by("sort_order", "pk")
    )
    xl.add_sheet(workbook, _("计量器具类型"), TYPE_HEADERS, rows)
    return xl.workbook_bytes(workbook)


# --- The summary workbook's sheets (core.exporters) --------------------------------------------------


@register
class StatisticsSheet(SheetExporter):
    """民生计量专项检查情况统计表 of the report's scope: approved records only, the six domains and 合计,
    and a footnote row with both rate formulas and the number of records awaiting review."""

    identifier = "inspections.statistics"
    title = "专项检查统计表"
    order = 20
    headers: ClassVar[list[str]] = ["检查领域", *STATISTICS_COLUMNS]
    number_formats: ClassVar[dict[int, str]] = statistics_number_formats(1)
    widths: ClassVar[list[int] | None] = [16] + [10] * 20 + [24]

    def rows(self, context: SheetContext) -> Iterable[list[Any]]:
        scope = {"date_from": context.date_from, "date_to": context.date_to, "unit": context.unit}
        for row in inspection_statistics(campaign=context.campaign, **scope):
            yield [row.label, *_statistics_cells(row)]
        yield []
        pending = inspection_pending_count(campaign=context.campaign, **scope)
        yield [_("注：") + statistics_footnote(pending)]


@register
class RecordsSheet(SheetExporter):
    """检查记录: one row per approved inspection, with its derived figures (the statistics table's
    detail); streamed in chunks, each chunk's instruments fetched in one query."""

    identifier = "inspections.records"
    title = "检查记录"
    order = 25
    headers: ClassVar[list[str]] = RECORD_HEADERS
    number_formats: ClassVar[dict[int, str]] = RECORD_FORMATS

    def rows(self, context: SheetContext) -> Iterable[list[Any]]:
        scope = {"date_from": context.date_from, "date_to": context.date_to, "unit": context.unit}
        queryset = (
            inspection_counted_records(campaign=context.campaign, **scope)
            .select_related("inspected_party", "market", "unit")
            .prefetch_related(_instrument_prefetch())
            .order_by("date", "pk")
        )
        return _record_rows(queryset.iterator(chunk_size=CHUNK_SIZE))
