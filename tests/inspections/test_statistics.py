"""民生计量专项检查情况统计表 against figures computed by hand from a small set of inspections.

The set (campaign 2025, 25 April – 30 June; units 甲 and 乙):
  1 甲 scales  P1 05-10  2 staff  entered 20 checked, 20 mandatory, 2 未检定, 1 超期, 1 不合格; 4 problems;
                                   ordered and rectified
  2 甲 scales  P2 05-12  3 staff  listed: valid · overdue (valid until 05-11) · valid until the day · failed;
                                   2 problems; case filed and closed; fine 2000, confiscated 500.50;
                                   cheating case, 1 device confiscated, referred to police
  3 乙 scales  P1 05-15  2 staff  entered 5 checked, 5 mandatory, nothing found (P1 again: counted once)
  4 乙 fuel    G  05-20  3 staff  2 dispensers, 4 nozzles listed: valid · broken seal · overdue · valid;
                                   2 problems; ordered, not rectified; fine 10000
  5 甲 fuel    G2 05-21  2 staff  3 dispensers, 6 nozzles entered, 6 mandatory, 1 不合格; 1 problem
  6 甲 meters  U  05-22  2 staff  listed: water meter past its life · water meter in service · electricity
                                   meter never verified; 2 problems
  7 乙 optical O  05-23  2 staff  listed: refractometer valid · pupillometer (非强检)
  Records 1–7 are approved (official figures count approved records only).
  not counted: 8 乙 EV E 06-10, entered 8 checked, 8 mandatory, 2 超期, returned for changes; a submitted
  taxi inspection (待审核); a draft (taxi); an inspection of the 2024 campaign.

Rates (DOMAIN.md) are over 强检 instruments: 受检率 = (合格有效 + 检定不合格) / 强检, 合格率 = 合格有效 / 强检.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspections.models import Domain, InspectionRecord
from inspections.selectors import (
    STATISTICS_COLUMNS,
    STATISTICS_FIELDS,
    STATISTICS_FOOTNOTE,
    STATISTICS_NAMES,
    inspection_pending_count,
    inspection_statistics,
)
from inspections.verification import Figures, Result
from records.models import ReviewStatus
from records.services import record_approve, record_submit
from tests.factories import CampaignFactory
from tests.inspections.factories import (
    EnterpriseFactory,
    InspectionFactory,
    InstrumentFactory,
    instrument_type,
)

D = Decimal
SUBMITTED = ReviewStatus.SUBMITTED
APPROVED = ReviewStatus.APPROVED


def listed(record, code, **facts):
    return InstrumentFactory(inspection=record, instrument_type=instrument_type(code), **facts)


@pytest.fixture
def fixtures(campaign, unit_a, unit_b):
    p1, p2, g, g2, u, o, e = (EnterpriseFactory(name=n) for n in ("P1", "P2", "G", "G2", "U", "O", "E"))

    def record(unit, domain, party, day, turnout, **fields):
        fields.setdefault("review_status", APPROVED)
        return InspectionFactory(
            unit=unit,
            domain=domain,
            inspected_party=party,
            date=dt.date(2025, *day),
            staff_turnout=turnout,
            instruments_checked=fields.pop("instruments_checked", 0),
            mandatory_count=fields.pop("mandatory_count", 0),
            **fields,
        )

    record(
        unit_a,
        Domain.SCALES,
        p1,
        (5, 10),
        2,
        instruments_checked=20,
        mandatory_count=20,
        unverified_count=2,
        overdue_count=1,
        failed_count=1,
        problems_found=4,
        rectification_notice_no="责改1",
        rectification_ordered_on=dt.date(2025, 5, 10),
        rectification_deadline=dt.date(2025, 5, 20),
        rectified_on=dt.date(2025, 5, 18),
    )
    r2 = record(
        unit_a,
        Domain.SCALES,
        p2,
        (5, 12),
        3,
        problems_found=2,
        case_no="立1",
        case_filed_on=dt.date(2025, 5, 12),
        case_closed_on=dt.date(2025, 6, 1),
        fine_amount=D("2000"),
        confiscated_income=D("500.50"),
        cheating_case=True,
        confiscated_devices=1,
        referred_to_police=True,
    )
    listed(r2, "price_scale", verified_on=dt.date(2025, 1, 10), valid_until=dt.date(2026, 1, 9))
    listed(r2, "price_scale", verified_on=dt.date(2024, 5, 11), valid_until=dt.date(2025, 5, 11))
    listed(r2, "price_scale", verified_on=dt.date(2024, 5, 13), valid_until=dt.date(2025, 5, 12))
    listed(r2, "price_scale", result=Result.FAILED)
    record(unit_b, Domain.SCALES, p1, (5, 15), 2, instruments_checked=5, mandatory_count=5)
    r4 = record(
        unit_b,
        Domain.FUEL,
        g,
        (5, 20),
        3,
        dispensers=2,
        nozzles=4,
        problems_found=2,
        rectification_notice_no="责改2",
        rectification_ordered_on=dt.date(2025, 5, 20),
        rectification_deadline=dt.date(2025, 6, 5),
        fine_amount=D("10000"),
        fair_scale_present=None,
        instruments_registered=None,
    )
    for facts in ({}, {"seal_intact": False}, {"valid_until": dt.date(2025, 5, 19)}, {}):
        listed(r4, "fuel_nozzle", **facts)
    record(
        unit_a,
        Domain.FUEL,
        g2,
        (5, 21),
        2,
        dispensers=3,
        nozzles=6,
        instruments_checked=6,
        mandatory_count=6,
        failed_count=1,
        problems_found=1,
    )
    r6 = record(unit_a, Domain.UTILITY_METERS, u, (5, 22), 2, problems_found=2)
    listed(
        r6,
        "water_meter",
        verified_on=dt.date(2019, 5, 22),
        valid_until=None,
        service_life_end=dt.date(2025, 5, 21),
    )
    listed(
        r6,
        "water_meter",
        verified_on=dt.date(2022, 1, 1),
        valid_until=dt.date(2022, 12, 31),
        service_life_end=dt.date(2027, 12, 31),
    )
    listed(r6, "electricity_meter", result=Result.NONE, verified_on=None, valid_until=None)
    r7 = record(unit_b, Domain.OPTICAL, o, (5, 23), 2)
    listed(r7, "refractometer", verified_on=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31))
    listed(r7, "pupillometer", result=Result.NONE, verified_on=None, valid_until=None)
    record(
        unit_b,
        Domain.EV_CHARGERS,
        e,
        (6, 10),
        2,
        instruments_checked=8,
        mandatory_count=8,
        overdue_count=2,
        problems_found=2,
        ledger_present=False,
        review_status=ReviewStatus.RETURNED,
    )
    # Not counted: awaiting review (shown beside the table as 待审核 1), a draft, another campaign.
    record(
        unit_a,
        Domain.TAXI,
        e,
        (5, 26),
        2,
        instruments_checked=12,
        mandatory_count=12,
        problems_found=1,
        review_status=SUBMITTED,
    )
    record(
        unit_a,
        Domain.TAXI,
        e,
        (5, 25),
        4,
        instruments_checked=30,
        mandatory_count=30,
        review_status=ReviewStatus.DRAFT,
    )
    InspectionFactory(
        campaign=CampaignFactory(year=2024),
        unit=unit_a,
        review_status=SUBMITTED,
        instruments_checked=99,
        mandatory_count=99,
        date=dt.date(2024, 5, 20),
    )


# fmt: off
#           出动 家 器具 强检 未检 超期 不合格 受检率      合格率      问题 责改 已改 立案 结案 作弊 没收 罚款          没收所得      罚没万元        移送 备注
SCALES = [7, 2, 29, 29, 2, 2, 2, D("86.2"), D("79.3"), 6, 1, 1, 1, 1, 1, 1, D("2000.00"), D("500.50"), D("0.2501"), 1, ""]
FUEL = [5, 2, 10, 10, 0, 1, 1, D("90.0"), D("80.0"), 3, 1, 0, 0, 0, 0, 0, D("10000.00"), D(0), D("1.0000"), 0, "加油机 5 台"]
# 强检 3: 1 合格有效, 1 未检定, 1 到期未轮换 → 受检率 1/3 (the old formula, blind to 到期未轮换, gave 66.7).
METERS = [2, 1, 3, 3, 1, 0, 0, D("33.3"), D("33.3"), 2, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, "到期未轮换 1 台件"]
TAXI = [0, 0, 0, 0, 0, 0, 0, None, None, 0, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, ""]
EV = TAXI  # the one EV record was returned: it counts nowhere until approved
# 强检 1 (valid) and 1 非强检: the rates are over the 强检 one only.
OPTICAL = [2, 1, 2, 1, 0, 0, 0, D("100.0"), D("100.0"), 0, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, ""]
# 强检 43 = 合格有效 33 + 未检定 3 + 超期 3 + 不合格 3 + 到期未轮换 1: 受检率 36/43, 合格率 33/43.
TOTAL = [16, 6, 44, 43, 3, 3, 3, D("83.7"), D("76.7"), 11, 2, 1, 1, 1, 1, 1, D("12000.00"), D("500.50"), D("1.2501"), 1,
         "加油机 5 台；到期未轮换 1 台件"]
# fmt: on


def test_the_table_has_the_21_columns_of_the_county_form():
    assert len(STATISTICS_COLUMNS) == 21
    assert STATISTICS_COLUMNS[0] == "出动人次"
    assert STATISTICS_COLUMNS[-1] == "备注"


def test_every_row_and_the_total_match_the_hand_computed_figures(
    fixtures, campaign, django_assert_num_queries
):
    # 1 entered counts of the records that list instruments (set aside), 2 listed instruments by domain
    # and computed status, 3 record aggregates by domain, 4 distinct inspected parties of the total.
    with django_assert_num_queries(4):
        rows = inspection_statistics(campaign=campaign)

    assert [row.label for row in rows] == [
        "电子计价秤",
        "加油机",
        "民用三表",
        "出租车计价器",
        "充电桩",
        "眼镜制配",
        "合计",
    ]
    assert [row.cells() for row in rows] == [SCALES, FUEL, METERS, TAXI, EV, OPTICAL, TOTAL]
    assert all(len(row.cells()) == 21 for row in rows)


def test_a_date_range_keeps_only_the_inspections_within_it(fixtures, campaign):
    rows = inspection_statistics(
        campaign=campaign, date_from=dt.date(2025, 5, 20), date_to=dt.date(2025, 5, 31)
    )

    total = rows[-1]
    # Records 4, 5, 6 and 7: nozzles 4 + 6, meters 3, optical 2.
    assert (total.figures.instruments, total.parties, total.turnout) == (15, 4, 9)
    assert rows[0].cells()[:3] == [0, 0, 0]


def test_one_units_figures(fixtures, campaign, unit_b):
    rows = inspection_statistics(campaign=campaign, unit=unit_b)

    total = rows[-1]
    # Records 3, 4 and 7 (8 was returned): 5 + 4 + 2 instruments, parties P1, G, O.
    assert (total.figures.instruments, total.parties, total.problems, total.fines) == (11, 3, 2, D("10000"))
    assert total.figures.overdue == 1


def test_split_by_unit_each_unit_has_its_rows_and_the_distinct_parties_hold_across_units(
    fixtures, campaign, unit_a, unit_b, django_assert_num_queries
):
    # 1 entered counts set aside by unit and domain, 2 instruments by unit, domain and status,
    # 3 records by unit and domain, 4 distinct parties by unit, 5 by domain (all units), 6 overall.
    with django_assert_num_queries(6):
        rows = inspection_statistics(campaign=campaign, by_unit=True)

    assert len(rows) == 3 * 7
    a, b, overall = rows[:7], rows[7:14], rows[14:]
    assert {row.unit_name for row in a} == {"甲地市场监管所"}
    assert {row.unit_name for row in b} == {"乙地市场监管所"}
    # 甲's scales: records 1 and 2.
    assert a[0].cells()[:9] == [5, 2, 24, 24, 2, 2, 2, D("83.3"), D("75.0")]
    assert (a[-1].parties, b[-1].parties) == (4, 3)
    # P1 was inspected by both units: once in each unit's row, once in all units' row.
    assert (a[0].parties, b[0].parties, overall[0].parties) == (2, 1, 2)
    assert [row.cells() for row in overall] == [SCALES, FUEL, METERS, TAXI, EV, OPTICAL, TOTAL]


def test_a_campaign_without_records_gives_zero_rows(campaign):
    rows = inspection_statistics(campaign=campaign)

    assert [row.cells() for row in rows] == [TAXI] * 6 + [TAXI]


def test_figures_are_addressed_by_name_in_the_column_order(fixtures, campaign):
    total = inspection_statistics(campaign=campaign)[-1]

    values = total.values()
    assert tuple(values) == STATISTICS_NAMES
    assert [column.title for column in STATISTICS_FIELDS] == list(STATISTICS_COLUMNS)
    assert (values["instruments"], values["mandatory"], values["problems"]) == (44, 43, 11)
    assert (total.inspected_rate, total.pass_rate, total.penalty_total_wan) == (
        D("83.7"),
        D("76.7"),
        D("1.2501"),
    )
    assert total.cells() == [values[name] for name in STATISTICS_NAMES]


def test_submitted_and_returned_records_change_no_figure_until_approved(
    fixtures, campaign, bureau_admin, office_b
):
    before = [row.cells() for row in inspection_statistics(campaign=campaign)]
    assert inspection_pending_count(campaign=campaign) == 1
    waiting = InspectionRecord.objects.get(campaign=campaign, review_status=SUBMITTED)
    returned = InspectionRecord.objects.get(review_status=ReviewStatus.RETURNED)
    # The office edits and resubmits the returned one: still not counted, now pending too.
    record_submit(actor=office_b, record=returned)
    assert [row.cells() for row in inspection_statistics(campaign=campaign)] == before
    assert inspection_pending_count(campaign=campaign) == 2

    record_approve(actor=bureau_admin, record=waiting)

    rows = inspection_statistics(campaign=campaign)
    assert rows[3].values()["instruments"] == 12  # the taxi row
    assert rows[-1].instruments == 44 + 12
    assert inspection_pending_count(campaign=campaign) == 1


def test_the_issues_mix_of_17_instruments_rates_over_the_mandatory_ones_only(campaign, unit_a):
    # 17 instruments at an optician: 6 合格有效, 3 检定不合格, 4 未检定, 2 超期未检 (15 强检) and
    # 2 瞳距仪 (非强检). The old rule counted 非强检 as passing over all instruments: 8 / 17 = 47.1 %.
    record = InspectionFactory(
        unit=unit_a,
        domain=Domain.OPTICAL,
        review_status=APPROVED,
        instruments_checked=0,
        mandatory_count=0,
        fair_scale_present=None,
        instruments_registered=None,
    )
    for _n in range(6):
        listed(record, "refractometer", verified_on=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31))
    for _n in range(3):
        listed(record, "refractometer", result=Result.FAILED)
    for _n in range(4):
        listed(record, "lensmeter", result=Result.NONE, verified_on=None, valid_until=None)
    for _n in range(2):
        listed(record, "lensmeter", verified_on=dt.date(2024, 1, 1), valid_until=dt.date(2024, 12, 31))
    for _n in range(2):
        listed(record, "pupillometer", result=Result.NONE, verified_on=None, valid_until=None)

    row = inspection_statistics(campaign=campaign)[5]
    in_python = record.figures

    assert (row.instruments, row.mandatory, row.unverified, row.overdue, row.failed) == (17, 15, 4, 2, 3)
    # 受检率 = (6 + 3) / 15; 合格率 = 6 / 15 — the 非强检 two count in 检查器具 and in neither rate.
    assert (row.inspected_rate, row.pass_rate) == (D("60.0"), D("40.0"))
    assert (in_python.inspected_rate, in_python.pass_rate) == (D("60.0"), D("40.0"))
    assert row.pass_rate != D("47.1")


def test_without_mandatory_instruments_the_rates_are_a_dash_not_0_or_100(campaign, unit_a):
    record = InspectionFactory(
        unit=unit_a,
        domain=Domain.OPTICAL,
        review_status=APPROVED,
        instruments_checked=0,
        mandatory_count=0,
        fair_scale_present=None,
        instruments_registered=None,
    )
    listed(record, "pupillometer", result=Result.NONE, verified_on=None, valid_until=None)

    row = inspection_statistics(campaign=campaign)[5]

    assert (row.instruments, row.mandatory) == (1, 0)
    assert (row.inspected_rate, row.pass_rate) == (None, None)


@pytest.mark.parametrize(
    ("passing", "failed", "mandatory", "inspected", "passed"),
    [
        # Half-way cases: half-up gives the larger figure (banker's rounding or float would not).
        (1, 0, 16, D("6.3"), D("6.3")),  # 6.25
        (5, 0, 16, D("31.3"), D("31.3")),  # 31.25
        (1, 0, 80, D("1.3"), D("1.3")),  # 1.25
        (21, 0, 80, D("26.3"), D("26.3")),  # 26.25
        (1, 1, 16, D("12.5"), D("6.3")),
        (2, 1, 3, D("100.0"), D("66.7")),
        (1, 0, 3, D("33.3"), D("33.3")),
    ],
)
def test_rates_round_half_up_to_one_decimal(passing, failed, mandatory, inspected, passed):
    figures = Figures(instruments=mandatory + 5, mandatory=mandatory, passing=passing, failed=failed)

    assert (figures.inspected_rate, figures.pass_rate) == (inspected, passed)


def test_entered_counts_leave_the_non_mandatory_out_of_the_rates(campaign, unit_a):
    # 10 scales entered, 6 of them 强检: 1 未检定, 1 检定不合格 → 4 合格有效 of 6.
    InspectionFactory(
        unit=unit_a,
        review_status=APPROVED,
        instruments_checked=10,
        mandatory_count=6,
        unverified_count=1,
        failed_count=1,
    )

    row = inspection_statistics(campaign=campaign)[0]

    assert (row.instruments, row.mandatory) == (10, 6)
    assert (row.inspected_rate, row.pass_rate) == (D("83.3"), D("66.7"))


def test_the_footnote_states_both_formulas():
    assert "受检率 =（合格有效 + 检定不合格）÷ 强检器具" in str(STATISTICS_FOOTNOTE)
    assert "合格率 = 合格有效 ÷ 强检器具" in str(STATISTICS_FOOTNOTE)
