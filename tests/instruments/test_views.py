"""The office's register pages: scoped (in scope works, out of scope 404, read-only 403), filtered,
paginated, exported, with a fixed number of queries; forms save nothing on bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from inspections.models import PlannedInspection
from instruments import services
from instruments.models import EntryStatus, InspectionLead, RegisteredInstrument
from tests.inspections.factories import instrument_type
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

LIST = "/workbench/instruments/"


def test_an_office_lists_its_own_lines_only(client, office_a, instrument_a, instrument_b):
    client.force_login(office_a)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["instruments"]) == [instrument_a]
    assert instrument_a.code in response.content.decode()


def test_filters_and_search(client, office_a, instrument_a, unit_a):
    other = RegisteredInstrumentFactory(
        unit=unit_a, created_by=office_a, name="加油机", valid_until=None, verified_on=None
    )
    client.force_login(office_a)
    assert list(client.get(LIST, {"q": instrument_a.code.lower()}).context["instruments"]) == [instrument_a]
    assert list(client.get(LIST, {"status": "unverified"}).context["instruments"]) == [other]
    assert list(client.get(LIST, {"owner": instrument_a.owner_id}).context["instruments"]) == [instrument_a]
    assert list(client.get(LIST, {"domain": "fuel"}).context["instruments"]) == []


def test_the_list_paginates(client, office_a, unit_a):
    for _number in range(21):
        RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)
    client.force_login(office_a)
    assert len(client.get(LIST).context["instruments"]) == 20
    assert len(client.get(LIST, {"page": 2}).context["instruments"]) == 1


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_runs_a_fixed_number_of_queries(client, office_a, unit_a, django_assert_num_queries, size):
    for _number in range(size):
        RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)
    client.force_login(office_a)
    # session, user, user and group permissions, count, page rows (owner, type, unit, market joined),
    # the pending count, the user's groups (nav), the user's unit (header), the instrument types and
    # the units (filter choices)
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200


def test_the_export_is_the_filtered_list_in_e_cqs_order(client, office_a, instrument_a, instrument_b):
    client.force_login(office_a)
    response = client.get(LIST, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "项别", "种别")
    assert [row[14] for row in rows[1:]] == [instrument_a.code]


def test_detail_is_404_out_of_scope_and_the_edit_403_for_leadership(client, office_b, leader, instrument_a):
    client.force_login(office_b)
    assert client.get(instrument_a.get_absolute_url()).status_code == 404
    assert client.get(f"{LIST}{instrument_a.pk}/edit/").status_code == 404
    client.force_login(leader)
    assert client.get(instrument_a.get_absolute_url()).status_code == 200
    assert client.get(f"{LIST}{instrument_a.pk}/edit/").status_code == 403
    assert client.get(f"{LIST}new/").status_code == 403


def test_the_form_registers_a_line_and_refuses_bad_input_in_chinese(client, office_a, owner):
    client.force_login(office_a)
    data = {
        "owner": owner.pk,
        "name": "电子计价秤",
        "location": "3 号摊位",
        "quantity": "0",
        "purpose": "trade",
        "instrument_type": instrument_type("price_scale").pk,
        "kind": "instrument",
        "result": "none",
        "in_use": "on",
    }
    response = client.post(f"{LIST}new/", data)
    assert response.status_code == 200
    assert "数量至少为 1。" in response.content.decode()
    assert not RegisteredInstrument.objects.exists()
    response = client.post(f"{LIST}new/", {**data, "quantity": "2"})
    line = RegisteredInstrument.objects.get()
    assert response.status_code == 302
    assert (line.unit, line.quantity, line.entry_status) == (office_a.unit, 2, EntryStatus.CONFIRMED)


def test_the_office_confirms_a_market_operators_line_from_its_page(client, office_a, market_operator, owner):
    entry = services.instrument_create(
        actor=market_operator,
        data={
            "owner": owner,
            "name": "电子秤",
            "location": "A1",
            "instrument_type": instrument_type("price_scale"),
        },
    )
    client.force_login(market_operator)
    assert client.post(f"{LIST}{entry.pk}/confirm/").status_code == 403
    entry.refresh_from_db()
    assert entry.entry_status == EntryStatus.PENDING
    client.force_login(office_a)
    assert "confirm-instrument" in client.get(entry.get_absolute_url()).content.decode()
    client.post(f"{LIST}{entry.pk}/confirm/")
    entry.refresh_from_db()
    assert entry.entry_status == EntryStatus.CONFIRMED


def test_a_scan_page_problem_reaches_the_offices_lead_list_and_is_planned(
    client, campaign, office_a, office_b, instrument_a
):
    report = services.problem_report(instrument=instrument_a, text="少秤")
    client.force_login(office_b)
    assert report.text not in client.get(f"{LIST}leads/").content.decode()
    assert client.post(f"{LIST}leads/from-report/{report.pk}/").status_code == 404
    client.force_login(office_a)
    assert "少秤" in client.get(f"{LIST}leads/").content.decode()
    assert client.post(f"{LIST}leads/from-report/{report.pk}/").status_code == 302
    lead = InspectionLead.objects.get()
    client.post(f"{LIST}leads/{lead.pk}/plan/", {"planned_for": "2025-06-01"})
    plan = PlannedInspection.objects.get()
    assert (plan.party, plan.unit) == (instrument_a.owner, office_a.unit)
    page = client.get(f"/workbench/inspections/new/?plan={plan.pk}&registered={instrument_a.pk}")
    assert page.status_code == 200
    formset = page.context["formset"]
    assert formset.initial[0]["registered"] == instrument_a.pk
    assert page.context["form"].initial["inspected_party"] == instrument_a.owner_id


def test_an_incident_becomes_a_lead_only_for_its_office(client, campaign, office_a, office_b, instrument_a):
    incident = services.problem_report(instrument=instrument_a, text="秤不准").incident
    client.force_login(office_b)
    assert client.post(f"{LIST}leads/from-incident/{incident.pk}/").status_code == 404
    client.force_login(office_a)
    assert client.post(f"{LIST}leads/from-incident/{incident.pk}/").status_code == 302
    assert InspectionLead.objects.get().incident == incident


def test_an_owner_contact_is_set_from_its_page(client, office_a, owner):
    client.force_login(office_a)
    url = f"{LIST}owners/{owner.pk}/contact/"
    response = client.post(url, {"name": "王", "email": "", "robot_url": "", "reminders_enabled": "on"})
    assert "请至少填写电子邮箱或群机器人 Webhook 地址。" in response.content.decode()
    assert client.post(url, {"email": "w@example.com", "reminders_enabled": "on"}).status_code == 302
    assert owner.instrument_contact.email == "w@example.com"


def test_the_incident_page_offers_the_lead_button_to_its_office_only(
    client, campaign, office_a, leader, instrument_a
):
    incident = services.problem_report(instrument=instrument_a, text="秤不准").incident
    client.force_login(office_a)
    page = client.get(f"/workbench/publicity/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="lead-from-incident"' in page
    assert f"{LIST}leads/from-incident/{incident.pk}/" in page
    client.force_login(leader)
    assert (
        'data-testid="lead-from-incident"'
        not in client.get(f"/workbench/publicity/incidents/{incident.pk}/").content.decode()
    )
