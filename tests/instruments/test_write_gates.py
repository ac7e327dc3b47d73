"""The lead buttons and the risk page's plan button ask the service's permission
(instruments.services.may_handle_leads, inspections.services.may_plan_inspection) before they read the
form: leadership gets 403 whatever it posts and nothing is written; the office in scope still works;
another unit's lead or owner is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import PlannedInspection
from inspections.services import may_plan_inspection
from instruments import services
from instruments.models import InspectionLead
from tests.inspections.factories import EnterpriseFactory
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)


def lead_of(office, instrument) -> InspectionLead:
    report = services.problem_report(instrument=instrument, text="秤不准")
    return services.lead_from_problem_report(actor=office, report=report)


def plan_url(lead) -> str:
    return reverse("instruments:lead_plan", args=[lead.pk])


def dismiss_url(lead) -> str:
    return reverse("instruments:lead_dismiss", args=[lead.pk])


def leads() -> list[tuple[int, str, str]]:
    return list(InspectionLead.objects.order_by("pk").values_list("pk", "status", "closed_reason"))


@pytest.fixture
def lead_a(campaign, office_a, instrument_a) -> InspectionLead:
    return lead_of(office_a, instrument_a)


@pytest.fixture
def lead_b(campaign, office_b, instrument_b) -> InspectionLead:
    return lead_of(office_b, instrument_b)


def test_the_services_permission_functions_are_what_the_roles_have(office_a, leader, bureau_admin):
    assert [services.may_handle_leads(user) for user in (office_a, leader, bureau_admin)] == [
        True,
        False,
        True,
    ]
    assert [may_plan_inspection(user) for user in (office_a, leader, bureau_admin)] == [True, False, True]


@pytest.mark.parametrize("button", ["plan", "dismiss"])
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_a_leaders_lead_button_is_403_before_the_form_and_writes_nothing(
    client, leader, lead_a, button, filled
):
    url = plan_url(lead_a) if button == "plan" else dismiss_url(lead_a)
    data = {"planned_for": str(IN_A_WEEK), "reason": "重复"} if filled else {}
    before = leads()
    client.force_login(leader)

    response = client.post(url, data)

    assert response.status_code == 403
    assert leads() == before
    assert not PlannedInspection.objects.exists()


def test_the_office_in_scope_still_plans_and_dismisses_its_leads(client, office_a, lead_a, instrument_a):
    second = lead_of(office_a, RegisteredInstrumentFactory(unit=instrument_a.unit, owner=instrument_a.owner))
    client.force_login(office_a)

    planned = client.post(plan_url(lead_a), {"planned_for": str(IN_A_WEEK)})
    dismissed = client.post(dismiss_url(second), {"reason": "重复反映"})

    assert (planned.status_code, dismissed.status_code) == (302, 302)
    lead_a.refresh_from_db()
    second.refresh_from_db()
    assert (lead_a.status, lead_a.planned_inspection.planned_for) == (
        InspectionLead.Status.PLANNED,
        IN_A_WEEK,
    )
    assert (second.status, second.closed_reason) == (InspectionLead.Status.DISMISSED, "重复反映")


def test_the_offices_empty_post_in_scope_is_sent_back_with_the_reason(client, office_a, lead_a):
    client.force_login(office_a)

    response = client.post(dismiss_url(lead_a), {}, follow=True)

    assert "请填写不予处理的理由。" in [str(m) for m in response.context["messages"]]
    assert leads() == [(lead_a.pk, InspectionLead.Status.OPEN, "")]


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_another_units_lead_is_404(client, office_a, lead_b, filled):
    before = leads()
    client.force_login(office_a)

    planned = client.post(plan_url(lead_b), {"planned_for": str(IN_A_WEEK)} if filled else {})
    dismissed = client.post(dismiss_url(lead_b), {"reason": "甲所处理"} if filled else {})

    assert (planned.status_code, dismissed.status_code) == (404, 404)
    assert leads() == before


# --- the risk page's plan button -------------------------------------------------------------------------


@pytest.fixture
def ranked(unit_a, unit_b):
    """One overdue owner per office: each is on its own office's ranking."""
    owners = {"a": EnterpriseFactory(name="甲水果店"), "b": EnterpriseFactory(name="乙加油站")}
    RegisteredInstrumentFactory(
        unit=unit_a, owner=owners["a"], valid_until=timezone.localdate() - dt.timedelta(10)
    )
    RegisteredInstrumentFactory(
        unit=unit_b, owner=owners["b"], valid_until=timezone.localdate() - dt.timedelta(10)
    )
    return owners


def risk_plan_url(owner) -> str:
    return reverse("instruments_risk:risk_plan", args=[owner.pk])


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_a_leaders_risk_plan_is_403_before_the_form_and_plans_nothing(client, leader, ranked, filled):
    client.force_login(leader)

    response = client.post(risk_plan_url(ranked["a"]), {"planned_for": str(IN_A_WEEK)} if filled else {})

    assert response.status_code == 403
    assert not PlannedInspection.objects.exists()


def test_the_office_plans_its_own_ranked_owner_and_gets_404_for_another_offices(
    client, office_a, unit_a, ranked
):
    client.force_login(office_a)

    other = client.post(risk_plan_url(ranked["b"]), {})
    own = client.post(risk_plan_url(ranked["a"]), {"planned_for": str(IN_A_WEEK)})

    assert (other.status_code, own.status_code) == (404, 302)
    plan = PlannedInspection.objects.get()
    assert (plan.party, plan.unit, plan.planned_for) == (ranked["a"], unit_a, IN_A_WEEK)
