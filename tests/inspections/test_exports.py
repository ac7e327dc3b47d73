"""The two sheets inspections register in the summary workbook (core.exporters): the statistics table
with its footnote row, and one row per approved inspection."""

from __future__ import annotations

import datetime as dt

from core.exporters import SheetContext, registered, with_labels
from inspections.exports import RecordsSheet, StatisticsSheet
from inspections.models import Domain
from inspections.selectors import STATISTICS_COLUMNS
from records.models import ReviewStatus
from tests.inspections.factories import InspectionFactory, InstrumentFactory


def sheet(identifier):
    return next(exporter for exporter in registered() if exporter.identifier == identifier)


def test_both_sheets_are_registered_in_their_places():
    statistics, records = sheet("inspections.statistics"), sheet("inspections.records")

    assert (type(statistics), statistics.title, statistics.order) == (StatisticsSheet, "专项检查统计表", 20)
    assert (type(records), records.title, records.order) == (RecordsSheet, "检查记录", 25)
    assert statistics.headers == ["检查领域", *STATISTICS_COLUMNS]
    # Formats are placed by column name: 受检率% and 合格率% one decimal, money two, 万元 four.
    formats = {statistics.headers[index]: fmt for index, fmt in statistics.number_formats.items()}
    assert formats == {
        "受检率%": "0.0",
        "合格率%": "0.0",
        "罚款（元）": "#,##0.00",
        "没收违法所得（元）": "#,##0.00",
        "罚没款合计（万元）": "0.0000",
    }


def test_the_statistics_sheet_counts_approved_records_and_says_what_awaits_review(campaign, unit_a):
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.APPROVED, instruments_checked=10)
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.SUBMITTED, instruments_checked=7)
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.RETURNED, instruments_checked=5)

    rows = list(StatisticsSheet().rows(SheetContext(campaign=campaign)))

    *table, blank, (footnote,) = rows
    assert blank == []
    assert [row[0] for row in table][-1] == "合计"
    assert table[-1][3] == 10  # 检查器具: the approved record only
    assert table[3][8] == "—"  # no 强检 taxi meters: a dash, not 0 or 100
    assert "受检率 =（合格有效 + 检定不合格）÷ 强检器具" in footnote
    assert "合格率 = 合格有效 ÷ 强检器具" in footnote
    assert "另有待审核记录 1 条" in footnote


def test_the_records_sheet_streams_approved_records_without_a_query_per_row(
    campaign, unit_a, unit_b, django_assert_num_queries
):
    for n in range(6):
        record = InspectionFactory(
            unit=unit_a if n % 2 else unit_b,
            review_status=ReviewStatus.APPROVED,
            date=dt.date(2025, 5, 10 + n),
            inspected_party__name=f"商行{n}",
        )
        InstrumentFactory.create_batch(2, inspection=record)
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.SUBMITTED)
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.DRAFT)

    # 1 the approved records (party, market and unit joined), 2 their instruments with their types
    # (one prefetch per chunk). Choice columns hold stored values; the writer puts labels in per column.
    with django_assert_num_queries(2):
        rows = list(with_labels(RecordsSheet().rows(SheetContext(campaign=campaign)), RecordsSheet.labels))

    assert [row[2] for row in rows] == [f"商行{n}" for n in range(6)]
    assert {row[7] for row in rows} == {2}  # 检查器具 from the listed instruments
    assert {row[31] for row in rows} == {"已通过"}
    assert len(rows[0]) == len(RecordsSheet.headers)


def test_the_records_sheet_follows_the_reports_period_and_unit(campaign, unit_a, unit_b):
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.APPROVED, date=dt.date(2025, 5, 1))
    InspectionFactory(unit=unit_a, review_status=ReviewStatus.APPROVED, date=dt.date(2025, 6, 1))
    InspectionFactory(
        unit=unit_b, review_status=ReviewStatus.APPROVED, date=dt.date(2025, 6, 1), domain=Domain.SCALES
    )
    context = SheetContext(campaign=campaign, date_from=dt.date(2025, 5, 15), unit=unit_a)

    rows = list(RecordsSheet().rows(context))

    assert [(row[0], row[4]) for row in rows] == [(dt.date(2025, 6, 1), unit_a.name)]
