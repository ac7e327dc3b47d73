"""Query budgets of the micro-station lists, API lists and admin changelists: the same at 2 and 12 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Target
from evidence.processing import process_upload
from evidence.services import photos_attach
from microstations.models import MicroStation
from records.facts import facts_rebuild
from records.models import ReviewStatus
from tests.evidence.images import jpeg, upload
from tests.factories import CampaignFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory

SIZES = [2, 12]


@pytest.fixture
def populate(campaign, unit_a, unit_b, bureau_admin):
    """`size` opened stations in each of the two units, each with one activity (with a photo) and a volunteer."""
    Target.objects.create(campaign=campaign, metric="microstations.stations_opened", label="微站", goal=9)
    Target.objects.create(campaign=campaign, metric="volunteers.recruited", label="宣传员", goal=9)
    photo = jpeg((64, 48))

    def _populate(size: int) -> None:
        for unit in (unit_a, unit_b):
            for _ in range(size):
                station = MicroStationFactory(supervising_unit=unit, host_unit=unit, opened=True)
                # Approved: the station list counts approved activities only.
                activity = StationActivityFactory(station=station, review_status=ReviewStatus.APPROVED)
                VolunteerFactory(station=station)
                photos_attach(
                    actor=bureau_admin, record=activity, photos=[process_upload(upload("a.jpg", photo))]
                )
        # The factory approves without the review service: recount the figures the lists read.
        facts_rebuild(campaign)

    return _populate


@pytest.mark.parametrize("size", SIZES)
def test_office_station_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 user and group permissions, 5 page count, 6 current campaign (targets
    # and map), 7 the campaign's targets, 8 opened stations counted, 9 active volunteers counted,
    # 10 the user's groups (role context processor), 11 the user's unit (header), 12 the year
    # filter's campaigns, 13 the page of stations (supervising and host units and campaign joined;
    # approved and pending activities and active volunteers counted by subqueries, no join),
    # 14-17 the map's layers (the user's stations with coordinates; approved inspections and SME
    # visits grouped by place; located 公平秤, microstations.map_layers).
    with django_assert_num_queries(17):
        response = client.get("/workbench/microstations/stations/")

    assert len(response.context["stations"]) == size
    assert response.context["stations"][0].activity_count == 1


@pytest.mark.parametrize("size", SIZES)
def test_leader_station_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, populate, size
):
    populate(size)
    client.force_login(leader)

    # As for an office, without the unit in the header: 1 session, 2 user, 3-4 permissions,
    # 5 page count, 6 current campaign, 7 targets, 8-9 the two counted actuals, 10 groups,
    # 11 the year filter's campaigns, 12 page, 13-16 the map's four layers.
    with django_assert_num_queries(16):
        response = client.get("/workbench/microstations/stations/")

    assert len(response.context["stations"]) == min(2 * size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_a_years_station_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, populate, campaign, size
):
    """Next year's activities at last year's stations: the list of either year is as cheap."""
    populate(size)
    next_year = CampaignFactory(year=2026, start_date=dt.date(2026, 4, 25), end_date=dt.date(2026, 6, 30))
    for station in MicroStation.objects.all():
        StationActivityFactory.create_batch(
            2,
            station=station,
            date=dt.date(2026, 5, 18),
            campaign=next_year,
            review_status=ReviewStatus.APPROVED,
        )
    facts_rebuild(next_year)
    client.force_login(office_a)

    # As with no year chosen, the chosen campaign standing for the current one: 1 session, 2 user,
    # 3-4 permissions, 5 the chosen campaign (the filter's lookup), 6 page count, 7 its targets (2026
    # has none, so no actual is counted), 8 groups, 9 unit, 10 the filter's campaigns, 11 page,
    # 12-15 the map's layers.
    with django_assert_num_queries(15):
        response = client.get("/workbench/microstations/stations/", {"campaign": next_year.pk})

    assert len(response.context["stations"]) == size
    assert {s.activity_count for s in response.context["stations"]} == {2}


@pytest.mark.parametrize("size", SIZES)
def test_office_activity_list_with_thumbnails_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 permissions, 5 page count, 6 the page of activities (station, unit and
    # creator joined), 7 the page's photos (all thumbnails in one query), 8 the totals from the
    # precomputed facts and 9 the pending count, 10 the user's groups, 11 the user's unit (header),
    # 12 campaign choices and 13 station choices (filter form; an office has no unit choice).
    with django_assert_num_queries(13):
        response = client.get("/workbench/microstations/activities/")

    activities = response.context["activities"]
    assert len(activities) == size
    assert all(len(activity.thumbs) == 1 for activity in activities)
    html = response.content.decode()
    assert all(reverse("evidence:thumbnail", args=[a.thumbs[0].pk]) in html for a in activities)


@pytest.mark.parametrize("size", SIZES)
def test_leader_activity_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, populate, size
):
    populate(size)
    client.force_login(leader)

    # 1 session, 2 user, 3-4 permissions, 5 page count, 6 page of activities, 7 their photos,
    # 8 totals from the facts, 9 pending count, 10 groups, 11 campaign, 12 unit and 13 station choices.
    with django_assert_num_queries(13):
        response = client.get("/workbench/microstations/activities/")

    assert response.context["totals"]["count"] == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_station_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    api_client.force_login(office_a)

    # 1 session, 2 user, 3-4 permissions (scoping), 5 count, 6 the page of stations (supervising unit joined).
    with django_assert_num_queries(6):
        response = api_client.get("/api/v1/stations/")

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", SIZES)
def test_station_activity_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, leader, populate, size
):
    populate(size)
    api_client.force_login(leader)

    # 1 session, 2 user, 3-4 permissions (scoping, model permission), 5 count,
    # 6 the page of activities (station, unit and creator joined).
    with django_assert_num_queries(6):
        response = api_client.get("/api/v1/station-activities/")

    assert response.json()["count"] == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_micro_station_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign filter choices, 6 supervising-unit filter choices,
    # 7 filtered count, 8 total count, 9 the page of stations (supervising unit and campaign joined),
    # 10 the user's groups, 11 township filter values.
    with django_assert_num_queries(11):
        response = client.get("/admin/microstations/microstation/")

    assert response.context["cl"].result_count == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_station_activity_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign filter choices, 6 unit filter choices,
    # 7 filtered count, 8 total count, 9 the page of activities (station and unit joined),
    # 10 the user's groups, 11 date range and 12 dates of the date hierarchy.
    with django_assert_num_queries(12):
        response = client.get("/admin/microstations/stationactivity/")

    assert response.context["cl"].result_count == 2 * size
