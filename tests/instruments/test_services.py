"""The register's services: who may write what (404 before 403), codes, the market operators' review,
the public's ratings and problems, leads and contacts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from inspections.models import PlannedInspection
from inspections.verification import VerificationStatus
from instruments import services
from instruments.models import CODE_ALPHABET, CODE_LENGTH, EntryStatus, InspectionLead, RegisteredInstrument
from opinion.models import OpinionIncident
from tests.inspections.factories import instrument_type

pytestmark = pytest.mark.django_db


def ledger_data(owner, **overrides):
    return {
        "owner": owner,
        "name": "电子计价秤",
        "category": "衡器",
        "species": "电子秤",
        "location": "神女市场 3 号摊位",
        "instrument_type": instrument_type("price_scale"),
        **overrides,
    }


def test_an_office_registers_an_instrument_under_its_own_unit_with_a_fresh_code(office_a, owner):
    instrument = services.instrument_create(actor=office_a, data=ledger_data(owner))
    assert instrument.unit == office_a.unit
    assert instrument.entry_status == EntryStatus.CONFIRMED
    assert len(instrument.code) == CODE_LENGTH
    assert set(instrument.code) <= set(CODE_ALPHABET)
    assert instrument.history.count() == 1
    assert instrument.history.first().history_user == office_a


def test_codes_are_found_however_they_are_typed(instrument_a):
    code = instrument_a.code
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert services.instrument_by_code(typed) == instrument_a
    assert services.instrument_by_code("NOPE") is None


def test_a_pending_entry_has_no_public_page(market_operator, owner):
    instrument = services.instrument_create(actor=market_operator, data=ledger_data(owner))
    assert services.instrument_by_code(instrument.code) is None


def test_the_server_owned_fields_cannot_be_set(office_a, owner):
    with pytest.raises(ValidationError) as exc:
        services.instrument_create(actor=office_a, data={**ledger_data(owner), "code": "X", "unit": 1})
    assert set(exc.value.message_dict) == {"code", "unit"}
    assert not RegisteredInstrument.objects.exists()


def test_bad_input_saves_nothing_and_says_why_in_chinese(office_a, owner):
    with pytest.raises(ValidationError) as exc:
        services.instrument_create(
            actor=office_a, data=ledger_data(owner, quantity=0, longitude="109.9", kind="fair_scale")
        )
    errors = exc.value.message_dict
    assert "数量至少为 1。" in errors["quantity"]
    assert "经度和纬度需同时填写或同时留空。" in errors["latitude"]
    assert "公平秤须选择设置市场。" in errors["host_market"]
    assert not RegisteredInstrument.objects.exists()


def test_a_fair_scale_names_its_market(office_a, owner, market):
    scale = services.instrument_create(
        actor=office_a,
        data=ledger_data(
            market, name="公平秤", kind="fair_scale", host_market=market, last_checked_on=dt.date(2025, 5, 1)
        ),
    )
    assert scale.is_fair_scale
    with pytest.raises(ValidationError) as exc:
        services.instrument_create(
            actor=office_a, data=ledger_data(owner, kind="fair_scale", host_market=owner)
        )
    assert "设置市场须是主体类型为“市场主办者”的单位。" in exc.value.message_dict["host_market"]


def test_the_bureau_names_the_office_and_an_office_cannot(bureau_admin, office_a, unit_b, owner, jianjianke):
    assert services.instrument_create(actor=bureau_admin, data=ledger_data(owner)).unit == jianjianke
    instrument = services.instrument_create(actor=bureau_admin, data=ledger_data(owner), unit=unit_b)
    assert instrument.unit == unit_b
    own = services.instrument_create(actor=office_a, data=ledger_data(owner), unit=unit_b)
    assert own.unit == office_a.unit


def test_changes_are_scoped_404_then_403(office_a, office_b, leader, instrument_a):
    with pytest.raises(Http404):
        services.instrument_update(actor=office_b, instrument=instrument_a, data={"note": "x"})
    with pytest.raises(PermissionDenied):
        services.instrument_update(actor=leader, instrument=instrument_a, data={"note": "x"})
    changed = services.instrument_update(actor=office_a, instrument=instrument_a, data={"location": "新址"})
    assert changed.location == "新址"
    assert changed.history.first().history_user == office_a


def test_leadership_cannot_register(leader, owner):
    with pytest.raises(PermissionDenied):
        services.instrument_create(actor=leader, data=ledger_data(owner))


def test_a_market_operator_enters_its_ledger_for_the_supervising_office_to_review(
    market_operator, office_a, office_b, owner, unit_a
):
    entry = services.instrument_create(actor=market_operator, data=ledger_data(owner))
    assert (entry.unit, entry.market_unit, entry.entry_status) == (
        unit_a,
        market_operator.unit,
        EntryStatus.PENDING,
    )
    with pytest.raises(Http404):
        services.instrument_confirm(actor=office_b, instrument=entry)
    with pytest.raises(PermissionDenied):
        services.instrument_confirm(actor=market_operator, instrument=entry)
    returned = services.instrument_return(actor=office_a, instrument=entry, reason="出厂编号有误")
    assert returned.entry_status == EntryStatus.RETURNED
    fixed = services.instrument_update(actor=market_operator, instrument=entry, data={"serial_no": "A1"})
    assert fixed.entry_status == EntryStatus.PENDING
    confirmed = services.instrument_confirm(actor=office_a, instrument=entry)
    assert confirmed.entry_status == EntryStatus.CONFIRMED


def test_a_market_operator_sees_only_its_markets_lines(market_operator, owner, instrument_a):
    from organizations.access import scope_to_user

    own = services.instrument_create(actor=market_operator, data=ledger_data(owner))
    assert list(scope_to_user(RegisteredInstrument.objects.all(), market_operator)) == [own]
    with pytest.raises(Http404):
        services.instrument_update(actor=market_operator, instrument=instrument_a, data={"note": "x"})


def test_a_cooperator_without_a_market_ledger_is_refused(owner, market_unit):
    from organizations.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(unit=market_unit, roles=[Role.COOPERATOR])
    with pytest.raises(PermissionDenied):
        services.instrument_create(actor=user, data=ledger_data(owner))


def test_the_current_status_is_computed_for_today(instrument_a, campaign_clock):
    assert instrument_a.current_status == VerificationStatus.VALID
    assert instrument_a.status_on(dt.date(2026, 4, 20)) == VerificationStatus.OVERDUE


def test_a_rating_is_1_to_5(instrument_a):
    services.rating_create(instrument=instrument_a, score=5)
    with pytest.raises(ValidationError):
        services.rating_create(instrument=instrument_a, score=6)
    assert instrument_a.ratings.count() == 1


def test_a_problem_lands_on_the_offices_opinion_desk(campaign, instrument_a, office_a):
    report = services.problem_report(instrument=instrument_a, text="称重不准，少了二两", contact="")
    incident = report.incident
    assert incident.handling_unit == instrument_a.unit
    assert instrument_a.code in incident.involved_party
    assert incident.platform == "计量器具扫码页面"  # not a station's page
    assert OpinionIncident.objects.count() == 1
    with pytest.raises(ValidationError):
        services.problem_report(instrument=instrument_a, text="  ")


def test_a_problem_becomes_a_lead_and_the_lead_a_planned_inspection(
    campaign, instrument_a, office_a, office_b
):
    report = services.problem_report(instrument=instrument_a, text="秤不准")
    with pytest.raises(Http404):
        services.lead_from_problem_report(actor=office_b, report=report)
    lead = services.lead_from_problem_report(actor=office_a, report=report)
    assert services.lead_from_problem_report(actor=office_a, report=report) == lead
    assert services.lead_from_incident(actor=office_a, incident=report.incident) == lead
    assert (lead.unit, lead.owner, lead.instrument) == (office_a.unit, instrument_a.owner, instrument_a)
    plan = services.lead_plan(actor=office_a, lead=lead, planned_for=dt.date(2025, 6, 1))
    assert (plan.unit, plan.party, plan.domain) == (office_a.unit, instrument_a.owner, "scales")
    lead.refresh_from_db()
    assert (lead.status, lead.planned_inspection) == (InspectionLead.Status.PLANNED, plan)
    assert PlannedInspection.objects.count() == 1
    with pytest.raises(ValidationError):
        services.lead_dismiss(actor=office_a, lead=lead, reason="重复")


def test_an_owner_contact_needs_an_address_and_keeps_the_robot_secret(office_a, office_b, owner):
    with pytest.raises(ValidationError):
        services.owner_contact_save(actor=office_a, owner=owner, data={"name": "王"})
    contact = services.owner_contact_save(
        actor=office_a,
        owner=owner,
        data={"email": "wang@example.com"},
        robot_kind="dingtalk",
        robot_url="https://oapi.dingtalk.com/robot/send?access_token=x",
        robot_secret="SEC1",
    )
    contact = services.owner_contact_save(
        actor=office_a,
        owner=owner,
        data={"email": "wang@example.com"},
        robot_kind="dingtalk",
        robot_url="https://oapi.dingtalk.com/robot/send?access_token=y",
    )
    assert contact.robot.secret == "SEC1"
    with pytest.raises(Http404):
        services.owner_contact_save(actor=office_b, owner=owner, data={"email": "b@example.com"})
