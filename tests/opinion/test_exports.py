"""The 舆情 workbook sheet: every incident of the report's period (incidents are not reviewed records)."""

from __future__ import annotations

import datetime as dt

from core.exporters import SheetContext, registered
from opinion.exports import INCIDENT_HEADERS, IncidentSheet
from opinion.models import OpinionIncident
from tests.opinion.factories import DISCOVERED_AT, OpinionIncidentFactory


def test_the_sheet_is_registered_in_workbook_order():
    sheet = next(sheet for sheet in registered() if sheet.identifier == "opinion.incidents")

    assert (sheet.title, sheet.order, sheet.headers) == ("舆情", 80, INCIDENT_HEADERS)


def test_the_sheet_lists_every_incident_of_the_period_and_unit_whatever_its_status(campaign, unit_a, unit_b):
    found = OpinionIncidentFactory(handling_unit=unit_a, title="期内")
    closed = OpinionIncidentFactory(
        handling_unit=unit_a, title="办结", discovered_at=DISCOVERED_AT + dt.timedelta(days=1)
    )
    OpinionIncident.objects.filter(pk=closed.pk).update(
        status=OpinionIncident.Status.CLOSED,
        response="已回应。",
        handling_summary="已办结。",
        closed_on=dt.date(2025, 5, 22),
    )
    OpinionIncidentFactory(
        handling_unit=unit_a, title="期外", discovered_at=DISCOVERED_AT - dt.timedelta(days=30)
    )
    OpinionIncidentFactory(handling_unit=unit_b, title="别的单位")
    context = SheetContext(
        campaign=campaign, date_from=dt.date(2025, 5, 10), date_to=dt.date(2025, 5, 31), unit=unit_a
    )

    rows = list(IncidentSheet().rows(context))

    assert [(row[1], row[10]) for row in rows] == [(found.title, "已发现"), ("办结", "已办结")]
