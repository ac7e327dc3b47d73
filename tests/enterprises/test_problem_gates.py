"""The problem-ticket buttons ask the service's permission (enterprises.services.may_raise_problem /
may_handle_problem) before they read the form: a read-only role gets 403 whatever it posts, empty or
not, and nothing is written; the office in scope still works; another unit's visit or ticket is 404."""

from __future__ import annotations

import pytest

from enterprises import services
from enterprises.models import MetrologyProblem

pytestmark = pytest.mark.django_db

Status = MetrologyProblem.Status


def raise_url(visit) -> str:
    return f"/workbench/enterprises/visits/{visit.pk}/problems/"


def step_url(problem, step: str) -> str:
    return f"/workbench/enterprises/problems/{problem.pk}/{step}/"


def tickets() -> list[tuple[int, str, str]]:
    return list(MetrologyProblem.objects.order_by("pk").values_list("pk", "status", "description"))


def test_the_services_permission_functions_are_what_the_roles_have(office_a, leader, bureau_admin):
    assert [services.may_raise_problem(user) for user in (office_a, leader, bureau_admin)] == [
        True,
        False,
        True,
    ]
    assert [services.may_handle_problem(user) for user in (office_a, leader, bureau_admin)] == [
        True,
        False,
        True,
    ]


@pytest.mark.parametrize(
    "data", [{}, {"category": "other", "description": "领导登记"}], ids=["empty", "filled"]
)
def test_a_leaders_problem_raise_is_403_before_the_form_and_writes_nothing(client, leader, visit_a, data):
    client.force_login(leader)

    response = client.post(raise_url(visit_a), data)

    assert response.status_code == 403
    assert tickets() == []


@pytest.mark.parametrize("step", ["assign", "solve", "confirm"])
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_a_leaders_problem_step_is_403_before_the_form_and_writes_nothing(
    client, leader, problem_a, testing_unit, step, filled
):
    data = (
        {"assigned_unit": testing_unit.pk, "solution": "已送检", "confirmed_by_name": "王经理"}
        if filled
        else {}
    )
    before = tickets()
    client.force_login(leader)

    response = client.post(step_url(problem_a, step), data)

    assert response.status_code == 403
    assert tickets() == before


def test_the_office_in_scope_still_raises_and_moves_a_ticket(client, office_a, visit_a, testing_unit):
    client.force_login(office_a)

    raised = client.post(raise_url(visit_a), {"category": "other", "description": "电子秤超期未检"})
    problem = MetrologyProblem.objects.get()
    assigned = client.post(step_url(problem, "assign"), {"assigned_unit": testing_unit.pk})

    assert (raised.status_code, assigned.status_code) == (302, 302)
    problem.refresh_from_db()
    assert (problem.visit, problem.status, problem.assigned_unit) == (visit_a, Status.ASSIGNED, testing_unit)


def test_the_office_empty_post_in_scope_is_sent_back_with_the_reason(client, office_a, visit_a):
    client.force_login(office_a)

    response = client.post(raise_url(visit_a), {}, follow=True)

    assert response.redirect_chain[-1][0] == f"/workbench/enterprises/visits/{visit_a.pk}/"
    assert any("请填写问题描述。" in str(m) for m in response.context["messages"])
    assert tickets() == []


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_another_units_visit_and_ticket_are_404(client, office_b, visit_a, problem_a, testing_unit, filled):
    before = tickets()
    client.force_login(office_b)

    raised = client.post(
        raise_url(visit_a), {"category": "other", "description": "乙所登记"} if filled else {}
    )
    stepped = client.post(step_url(problem_a, "assign"), {"assigned_unit": testing_unit.pk} if filled else {})

    assert (raised.status_code, stepped.status_code) == (404, 404)
    assert tickets() == before
