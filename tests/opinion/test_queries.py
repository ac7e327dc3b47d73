"""Query budgets of the 舆情 list page, its API lists and admin changelists: the same at 2 and 12
incidents per unit."""

from __future__ import annotations

import datetime as dt

import pytest

from organizations.roles import Role
from tests.factories import add_role
from tests.opinion.factories import OpinionIncidentFactory, level

SIZES = [2, 12]


@pytest.fixture
def populate(campaign, unit_a, unit_b):
    """`size` incidents at two levels in each of the two units."""

    def _populate(size: int) -> None:
        for unit in (unit_a, unit_b):
            for n in range(size):
                OpinionIncidentFactory(
                    handling_unit=unit,
                    level=level("major" if n % 2 else "general"),
                    discovered_at=dt.datetime(2025, 5, 20, 23, 30, tzinfo=dt.UTC) - dt.timedelta(hours=n),
                )

    return _populate


# 1 session, 2 user, 3-4 user and group permissions (the view's permission and scoping), then:
# 5 page count, 6 page of incidents (level and handling unit joined, deadlines computed), 7 counts
# aggregate, 8 groups (role context processor), then the filter's choices: 9 campaigns, 10 levels,
# and 11 handling units for the leader (an office has no unit filter, but its unit in the header).
PAGE_QUERIES = {"leader": 11, "office_a": 11}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_the_incident_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, request, populate, actor, size
):
    populate(size)
    client.force_login(request.getfixturevalue(actor))

    with django_assert_num_queries(PAGE_QUERIES[actor]):
        response = client.get("/workbench/publicity/incidents/")

    assert response.status_code == 200


# Every API list: 1 session, 2 user, 3-4 user and group permissions, 5 count, then as listed.
API_QUERIES = {
    # 6 page (level and handling unit joined, deadlines computed).
    "/api/v1/opinion-incidents/": 6,
    # 6 page of levels.
    "/api/v1/opinion-levels/": 6,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", list(API_QUERIES))
@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_every_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, request, populate, actor, url, size
):
    populate(size)
    api_client.force_login(request.getfixturevalue(actor))

    with django_assert_num_queries(API_QUERIES[url]):
        response = api_client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= min(size, 4)


# Every changelist: 1 session, 2 user, 3-4 user and group permissions, then as listed; the user's
# groups (role context processor) after the page, then the date hierarchy's range and its dates.
ADMIN_QUERIES = {
    # 5 count, 6 unfiltered count, 7 page, 8 groups.
    "/admin/opinion/opinionlevel/": 8,
    # 5 level and 6 unit choices (filters), 7 count, 8 unfiltered count, 9 page (level and unit
    # joined), 10 groups, 11-12 date hierarchy.
    "/admin/opinion/opinionincident/": 12,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", list(ADMIN_QUERIES))
def test_every_admin_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, url, size
):
    populate(size)
    client.force_login(bureau_admin)

    with django_assert_num_queries(ADMIN_QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= min(size, 4)


def test_an_office_clerk_with_admin_access_sees_only_their_units_incidents(
    client, office_a, populate, unit_a
):
    populate(2)
    office_a.is_staff = True
    office_a.save(update_fields=["is_staff"])
    add_role(office_a, Role.OFFICE)
    client.force_login(office_a)

    rows = client.get("/admin/opinion/opinionincident/").context["cl"].result_list

    assert rows
    assert {row.handling_unit_id for row in rows} == {unit_a.pk}
