"""Scoped reads of inspections, and the 民生计量专项检查情况统计表 aggregated in the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from core.periods import period_q
from inspections.models import (
    COUNT_FIELDS,
    DOMAIN_ROW_LABELS,
    Domain,
    InspectedInstrument,
    InspectionRecord,
    InstrumentType,
)
from inspections.verification import PASSING, Figures, VerificationStatus, verification_status_expression
from organizations.access import get_for_user, scope_to_user
from organizations.models import Unit
from records.models import counted_q, pending_q

# --- Lists and details ------------------------------------------------------------------------------


def _listed_count() -> Any:
    """Each record's number of listed instruments, as a subquery (evaluated for the page's rows only)."""
    counts = (
        InspectedInstrument.objects.filter(inspection=OuterRef("pk"))
        .order_by()
        .values("inspection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def inspection_list_for_user(*, user: Any, campaign: Campaign | None = None) -> QuerySet[InspectionRecord]:
    """The user's records (of `campaign` when given) for the list page, before its FilterSet narrows
    them (inspections.filters, shared with the API)."""
    queryset = scope_to_user(InspectionRecord.objects.all(), user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return (
        queryset.select_related("inspected_party", "market", "unit")
        .annotate(listed_count=_listed_count())
        .order_by("-date", "-pk")
    )


def _instruments_prefetch() -> Prefetch:
    return Prefetch(
        "instruments",
        queryset=InspectedInstrument.objects.select_related("instrument_type").order_by("pk"),
    )


def inspection_detail_queryset() -> QuerySet[InspectionRecord]:
    """Records with what a detail page shows (instruments and their types prefetched); scope it."""
    return InspectionRecord.objects.select_related(
        "inspected_party",
        "market",
        "unit",
        "campaign",
        "joint_unit",
        "created_by",
        "reviewed_by",
        "follow_up_task",
    ).prefetch_related(_instruments_prefetch())


def inspection_get_for_user(*, user: Any, pk: Any) -> InspectionRecord:
    """One record in the user's scope with its instruments (and their types) prefetched, or Http404."""
    return get_for_user(inspection_detail_queryset(), user, pk=pk)


def inspection_api_list_for_user(*, user: Any) -> QuerySet[InspectionRecord]:
    """What the API lists: scoped records with their instruments prefetched (one query per page)."""
    return (
        scope_to_user(InspectionRecord.objects.all(), user)
        .select_related("inspected_party", "market", "unit", "joint_unit")
        .prefetch_related(_instruments_prefetch())
        .order_by("-date", "-pk")
    )


def instrument_list_for_user(*, user: Any) -> QuerySet[InspectedInstrument]:
    return scope_to_user(
        InspectedInstrument.objects.select_related("instrument_type", "inspection__inspected_party"),
        user,
        unit_field=InspectedInstrument.unit_scope_field,
    )


def instrument_types(*, domain: str = "", active_only: bool = True) -> QuerySet[InstrumentType]:
    types = InstrumentType.objects.all()
    if active_only:
        types = types.active()
    if domain:
        types = types.filter(domain=domain)
    return types.order_by("sort_order", "pk")


# --- The statistics table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsColumn:
    """One column of the table: a stable name (a StatisticsRow attribute, read by the page, the
    workbook, the dashboard and the report) and the title the county's form prints."""

    name: str
    title: str


# The 21 columns of 民生计量专项检查情况统计表, in the order the county reports them: the one place
# their titles are written.
STATISTICS_FIELDS: tuple[StatisticsColumn, ...] = (
    StatisticsColumn("turnout", "出动人次"),
    StatisticsColumn("parties", "检查单位（家）"),
    StatisticsColumn("instruments", "检查器具（台件）"),
    StatisticsColumn("mandatory", "其中强检器具"),
    StatisticsColumn("unverified", "未检定"),
    StatisticsColumn("overdue", "超期未检"),
    StatisticsColumn("failed", "检定不合格"),
    StatisticsColumn("inspected_rate", "受检率%"),
    StatisticsColumn("pass_rate", "合格率%"),
    StatisticsColumn("problems", "发现问题"),
    StatisticsColumn("rectification_ordered", "责令整改"),
    StatisticsColumn("rectified", "已整改"),
    StatisticsColumn("cases_filed", "立案"),
    StatisticsColumn("cases_closed", "结案"),
    StatisticsColumn("cheating_cases", "查处作弊案件"),
    StatisticsColumn("devices_confiscated", "没收作弊器具"),
    StatisticsColumn("fines", "罚款（元）"),
    StatisticsColumn("confiscated_income", "没收违法所得（元）"),
    StatisticsColumn("penalty_total_wan", "罚没款合计（万元）"),
    StatisticsColumn("referred_to_police", "移送公安"),
    StatisticsColumn("remark", "备注"),
)
# The titles in rendering order (pages and sheets put them in a header row).
STATISTICS_COLUMNS: tuple[str, ...] = tuple(column.title for column in STATISTICS_FIELDS)
STATISTICS_NAMES: tuple[str, ...] = tuple(column.name for column in STATISTICS_FIELDS)
# The footnote of the table, on the page and in the workbook alike.
STATISTICS_FOOTNOTE = gettext_lazy(
    "统计口径：仅计已审核通过的检查记录，已提交待审核的不计入（另行显示“待审核”条数）。"
    "逐台登记器具的记录按各器具的检定状态计算，其余按填报数量；加油站按加油枪（把）计入检查器具，"
    "加油机台数见备注。受检率 =（合格有效 + 检定不合格）÷ 强检器具 × 100%；"
    "合格率 = 合格有效 ÷ 强检器具 × 100%；非强检器具只计入检查器具，不计入两率；"
    "无强检器具时两率显示“—”；两率四舍五入保留一位小数。"
    "检查单位按被检查单位去重，合计不一定等于各行之和。"
)
# The counts entered when instruments are not listed one by one.
ENTERED_COUNTS = COUNT_FIELDS
TEN_THOUSAND = Decimal(10000)
WAN_PLACES = Decimal("0.0001")


class _FromFigures:
    """A StatisticsRow column read from the row's Figures under the same name (not a dataclass field)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, row: Any, owner: type | None = None) -> Any:
        return self if row is None else getattr(row.figures, self.name)


@dataclass
class StatisticsRow:
    """One row of the table: one domain (or 合计 when `domain` is None), for one unit or for all (None).

    Every figure is an attribute named as in STATISTICS_FIELDS (`row.instruments`, `row.pass_rate`,
    `row.values()["fines"]`); `cells()` lists them in column order for rendering only.
    """

    label: str
    domain: str | None
    unit_id: int | None = None
    unit_name: str = ""
    turnout: int = 0
    parties: int = 0
    figures: Figures = field(default_factory=Figures)
    problems: int = 0
    rectification_ordered: int = 0
    rectified: int = 0
    cases_filed: int = 0
    cases_closed: int = 0
    cheating_cases: int = 0
    devices_confiscated: int = 0
    fines: Decimal = Decimal(0)
    confiscated_income: Decimal = Decimal(0)
    referred_to_police: int = 0
    dispensers: int = 0

    @property
    def is_total(self) -> bool:
        return self.domain is None

    # The instrument columns, by name, read from the figures.
    instruments = _FromFigures()
    mandatory = _FromFigures()
    unverified = _FromFigures()
    overdue = _FromFigures()
    failed = _FromFigures()
    inspected_rate = _FromFigures()
    pass_rate = _FromFigures()

    @property
    def penalty_total_wan(self) -> Decimal:
        """罚没款合计 in 万元 (to the yuan: four decimals)."""
        return ((self.fines + self.confiscated_income) / TEN_THOUSAND).quantize(
            WAN_PLACES, rounding=ROUND_HALF_UP
        )

    @property
    def remark(self) -> str:
        parts = []
        if self.dispensers:
            parts.append(_("加油机 %(n)d 台") % {"n": self.dispensers})
        if self.figures.life_expired:
            parts.append(_("到期未轮换 %(n)d 台件") % {"n": self.figures.life_expired})
        return "；".join(parts)

    def values(self) -> dict[str, Any]:
        """The 21 figures keyed by their STATISTICS_FIELDS name (rates are None without 强检 instruments)."""
        return {name: getattr(self, name) for name in STATISTICS_NAMES}

    def cells(self) -> list[Any]:
        """The 21 figures in STATISTICS_COLUMNS order, for rendering a row."""
        return [getattr(self, name) for name in STATISTICS_NAMES]

    def add(self, other: StatisticsRow) -> None:
        """Add another row's additive figures (the distinct party count is not additive: set it apart)."""
        self.turnout += other.turnout
        self.figures = self.figures + other.figures
        for name in (
            "problems",
            "rectification_ordered",
            "rectified",
            "cases_filed",
            "cases_closed",
            "cheating_cases",
            "devices_confiscated",
            "fines",
            "confiscated_income",
            "referred_to_police",
            "dispensers",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _period_q(
    *,
    campaign: Campaign,
    date_from: dt.date | None,
    date_to: dt.date | None,
    unit: Unit | None,
    prefix: str = "",
) -> Q:
    """The campaign's records dated within [date_from, date_to], of `unit` when given, as a Q on
    InspectionRecord (or through `prefix`, e.g. "inspection__")."""
    q = Q(**{f"{prefix}campaign": campaign}) & period_q(f"{prefix}date", date_from, date_to)
    if unit is not None:
        q &= Q(**{f"{prefix}unit": unit})
    return q


def _scope_q(*, prefix: str = "", **period: Any) -> Q:
    """Which records count: those of the period (see `_period_q`) that are approved
    (records.models.counted_q, the one rule of an official figure)."""
    return _period_q(prefix=prefix, **period) & counted_q(prefix)


def inspection_counted_records(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit: Unit | None = None,
) -> QuerySet[InspectionRecord]:
    """The approved records of a period: what the statistics table and its detail sheet count."""
    return InspectionRecord.objects.filter(
        _scope_q(campaign=campaign, date_from=date_from, date_to=date_to, unit=unit)
    )


def inspection_statistics(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit: Unit | None = None,
    by_unit: bool = False,
) -> list[StatisticsRow]:
    """民生计量专项检查情况统计表: the six domains and 合计, from records only, aggregated in the database.

    Counts the campaign's approved records (submitted ones are shown beside, by
    `inspection_pending_count`, never added in) dated within
    [date_from, date_to], of `unit` when given. The caller scopes: an office passes its own unit;
    whoever sees all units may pass any unit or none.

    Rows: the six domains in Domain order (domains without records give zero rows) and 合计 (domain
    None). With `by_unit`, first each unit's six rows and its 合计 (units with records only, in unit
    order), then the same for all units together.

    Per record, the instrument figures come from its listed instruments when it has any (statuses
    computed by verification_status_expression on the inspection date), else from its entered counts.
    检查单位（家） counts distinct inspected parties, so a 合计 can be less than the sum of its rows.

    Runs four queries (six with `by_unit`), whatever the number of records.
    """
    records = inspection_counted_records(
        campaign=campaign, date_from=date_from, date_to=date_to, unit=unit
    ).order_by()
    instruments = InspectedInstrument.objects.filter(
        _scope_q(campaign=campaign, date_from=date_from, date_to=date_to, unit=unit, prefix="inspection__")
    ).order_by()

    record_keys = ["unit_id", "unit__name", "unit__sort_order", "domain"] if by_unit else ["domain"]
    entered_counts = {f"e_{name}": Sum(name) for name in ENTERED_COUNTS}
    record_rows = records.values(*record_keys).annotate(
        turnout=Sum("staff_turnout"),
        parties=Count("inspected_party", distinct=True),
        **entered_counts,
        problems=Sum("problems_found"),
        rectification_ordered=Count("pk", filter=~Q(rectification_notice_no="")),
        rectified=Count("pk", filter=Q(rectified_on__isnull=False)),
        cases_filed=Count("pk", filter=~Q(case_no="")),
        cases_closed=Count("pk", filter=Q(case_closed_on__isnull=False)),
        cheating_cases=Count("pk", filter=Q(cheating_case=True)),
        devices_confiscated=Sum("confiscated_devices"),
        fines=Sum("fine_amount"),
        confiscated_income=Sum("confiscated_income"),
        referred_to_police=Count("pk", filter=Q(referred_to_police=True)),
        dispensers=Sum("dispensers"),
    )
    # Entered counts of records that list their instruments do not count (the list does): summed
    # apart and taken off, which costs one uncorrelated IN rather than a correlated EXISTS per row.
    listed_ids = InspectedInstrument.objects.values("inspection_id")
    set_aside_rows = records.filter(pk__in=listed_ids).values(*record_keys).annotate(**entered_counts)
    set_aside: dict[tuple[int | None, str], dict[str, int]] = {
        (row["unit_id"] if by_unit else None, row["domain"]): row for row in set_aside_rows
    }

    # Each instrument's status is computed once, as a grouping key: at most a few dozen groups per
    # unit come back, summed up below per (unit, domain).
    instrument_keys = ["inspection__unit_id", "inspection__domain"] if by_unit else ["inspection__domain"]
    instrument_rows = (
        instruments.annotate(status=verification_status_expression())
        .values(*instrument_keys, "status", "instrument_type__mandatory", "seal_intact")
        .annotate(n=Count("pk"))
    )
    listed: dict[tuple[int | None, str], Figures] = defaultdict(Figures)
    for row in instrument_rows:
        key = (row["inspection__unit_id"] if by_unit else None, row["inspection__domain"])
        status, n = row["status"], row["n"]
        listed[key] = listed[key] + Figures(
            instruments=n,
            mandatory=n if row["instrument_type__mandatory"] else 0,
            unverified=n if status == VerificationStatus.UNVERIFIED else 0,
            overdue=n if status == VerificationStatus.OVERDUE else 0,
            failed=n if status == VerificationStatus.FAILED else 0,
            life_expired=n if status == VerificationStatus.LIFE_EXPIRED else 0,
            passing=n if status in PASSING else 0,
            broken_seals=0 if row["seal_intact"] else n,
        )

    cells: dict[tuple[int | None, str], StatisticsRow] = {}
    units: dict[int, tuple[int, str]] = {}
    for row in record_rows:
        unit_id = row["unit_id"] if by_unit else None
        if by_unit:
            units[row["unit_id"]] = (row["unit__sort_order"], row["unit__name"])
        aside = set_aside.get((unit_id, row["domain"]), {})
        e = {name: (row[f"e_{name}"] or 0) - (aside.get(f"e_{name}") or 0) for name in ENTERED_COUNTS}
        entered_figures = Figures.entered(
            instruments=e["instruments_checked"],
            mandatory=e["mandatory_count"],
            unverified=e["unverified_count"],
            overdue=e["overdue_count"],
            failed=e["failed_count"],
            life_expired=e["life_expired_count"],
            broken_seals=e["broken_seal_count"],
        )
        cells[(unit_id, row["domain"])] = StatisticsRow(
            label=str(DOMAIN_ROW_LABELS[row["domain"]]),
            domain=row["domain"],
            unit_id=unit_id,
            unit_name=row["unit__name"] if by_unit else "",
            turnout=row["turnout"] or 0,
            parties=row["parties"],
            figures=entered_figures + listed.get((unit_id, row["domain"]), Figures()),
            problems=row["problems"] or 0,
            rectification_ordered=row["rectification_ordered"],
            rectified=row["rectified"],
            cases_filed=row["cases_filed"],
            cases_closed=row["cases_closed"],
            cheating_cases=row["cheating_cases"],
            devices_confiscated=row["devices_confiscated"] or 0,
            fines=row["fines"] or Decimal(0),
            confiscated_income=row["confiscated_income"] or Decimal(0),
            referred_to_police=row["referred_to_police"],
            dispensers=row["dispensers"] or 0,
        )

    # 检查单位（家） counts each party once, so it does not add up across domains or units: the totals
    # (and, split by unit, the all-units domain rows) get their own distinct counts.
    distinct_parties = Count("inspected_party", distinct=True)
    total_parties: dict[int | None, int] = defaultdict(int)
    domain_parties: dict[str, int] = defaultdict(int)
    if by_unit:
        for row in records.values("unit_id").annotate(parties=distinct_parties):
            total_parties[row["unit_id"]] = row["parties"]
        for row in records.values("domain").annotate(parties=distinct_parties):
            domain_parties[row["domain"]] = row["parties"]
    total_parties[None] = records.aggregate(parties=distinct_parties)["parties"]

    def section(unit_id: int | None, unit_name: str) -> list[StatisticsRow]:
        rows = []
        total = StatisticsRow(
            label=_("合计"), domain=None, unit_id=unit_id, unit_name=unit_name, parties=total_parties[unit_id]
        )
        for domain in Domain.values:
            if unit_id is None and by_unit:
                row = StatisticsRow(
                    label=str(DOMAIN_ROW_LABELS[domain]), domain=domain, parties=domain_parties[domain]
                )
                for (_unit, cell_domain), cell in cells.items():
                    if cell_domain == domain:
                        row.add(cell)
            else:
                row = cells.get(
                    (unit_id, domain),
                    StatisticsRow(
                        label=str(DOMAIN_ROW_LABELS[domain]),
                        domain=domain,
                        unit_id=unit_id,
                        unit_name=unit_name,
                    ),
                )
            rows.append(row)
            total.add(row)
        return [*rows, total]

    result: list[StatisticsRow] = []
    if by_unit:
        for unit_id, (_order, name) in sorted(units.items(), key=lambda item: (item[1][0], item[1][1])):
            result.extend(section(unit_id, name))
    result.extend(section(None, ""))
    return result


def inspection_pending_count(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit: Unit | None = None,
) -> int:
    """The records awaiting review in the same scope as `inspection_statistics`: shown beside the
    table and cards as 待审核 N, never added into them."""
    period = _period_q(campaign=campaign, date_from=date_from, date_to=date_to, unit=unit)
    return InspectionRecord.objects.filter(period & pending_q()).count()


# --- Metrics for targets (campaigns.metrics) ------------------------------------------------------


def _reported(campaign: Campaign) -> QuerySet[InspectionRecord]:
    """What targets count: the campaign's approved records."""
    return InspectionRecord.objects.filter(campaign=campaign).counted()


def inspections_reported_count(campaign: Campaign) -> int:
    return _reported(campaign).count()


def parties_inspected_count(campaign: Campaign) -> int:
    return _reported(campaign).values("inspected_party").distinct().count()


def instruments_checked_count(campaign: Campaign) -> int:
    return inspection_statistics(campaign=campaign)[-1].figures.instruments


def cases_filed_count(campaign: Campaign) -> int:
    return _reported(campaign).exclude(case_no="").count()


# The same figures as they stood at the end of a day (a milestone judged on its own date): approved
# records dated up to that day, cases filed up to that day.


def inspections_reported_as_of(campaign: Campaign, day: dt.date) -> int:
    return _reported(campaign).filter(date__lte=day).count()


def parties_inspected_as_of(campaign: Campaign, day: dt.date) -> int:
    return _reported(campaign).filter(date__lte=day).values("inspected_party").distinct().count()


def cases_filed_as_of(campaign: Campaign, day: dt.date) -> int:
    return _reported(campaign).exclude(case_no="").filter(case_filed_on__lte=day).count()
