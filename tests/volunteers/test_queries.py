"""Query budgets of the volunteer list, API list and admin changelist: the same at 2 and 12 rows."""

from __future__ import annotations

import pytest

from tests.microstations.factories import MicroStationFactory, VolunteerFactory

SIZES = [2, 12]


@pytest.fixture
def populate(campaign, unit_a, unit_b):
    """`size` stations in each unit, each with an adult volunteer and a 小小宣传员."""

    def _populate(size: int) -> None:
        for unit in (unit_a, unit_b):
            for _ in range(size):
                station = MicroStationFactory(supervising_unit=unit, opened=True)
                VolunteerFactory(station=station)
                VolunteerFactory(station=station, junior=True)

    return _populate


@pytest.mark.parametrize("size", SIZES)
def test_office_volunteer_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 permissions, 5 current campaign, 6 page count, 7 the page of volunteers
    # (station and its unit joined; phones masked in Python), 8 counts by kind, 9 the user's groups,
    # 10 the user's unit (header), 11 station choices (filter form).
    with django_assert_num_queries(11):
        response = client.get("/workbench/volunteers/")

    assert len(response.context["volunteers"]) == min(2 * size, 20)
    assert "****" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_bureau_admin_volunteer_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # As for an office (whole phones need no extra query): 1 session, 2 user, 3-4 permissions,
    # 5 campaign, 6 count, 7 page, 8 counts by kind, 9 groups, 10 unit, 11 station choices.
    with django_assert_num_queries(11):
        response = client.get("/workbench/volunteers/")

    assert response.context["counts"]["juniors"] == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_volunteer_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    api_client.force_login(office_a)

    # 1 session, 2 user, 3-4 permissions (scoping, then cached for every masked phone), 5 count,
    # 6 the page of volunteers (station and its unit joined).
    with django_assert_num_queries(6):
        response = api_client.get("/api/v1/volunteers/")

    assert response.json()["count"] == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_volunteer_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign filter choices, 6 supervising-unit filter choices,
    # 7 station filter choices, 8 filtered count, 9 total count, 10 the page of volunteers (station
    # joined), 11 the user's groups.
    with django_assert_num_queries(11):
        response = client.get("/admin/volunteers/volunteer/")

    assert response.context["cl"].result_count == 4 * size
