"""/api/v1/instruments/ and the leads: scoped (404), read-only 403, state 409, paginated, filtered,
a fixed number of queries."""

from __future__ import annotations

import pytest

from instruments import services
from instruments.models import EntryStatus, RegisteredInstrument
from tests.inspections.factories import instrument_type
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/instruments/"


def test_the_list_is_scoped_paginated_and_carries_the_code(
    api_client, campaign_clock, office_a, instrument_a, instrument_b
):
    api_client.force_authenticate(office_a)
    body = api_client.get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["id"], row["code"], row["current_status"]) == (instrument_a.pk, instrument_a.code, "valid")
    assert api_client.get(URL, {"code": instrument_a.code.lower()}).json()["count"] == 1
    assert api_client.get(f"{URL}{instrument_b.pk}/").status_code == 404


def test_an_office_registers_and_edits_a_line(api_client, office_a, owner):
    api_client.force_authenticate(office_a)
    payload = {
        "owner": owner.pk,
        "name": "电子计价秤",
        "location": "5 号摊位",
        "instrument_type": instrument_type("price_scale").pk,
    }
    response = api_client.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    line = RegisteredInstrument.objects.get()
    assert (response.json()["code"], line.unit) == (line.code, office_a.unit)
    response = api_client.patch(f"{URL}{line.pk}/", {"quantity": 0}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["quantity"]
    line.refresh_from_db()
    assert line.quantity == 1


def test_leadership_reads_but_may_not_write(api_client, leader, instrument_a, owner):
    api_client.force_authenticate(leader)
    assert api_client.get(f"{URL}{instrument_a.pk}/").status_code == 200
    assert api_client.patch(f"{URL}{instrument_a.pk}/", {"note": "x"}, format="json").status_code == 403
    assert api_client.post(URL, {"owner": owner.pk}, format="json").status_code == 403


def test_confirming_a_line_not_awaiting_review_is_a_conflict(
    api_client, office_a, market_operator, instrument_a, owner
):
    api_client.force_authenticate(office_a)
    assert api_client.post(f"{URL}{instrument_a.pk}/confirm/").status_code == 409
    entry = services.instrument_create(
        actor=market_operator,
        data={
            "owner": owner,
            "name": "秤",
            "location": "B2",
            "instrument_type": instrument_type("price_scale"),
        },
    )
    response = api_client.post(f"{URL}{entry.pk}/return/", {"reason": "缺出厂编号"}, format="json")
    assert response.json()["entry_status"] == EntryStatus.RETURNED


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_runs_a_fixed_number_of_queries(
    api_client, office_a, unit_a, django_assert_num_queries, size
):
    for _number in range(size):
        RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)
    api_client.force_authenticate(office_a)
    # user permissions, group permissions, count, page rows (owner, type, unit, market joined)
    with django_assert_num_queries(4):
        assert api_client.get(URL).status_code == 200


def test_leads_are_scoped_and_planned_once(api_client, campaign, office_a, office_b, instrument_a):
    report = services.problem_report(instrument=instrument_a, text="秤不准")
    lead = services.lead_from_problem_report(actor=office_a, report=report)
    api_client.force_authenticate(office_b)
    assert api_client.get("/api/v1/inspection-leads/").json()["count"] == 0
    assert (
        api_client.post(
            f"/api/v1/inspection-leads/{lead.pk}/plan/", {"planned_for": "2025-06-01"}, format="json"
        ).status_code
        == 404
    )
    api_client.force_authenticate(office_a)
    assert (
        api_client.post(
            f"/api/v1/inspection-leads/{lead.pk}/plan/", {"planned_for": "2025-06-01"}, format="json"
        ).status_code
        == 200
    )
    assert (
        api_client.post(
            f"/api/v1/inspection-leads/{lead.pk}/plan/", {"planned_for": "2025-06-02"}, format="json"
        ).status_code
        == 409
    )
    assert (
        api_client.get("/api/v1/instrument-problems/").json()["results"][0]["instrument_code"]
        == instrument_a.code
    )
