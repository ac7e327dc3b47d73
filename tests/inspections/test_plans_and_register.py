"""An inspection made from a plan carries it out; its rows link to register lines and record the current
check items (the form's doors to inspections.services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from inspections import services
from inspections.models import Domain, InspectionRecord, InstrumentCheck, PlannedInspection
from tests.inspections.factories import instrument_type
from tests.inspections.test_views import NEW, nozzle_row, payload
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db


def test_an_inspection_from_a_plan_links_the_register_and_records_the_checks(
    client, campaign, campaign_clock, office_a, gas_station
):
    line = RegisteredInstrumentFactory(
        unit=office_a.unit,
        created_by=office_a,
        owner=gas_station,
        instrument_type=instrument_type("fuel_nozzle"),
    )
    plan = services.inspection_plan(
        actor=office_a,
        data={
            "party": gas_station,
            "domain": Domain.FUEL,
            "planned_for": dt.date(2025, 5, 20),
            "reason": "投诉",
        },
    )
    client.force_login(office_a)
    page = client.get(f"{NEW}?plan={plan.pk}&registered={line.pk}")
    assert page.context["form"].initial["inspected_party"] == gas_station.pk
    assert page.context["formset"].initial[0]["registered"] == line.pk

    row = {**nozzle_row("1号机1枪"), "registered": str(line.pk), "check_fuel_chip_read": "true"}
    data = payload(
        gas_station,
        instruments=[row],
        dispensers="1",
        nozzles="1",
        broken_seal_count="0",
        problems_found="0",
        problem_types=[],
        findings="",
        **{"instruments-INITIAL_FORMS": "1"},
    )
    response = client.post(f"{NEW}?plan={plan.pk}&registered={line.pk}", data)

    assert response.status_code == 302, response.context["form"].errors
    record = InspectionRecord.objects.get()
    plan.refresh_from_db()
    assert (plan.status, plan.inspection) == (PlannedInspection.Status.DONE, record)
    assert record.instruments.get().registered == line
    check = InstrumentCheck.objects.get()
    assert (check.item.code, check.passed) == ("fuel_chip_read", True)


def test_a_plan_of_another_unit_is_404_and_leadership_may_not_plan(
    client, office_a, office_b, leader, gas_station, campaign
):
    data = {
        "party": gas_station,
        "domain": Domain.FUEL,
        "planned_for": dt.date(2025, 5, 20),
        "reason": "抽查",
    }
    plan = services.inspection_plan(actor=office_b, data=data)
    with pytest.raises(PermissionDenied):
        services.inspection_plan(actor=leader, data=data)
    with pytest.raises(Http404):
        services.inspection_plan(actor=office_a, data=data, unit=office_b.unit)
    client.force_login(office_a)
    assert client.get(f"{NEW}?plan={plan.pk}").status_code == 404
