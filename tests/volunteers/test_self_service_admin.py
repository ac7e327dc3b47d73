"""The admin pages of volunteers' acts and links, and of station reach: scoped, a fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from microstations.models import StationReach
from tests.microstations.factories import MicroStationFactory, VolunteerFactory
from volunteers import services
from volunteers.models import VolunteerAct

pytestmark = pytest.mark.django_db


def make_acts(volunteer, office, count: int) -> None:
    for number in range(count):
        VolunteerAct.objects.create(
            volunteer=volunteer,
            unit=volunteer.station.supervising_unit,
            campaign=volunteer.campaign,
            created_by=office,
            date=dt.date(2025, 5, 20),
            place=f"社区{number}",
            description="宣传",
            people_reached=10,
            hours="1.0",
        )


@pytest.mark.parametrize("size", [1, 8])
def test_act_changelist_runs_a_fixed_number_of_queries(
    client, bureau_admin, office_a, station_a, size, django_assert_num_queries
):
    volunteer = VolunteerFactory(station=station_a)
    make_acts(volunteer, office_a, size)
    client.force_login(bureau_admin)
    # session, user, permissions (x2), the campaign and unit filters' choices, the count (x2: filtered
    # and full), the page of rows with volunteer and unit joined, the date hierarchy's bounds and the
    # approve action's checks: 12 whatever the number of rows
    with django_assert_num_queries(12):
        response = client.get(reverse("admin:volunteers_volunteeract_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count("社区") >= size


def test_office_sees_only_its_units_links_and_reach_in_the_admin(
    client, office_a, unit_b, station_a, campaign_clock
):
    volunteer = VolunteerFactory(station=station_a, name="甲地宣传员")
    services.volunteer_link_issue(actor=office_a, volunteer=volunteer)
    other = MicroStationFactory(opened=True, supervising_unit=unit_b, name="乙地微站")
    StationReach.objects.create(station=station_a, day=dt.date(2025, 5, 20), views=3)
    StationReach.objects.create(station=other, day=dt.date(2025, 5, 20), views=5)
    office_a.is_staff = True
    office_a.save(update_fields=["is_staff"])
    client.force_login(office_a)
    reach = client.get(reverse("admin:microstations_stationreach_changelist")).content.decode()
    assert station_a.name in reach
    assert "乙地微站" not in reach
    links = client.get(reverse("admin:volunteers_volunteerlink_changelist")).content.decode()
    assert "甲地宣传员" in links
