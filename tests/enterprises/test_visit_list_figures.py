"""The visit list's figures line (已审核通过 N 次服务…) reads the precomputed facts (records.lists), equals a
recount of the approved visits it lists, follows the list's campaign, unit, date and review filters, and
falls back to counting the records when narrowed by what the facts do not hold (a search, a type) or
seen through a 协办单位's scope (issue 14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from enterprises import selectors
from enterprises.filters import VisitFilterSet
from enterprises.models import EnterpriseVisit
from organizations.roles import Role
from records import services as review
from records.lists import list_facts
from records.models import Fact
from tests.enterprises.factories import EnterpriseVisitFactory, MetrologyProblemFactory
from tests.factories import UserFactory
from tests.html import text_of

LIST = "/workbench/enterprises/visits/"
LABEL = "enterprises.enterprisevisit"


def approve(visit: Any, office: Any, bureau_admin: Any) -> EnterpriseVisit:
    review.record_submit(actor=office, record=visit)
    review.record_approve(actor=bureau_admin, record=visit)
    return visit


@pytest.fixture
def approved(campaign, office_a, office_b, bureau_admin):
    """Approved visits of both offices on two days, one more submitted in office_a's unit, one draft."""

    def visit(office, day, **fields):
        return EnterpriseVisitFactory(unit=office.unit, created_by=office, date=day, **fields)

    visits = [
        approve(
            visit(office_a, dt.date(2025, 5, 20), instruments_serviced=3, trainees=4), office_a, bureau_admin
        ),
        approve(
            visit(office_a, dt.date(2025, 5, 21), instruments_serviced=5, fees_waived=Decimal("150.00")),
            office_a,
            bureau_admin,
        ),
        approve(
            visit(office_b, dt.date(2025, 5, 21), instruments_serviced=7, trainees=2), office_b, bureau_admin
        ),
    ]
    MetrologyProblemFactory(visit=visits[0])
    review.record_submit(
        actor=office_a, record=visit(office_a, dt.date(2025, 5, 22), instruments_serviced=11)
    )
    visit(office_a, dt.date(2025, 5, 22), instruments_serviced=13)
    return visits


def figures(response) -> dict:
    return response.context["totals"]


def recount(visits) -> dict:
    """The figures counted from the records (the live aggregate the line used to run)."""
    return selectors.visit_totals(visits)


def test_the_line_equals_a_recount_of_the_approved_visits_for_each_role(
    client, approved, office_a, bureau_admin
):
    for user, count, instruments in ((bureau_admin, 3, 15), (office_a, 2, 8)):
        client.force_login(user)

        response = client.get(LIST)

        assert response.status_code == 200
        expected = recount(selectors.visit_list_for_user(user=user))
        assert figures(response) == expected
        assert (figures(response)["count"], figures(response)["instruments"]) == (count, instruments)
        assert figures(response)["pending"] == 1
        line = text_of(response, '[data-testid="visit-totals"]')
        assert line.startswith(f"已审核通过 {count} 次服务，检定校准 {instruments} 台件")
        assert text_of(response, '[data-testid="visits-pending"]') == "待审核 1"


def test_the_line_reads_the_facts_not_the_records(client, approved, bureau_admin):
    """A cell moved behind the records' back shows on the line: the page sums the facts."""
    Fact.objects.filter(record_type=LABEL, metric="instruments_serviced", unit=approved[2].unit).update(
        value=Decimal(100)
    )
    client.force_login(bureau_admin)

    response = client.get(LIST)

    assert figures(response)["instruments"] == 3 + 5 + 100
    assert figures(response)["count"] == 3


@pytest.mark.parametrize(
    ("query", "count", "instruments", "pending"),
    [
        ("date_from=2025-05-21&date_to=2025-05-21", 2, 12, 0),
        ("date_from=2025-05-22", 0, 0, 1),
        ("review_status=submitted", 0, 0, 1),
        ("review_status=approved", 3, 15, 0),
        ("review_status=draft", 0, 0, 0),
        # An invalid date is shown on the form and ignored, as the list ignores it.
        ("date_from=2025-13-45", 3, 15, 1),
    ],
)
def test_the_line_follows_the_facts_filters(
    client, approved, bureau_admin, query, count, instruments, pending
):
    client.force_login(bureau_admin)

    response = client.get(f"{LIST}?{query}")

    assert (figures(response)["count"], figures(response)["instruments"], figures(response)["pending"]) == (
        count,
        instruments,
        pending,
    )
    assert figures(response) == recount(response.context["view"].object_list)


def test_the_unit_filter_and_the_campaign_filter_narrow_the_facts(client, approved, bureau_admin, campaign):
    client.force_login(bureau_admin)
    unit_b = approved[2].unit

    by_unit = client.get(f"{LIST}?unit={unit_b.pk}")
    by_campaign = client.get(f"{LIST}?campaign={campaign.pk}")

    assert (figures(by_unit)["count"], figures(by_unit)["instruments"], figures(by_unit)["trainees"]) == (
        1,
        7,
        2,
    )
    assert figures(by_campaign) == recount(selectors.visit_list_for_user(user=bureau_admin))


@pytest.mark.parametrize("query", ["q=张伟", "visit_type=survey", "programme=sme_service"])
def test_filters_the_facts_do_not_hold_count_the_records(client, approved, bureau_admin, query):
    """A search or a visit's own field is not a fact's key: the line counts the records it lists."""
    Fact.objects.filter(record_type=LABEL).update(value=Decimal(1000))
    client.force_login(bureau_admin)

    response = client.get(f"{LIST}?{query}")

    assert figures(response) == recount(response.context["view"].object_list)
    assert figures(response)["instruments"] < 1000


def test_a_cooperator_scope_counts_the_records(client, approved, testing_unit, office_a, bureau_admin):
    """A 协办单位 sees the visits it supported, not a unit's: the facts (by unit) cannot answer it."""
    lab = UserFactory(username="lab", unit=testing_unit, roles=[Role.COOPERATOR])
    supported = approve(
        EnterpriseVisitFactory(
            unit=office_a.unit, created_by=office_a, technical_partner=testing_unit, instruments_serviced=2
        ),
        office_a,
        bureau_admin,
    )
    client.force_login(lab)

    response = client.get(LIST)

    assert list(response.context["paginator"].object_list) == [supported]
    assert (figures(response)["count"], figures(response)["instruments"]) == (1, 2)


def test_an_office_filtering_another_unit_sees_no_figures(client, approved, office_a):
    """The unit filter is not offered to an office; typed into the address it does not widen its scope."""
    client.force_login(office_a)

    response = client.get(f"{LIST}?unit={approved[2].unit.pk}")

    assert figures(response)["count"] == 2  # the office's own visits: the filter is not its to use
    assert figures(response)["instruments"] == 8


@pytest.mark.parametrize("size", [1, 6])
def test_the_line_costs_the_same_queries_whatever_the_number_of_visits(
    client, django_assert_num_queries, campaign, office_a, bureau_admin, size
):
    for n in range(size):
        approve(
            EnterpriseVisitFactory(unit=office_a.unit, created_by=office_a, instruments_serviced=n),
            office_a,
            bureau_admin,
        )
    visits = selectors.visit_list_for_user(user=bureau_admin)
    filterset = VisitFilterSet({}, queryset=visits, request=None)

    # 1 the facts, 2 the pending count, 3 the problems of the approved visits.
    with django_assert_num_queries(3):
        totals = selectors.visit_totals(filterset.qs, facts=list_facts(filterset, user=bureau_admin))

    assert (totals["count"], totals["instruments"]) == (size, sum(range(size)))
