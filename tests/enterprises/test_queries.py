"""Query budgets of every enterprise list page, API list and admin changelist: the same at 2 and 12 rows."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from enterprises import services
from enterprises.models import Enterprise, EnterpriseVisit
from records.facts import facts_rebuild
from records.models import ReviewStatus
from tests.enterprises.factories import (
    EnterpriseFactory,
    EnterpriseVisitFactory,
    MetrologyProblemFactory,
    PartnershipFactory,
)

SIZES = [2, 12]


@pytest.fixture
def populate(campaign, office_a, office_b, testing_unit):
    """Per size: `size` enterprises; in each unit `size` approved visits, each with a raised and an
    assigned problem; and `size` pairings of a large enterprise with two partners."""

    def _populate(size: int) -> None:
        for _ in range(size):
            enterprise = EnterpriseFactory()
            for office in (office_a, office_b):
                visit = EnterpriseVisitFactory(
                    enterprise=enterprise,
                    unit=office.unit,
                    created_by=office,
                    technical_partner=testing_unit,
                    review_status=ReviewStatus.APPROVED,
                )
                MetrologyProblemFactory(visit=visit)
                assigned = MetrologyProblemFactory(visit=visit)
                services.problem_assign(actor=office, problem=assigned, assigned_unit=testing_unit)
            PartnershipFactory(
                lead=EnterpriseFactory(size=Enterprise.Size.LARGE), partners=EnterpriseFactory.create_batch(2)
            )
        # The factory approves without the review service: recount the figures it bypassed.
        facts_rebuild(campaign)

    return _populate


# --- workbench pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("actor", ["office_a", "leader"])
def test_enterprise_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, request, populate, actor, size
):
    populate(size)
    user = request.getfixturevalue(actor)
    client.force_login(user)

    # 1 session, 2 user, 3-4 user and group permissions (view_enterprise; the scoped visit count reads
    # them cached), 5 page count, 6 the user's groups (role context processor), for the office 7 its
    # unit (header), and last the page of enterprises, each with its visible visit count as a subquery.
    with django_assert_num_queries(8 if actor == "office_a" else 7):
        response = client.get("/workbench/enterprises/")

    assert response.context["paginator"].count == 4 * size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("actor", ["office_a", "bureau_admin"])
def test_visit_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, request, populate, actor, size
):
    populate(size)
    client.force_login(request.getfixturevalue(actor))

    # 1 session, 2 user, 3-4 user and group permissions, 5 page count, 6 the figures of the visits
    # (approved) from the precomputed facts, 7 the pending count, 8 the problems of the approved
    # visits, 9 current campaign, 10 targets of the enterprise metrics, 11 the user's groups, 12 the
    # user's unit (header), then the filter choices: 13 campaigns, for the bureau 14 units, 15 伙伴计划
    # leads; and last the page of visits (enterprise, unit, technical partner and author joined; each
    # row's problem counts as subqueries).
    with django_assert_num_queries(15 if actor == "office_a" else 16):
        response = client.get("/workbench/enterprises/visits/")

    per_unit = 1 if actor == "office_a" else 2
    assert response.context["totals"]["count"] == per_unit * size
    assert response.context["totals"]["problems"] == 2 * per_unit * size


@pytest.mark.parametrize("size", SIZES)
def test_visit_page_runs_the_same_queries_whatever_the_number_of_problems(
    client, django_assert_num_queries, office_a, visit_a, testing_unit, size
):
    for _ in range(size):
        MetrologyProblemFactory(visit=visit_a)
        assigned = MetrologyProblemFactory(visit=visit_a)
        services.problem_assign(actor=office_a, problem=assigned, assigned_unit=testing_unit)
    client.force_login(office_a)
    # The review log finds its content type through Django's process-wide cache: fill it, so that the
    # count does not depend on which test ran first.
    ContentType.objects.get_for_model(EnterpriseVisit)

    # 1 session, 2 user, 3-4 user and group permissions, 5 the visit (enterprise, unit, campaign,
    # partners and people joined), 6 its review log, 7 its problems with everyone who handled them,
    # 8 the assignable units (read once for every open ticket), 9 the user's groups, 10 the user's unit
    # (header), 11 its photos.
    with django_assert_num_queries(11):
        response = client.get(f"/workbench/enterprises/visits/{visit_a.pk}/")

    assert len(response.context["problems"]) == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_enterprise_page_runs_the_same_queries_whatever_its_visits_and_pairings(
    client, django_assert_num_queries, office_a, enterprise, size
):
    for _ in range(size):
        EnterpriseVisitFactory(enterprise=enterprise, unit=office_a.unit, created_by=office_a)
        PartnershipFactory(
            lead=EnterpriseFactory(size=Enterprise.Size.LARGE), partners=[enterprise, EnterpriseFactory()]
        )
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 user and group permissions, 5 the enterprise, 6 its pairings (lead and
    # campaign joined), 7 their partners, 8 the user's groups, 9 the user's unit (header), 10 its latest
    # visits in the user's scope (unit joined, problem counts annotated), 11 its 诚信计量 entries and
    # 12 its commitments in the user's scope (enterprises.selectors.integrity_of).
    with django_assert_num_queries(12):
        response = client.get(f"/workbench/enterprises/{enterprise.pk}/")

    assert len(response.context["partnerships"]) == size


# --- API lists ---------------------------------------------------------------------------------------

API_QUERIES = {
    # 1 session, 2 user, 3 count, 4 page (the registry is not scoped: no permission query).
    "/api/v1/enterprises/": 4,
    # 1 session, 2 user, 3-4 user and group permissions (scoping), 5 count, 6 page (enterprise, unit,
    # partner and author joined; problem counts annotated).
    "/api/v1/enterprise-visits/": 6,
    # 1 session, 2 user, 3-4 user and group permissions (scoping), 5 count, 6 page (visit and its
    # enterprise joined).
    "/api/v1/enterprise-problems/": 6,
    # 1 session, 2 user, 3-4 user and group permissions (the view permission, now that the API
    # writes partnerships), 5 count, 6 page (lead and campaign joined), 7 their partners.
    "/api/v1/partnerships/": 7,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", list(API_QUERIES))
@pytest.mark.parametrize("actor", ["office_a", "leader"])
def test_api_lists_run_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, request, populate, actor, url, size
):
    populate(size)
    api_client.force_login(request.getfixturevalue(actor))

    with django_assert_num_queries(API_QUERIES[url]):
        response = api_client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= size


# --- admin changelists -------------------------------------------------------------------------------

# Every changelist: 1 session, 2 user, 3-4 user and group permissions, then as listed, with the user's
# groups (role context processor) while the page renders.
ADMIN_QUERIES = {
    # 5 filtered count, 6 total count, 7 the page, 8 groups, 9-10 the township and region filter choices
    # (read from the rows; the registration authority's are fixed choices).
    "/admin/enterprises/enterprise/": 10,
    # 5 campaign filter choices, 6 unit filter choices (units that logged visits), 7 filtered count,
    # 8 total count, 9 the page (enterprise and unit joined), 10 groups, 11-12 the date hierarchy's
    # range and days.
    "/admin/enterprises/enterprisevisit/": 12,
    # 5 unit filter choices (units whose visits raised problems), 6 filtered count, 7 total count,
    # 8 the page (visit, its enterprise and unit joined), 9 groups.
    "/admin/enterprises/metrologyproblem/": 9,
    # 5 campaign filter choices, 6 filtered count, 7 total count, 8 the page (lead and campaign joined,
    # partners counted in the same query), 9 groups.
    "/admin/enterprises/partnership/": 9,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", list(ADMIN_QUERIES))
def test_admin_changelists_run_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, url, size
):
    populate(size)
    client.force_login(bureau_admin)

    with django_assert_num_queries(ADMIN_QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= size
