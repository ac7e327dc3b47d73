"""The workbook sheet 服务中小企业: registered with core.exporters, approved visits of the period only."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exporters import SheetContext, registered
from enterprises.importing import VISIT_FORMATS, VISIT_HEADERS
from records import services as review
from tests.enterprises.factories import EnterpriseVisitFactory


def visit_sheet():
    return next(sheet for sheet in registered() if sheet.identifier == "enterprises.visits")


def test_the_sheet_is_registered_under_its_name_and_place():
    sheet = visit_sheet()

    assert (sheet.title, sheet.order) == ("服务中小企业", 90)
    assert sheet.headers == VISIT_HEADERS
    assert sheet.number_formats == VISIT_FORMATS


@pytest.fixture
def visits_in_every_state(office_a, office_b, bureau_admin, campaign):
    """One visit per review state in office_a's unit, one approved in office_b's and one approved in June."""

    def visit(unit_user, day=dt.date(2025, 5, 20), staff=""):
        return EnterpriseVisitFactory(unit=unit_user.unit, created_by=unit_user, date=day, staff=staff)

    def approve(record):
        review.record_submit(actor=record.created_by, record=record)
        review.record_approve(actor=bureau_admin, record=record)

    visit(office_a, staff="草稿")
    review.record_submit(actor=office_a, record=visit(office_a, staff="已提交"))
    returned = visit(office_a, staff="已退回")
    review.record_submit(actor=office_a, record=returned)
    review.record_return(actor=bureau_admin, record=returned, reason="补充")
    approve(visit(office_a, staff="甲所通过"))
    approve(visit(office_b, staff="乙所通过"))
    approve(visit(office_a, day=dt.date(2025, 6, 10), staff="六月通过"))


def staff_of(rows) -> set[str]:
    return {row[VISIT_HEADERS.index("服务人员")] for row in rows}


def test_the_sheet_lists_approved_visits_only(campaign, visits_in_every_state):
    rows = list(visit_sheet().rows(SheetContext(campaign=campaign)))

    assert staff_of(rows) == {"甲所通过", "乙所通过", "六月通过"}
    assert {row[VISIT_HEADERS.index("审核状态")] for row in rows} == {"已通过"}


def test_the_sheet_keeps_to_the_reports_period_and_unit(campaign, office_a, visits_in_every_state):
    may = SheetContext(campaign=campaign, date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 5, 31))
    unit_a = SheetContext(campaign=campaign, unit=office_a.unit)

    assert staff_of(visit_sheet().rows(may)) == {"甲所通过", "乙所通过"}
    assert staff_of(visit_sheet().rows(unit_a)) == {"甲所通过", "六月通过"}
