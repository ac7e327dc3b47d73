"""The micro-station sheets of the summary workbook, and the official figures they share with the
dashboard: approved activities only, the pending ones beside."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exporters import SheetContext, registered
from microstations.exports import StationActivitySheet, StationSheet
from microstations.selectors import station_summary
from records import services as review
from records.models import ReviewStatus
from tests.microstations.factories import StationActivityFactory


@pytest.fixture
def states(station_a, station_b, office_a, office_b, bureau_admin):
    """One activity in each review state at station A, one approved at station B."""

    def submitted(station, actor, **kwargs):
        record = StationActivityFactory(station=station, created_by=actor, **kwargs)
        return review.record_submit(actor=actor, record=record)

    approved = submitted(station_a, office_a, title="已通过", people_reached=100)
    review.record_approve(actor=bureau_admin, record=approved)
    returned = submitted(station_a, office_a, title="已退回", people_reached=200)
    review.record_return(actor=bureau_admin, record=returned, reason="请补充照片")
    pending = submitted(station_a, office_a, title="已提交", people_reached=300)
    draft = StationActivityFactory(station=station_a, created_by=office_a, title="草稿", people_reached=400)
    other = submitted(station_b, office_b, title="乙地已通过", people_reached=50, date=dt.date(2025, 6, 10))
    review.record_approve(actor=bureau_admin, record=other)
    return {"approved": approved, "returned": returned, "pending": pending, "draft": draft, "other": other}


def test_the_sheets_are_registered_in_workbook_order():
    sheets = {sheet.identifier: sheet for sheet in registered()}

    assert (sheets["microstations.stations"].title, sheets["microstations.stations"].order) == ("微站", 30)
    assert (sheets["microstations.activities"].title, sheets["microstations.activities"].order) == (
        "微站活动",
        40,
    )
    assert (sheets["volunteers.volunteers"].title, sheets["volunteers.volunteers"].order) == ("宣传员", 50)


def test_the_activity_sheet_lists_approved_activities_only(campaign, states):
    rows = list(StationActivitySheet().rows(SheetContext(campaign=campaign)))

    assert [row[4] for row in rows] == ["已通过", "乙地已通过"]
    assert {row[-1] for row in rows} == {"已通过"}
    assert len(rows[0]) == len(StationActivitySheet.headers)


def test_the_activity_sheet_follows_the_period_and_the_unit(campaign, states, unit_b):
    june = SheetContext(campaign=campaign, date_from=dt.date(2025, 6, 1))
    unit = SheetContext(campaign=campaign, unit=unit_b)

    assert [row[4] for row in StationActivitySheet().rows(june)] == ["乙地已通过"]
    assert [row[4] for row in StationActivitySheet().rows(unit)] == ["乙地已通过"]


def test_the_station_sheet_counts_approved_activities_and_the_pending_beside(
    campaign, states, station_a, station_b
):
    rows = {row[0]: row for row in StationSheet().rows(SheetContext(campaign=campaign))}

    assert StationSheet.headers[-2:] == ["活动场次（已通过）", "待审核活动"]
    assert rows[station_a.name][-2:] == [1, 1]
    assert rows[station_b.name][-2:] == [1, 0]
    assert len(rows[station_a.name]) == len(StationSheet.headers)


def test_a_submitted_or_returned_activity_changes_no_figure_until_approved(
    campaign, states, office_a, bureau_admin
):
    before = station_summary(campaign=campaign)
    assert (before["activities"], before["people"], before["pending"]) == (2, 150, 1)

    review.record_submit(actor=office_a, record=states["returned"])
    resubmitted = station_summary(campaign=campaign)
    assert (resubmitted["activities"], resubmitted["people"], resubmitted["pending"]) == (2, 150, 2)

    review.record_approve(actor=bureau_admin, record=states["pending"])
    after = station_summary(campaign=campaign)
    assert (after["activities"], after["people"], after["pending"]) == (3, 450, 1)
    sheet = [row[4] for row in StationActivitySheet().rows(SheetContext(campaign=campaign))]
    assert sheet == ["已通过", "已提交", "乙地已通过"]


def test_the_draft_stays_out_of_every_figure(campaign, states):
    assert states["draft"].review_status == ReviewStatus.DRAFT
    assert station_summary(campaign=campaign)["people"] == 150
