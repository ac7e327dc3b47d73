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
  7 乙 optical O  05-23  2 staff  listed: refractometer valid · pupillometer (非强检); approved
  8 乙 EV      E  06-10  2 staff  entered 8 checked, 8 mandatory, 2 超期; 2 problems; returned for changes
  not counted: a draft (taxi) and an inspection of the 2024 campaign.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspections.models import Domain
from inspections.selectors import STATISTICS_COLUMNS, inspection_statistics
from inspections.verification import Result
from records.models import ReviewStatus
from tests.factories import CampaignFactory
from tests.inspections.factories import (
    EnterpriseFactory,
    InspectionFactory,
    InstrumentFactory,
    instrument_type,
)

D = Decimal
SUBMITTED = ReviewStatus.SUBMITTED


def listed(record, code, **facts):
    return InstrumentFactory(inspection=record, instrument_type=instrument_type(code), **facts)


@pytest.fixture
def fixtures(campaign, unit_a, unit_b):
    p1, p2, g, g2, u, o, e = (EnterpriseFactory(name=n) for n in ("P1", "P2", "G", "G2", "U", "O", "E"))

    def record(unit, domain, party, day, turnout, **fields):
        fields.setdefault("review_status", SUBMITTED)
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
    r7 = record(unit_b, Domain.OPTICAL, o, (5, 23), 2, review_status=ReviewStatus.APPROVED)
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
    # Not counted:
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
METERS = [2, 1, 3, 3, 1, 0, 0, D("66.7"), D("33.3"), 2, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, "到期未轮换 1 台件"]
TAXI = [0, 0, 0, 0, 0, 0, 0, None, None, 0, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, ""]
EV = [2, 1, 8, 8, 0, 2, 0, D("75.0"), D("75.0"), 2, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, ""]
OPTICAL = [2, 1, 2, 1, 0, 0, 0, D("100.0"), D("100.0"), 0, 0, 0, 0, 0, 0, 0, D(0), D(0), D(0), 0, ""]
TOTAL = [18, 7, 52, 51, 3, 5, 3, D("84.6"), D("76.9"), 13, 2, 1, 1, 1, 1, 1, D("12000.00"), D("500.50"), D("1.2501"), 1,
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
    # Records 3, 4, 7 and 8: 5 + 4 + 2 + 8 instruments, parties P1, G, O, E.
    assert (total.figures.instruments, total.parties, total.problems, total.fines) == (19, 4, 4, D("10000"))
    assert total.figures.overdue == 1 + 2


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
    assert (a[-1].parties, b[-1].parties) == (4, 4)
    # P1 was inspected by both units: once in each unit's row, once in all units' row.
    assert (a[0].parties, b[0].parties, overall[0].parties) == (2, 1, 2)
    assert [row.cells() for row in overall] == [SCALES, FUEL, METERS, TAXI, EV, OPTICAL, TOTAL]


def test_a_campaign_without_records_gives_zero_rows(campaign):
    rows = inspection_statistics(campaign=campaign)

    assert [row.cells() for row in rows] == [TAXI] * 6 + [TAXI]
