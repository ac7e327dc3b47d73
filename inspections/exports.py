"""Inspections out to Excel: the statistics table, the records and the listed instruments, and the
two sheets this workstream adds to the summary workbook (core.exporters, registered from
InspectionsConfig.ready()).

Everything goes through core.spreadsheets, which writes user text that looks like a formula as
plain text and datetimes as Asia/Shanghai wall-clock time without tzinfo.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from core.exporters import DATE, SheetContext, SheetExporter, register, with_labels
from inspections.models import (
    Domain,
    FollowUpStatus,
    InspectedInstrument,
    InspectionRecord,
    InstrumentType,
    ProblemType,
)
from inspections.selectors import (
    STATISTICS_COLUMNS,
    STATISTICS_FOOTNOTE,
    STATISTICS_NAMES,
    StatisticsRow,
    inspection_counted_records,
    inspection_pending_count,
    inspection_statistics,
)
from inspections.verification import Result, VerificationStatus
from organizations.models import Unit
from records.models import ReviewStatus

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


# What the records sheet reads, as plain rows (no model instances: 100,000 of them, each with three
# related ones, cost more than writing the cells).
RECORD_FIELDS = [
    "date", "domain", "inspected_party__name", "market__name", "unit__name", "inspectors",
    "staff_turnout", "instruments_checked", "mandatory_count", "unverified_count", "overdue_count",
    "failed_count", "life_expired_count", "broken_seal_count", "dispensers", "problems_found",
    "problem_types", "rectification_notice_no", "rectification_deadline", "rectified_on", "case_no",
    "case_closed_on", "fine_amount", "confiscated_income", "confiscated_devices", "cheating_case",
    "referred_to_police", "follow_up_status", "review_status", "submitted_at",
]  # fmt: skip


def _with_instruments(records: QuerySet[InspectionRecord]) -> Iterator[tuple[Any, list[Any]]]:
    """Each record (a named row of RECORD_FIELDS) with its listed instruments, streamed: records in
    chunks, one instrument query per chunk.

    Not prefetch_related: its caches link each record to its instruments and back (reference cycles
    that only the cyclic collector frees), so memory would grow with the row count.
    """
    rows = records.order_by("date", "pk").values_list("pk", *RECORD_FIELDS, named=True)
    iterator = rows.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        listed: dict[int, list[InspectedInstrument]] = defaultdict(list)
        instruments = InspectedInstrument.objects.filter(inspection_id__in=[r.pk for r in chunk])
        for instrument in instruments.select_related("instrument_type").order_by("pk"):
            listed[instrument.inspection_id].append(instrument)
        for record in chunk:
            yield record, listed.get(record.pk, [])


def _record_rows(records: QuerySet[InspectionRecord]) -> Iterable[list[Any]]:
    """Stored values in the choice columns (RECORD_LABELS names them once per column, not per cell)."""
    problem_labels = {code: str(label) for code, label in ProblemType.choices}
    # The model's own rules, applied to a plain row carrying the fields they read.
    figures_of = InspectionRecord.figures_from
    penalty_of = vars(InspectionRecord)["penalty_total"].fget
    for r, instruments in _with_instruments(records):
        f = figures_of(r, instruments)
        yield [
            r.date,
            r.domain,
            r.inspected_party__name,
            r.market__name or "",
            r.unit__name,
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
            "、".join(problem_labels.get(code, code) for code in r.problem_types or []),
            r.rectification_notice_no,
            r.rectification_deadline,
            r.rectified_on,
            r.case_no,
            r.case_closed_on,
            r.fine_amount,
            r.confiscated_income,
            penalty_of(r),
            r.confiscated_devices,
            r.cheating_case,
            r.referred_to_police,
            r.follow_up_status,
            r.review_status,
            r.submitted_at,
        ]


CHUNK_SIZE = 1000
RECORD_LABELS = {1: Domain, 30: FollowUpStatus, 31: ReviewStatus}
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


def inspections_export(records: QuerySet[InspectionRecord]) -> bytes:
    """The records with their derived figures; instruments come in with one query per chunk."""
    workbook = xl.new_workbook()
    xl.add_sheet(
        workbook,
        _("专项检查记录"),
        RECORD_HEADERS,
        with_labels(_record_rows(records), RECORD_LABELS),
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


INSTRUMENT_LABELS = {9: Result, 13: VerificationStatus}
INSTRUMENT_FORMATS = {0: DATE, 6: DATE, 7: DATE, 12: DATE}


def _instrument_rows(instruments: QuerySet[InspectedInstrument]) -> Iterable[list[Any]]:
    """One row per listed instrument, streamed; choice columns hold stored values (INSTRUMENT_LABELS)."""
    queryset = instruments.select_related(
        "instrument_type", "inspection__inspected_party", "inspection__unit"
    ).order_by("inspection__date", "inspection_id", "pk")
    for i in queryset.iterator(chunk_size=CHUNK_SIZE):
        inspection = i.inspection
        yield [
            inspection.date,
            inspection.inspected_party.name,
            inspection.unit.name,
            i.instrument_type.name,
            i.serial_no,
            i.certificate_no,
            i.verified_on,
            i.valid_until,
            i.verifying_body,
            i.result,
            i.mark_present,
            i.seal_intact,
            i.service_life_end,
            i.status_on(inspection.date),
        ]


def instruments_export(instruments: QuerySet[InspectedInstrument]) -> bytes:
    workbook = xl.new_workbook()
    xl.add_sheet(
        workbook,
        _("受检计量器具"),
        INSTRUMENT_HEADERS,
        with_labels(_instrument_rows(instruments), INSTRUMENT_LABELS),
        number_formats=INSTRUMENT_FORMATS,
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
    heading = "民生计量专项检查情况统计表"
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
    labels = RECORD_LABELS
    freeze_columns = 1

    def rows(self, context: SheetContext) -> Iterable[list[Any]]:
        scope = {"date_from": context.date_from, "date_to": context.date_to, "unit": context.unit}
        return _record_rows(inspection_counted_records(campaign=context.campaign, **scope))


@register
class InstrumentsSheet(SheetExporter):
    """受检计量器具: every instrument listed on the approved inspections of the report's scope, with its
    computed verification status; streamed in chunks, one query per chunk."""

    identifier = "inspections.instruments"
    title = "受检计量器具"
    order = 26
    headers: ClassVar[list[str]] = INSTRUMENT_HEADERS
    number_formats: ClassVar[dict[int, str]] = INSTRUMENT_FORMATS
    labels = INSTRUMENT_LABELS

    def rows(self, context: SheetContext) -> Iterable[list[Any]]:
        scope = {"date_from": context.date_from, "date_to": context.date_to, "unit": context.unit}
        records = inspection_counted_records(campaign=context.campaign, **scope)
        return _instrument_rows(InspectedInstrument.objects.filter(inspection__in=records.values("pk")))
