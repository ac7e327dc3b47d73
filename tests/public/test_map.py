"""The stations' map points: the viewer's stations with coordinates only, each linking to its page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from microstations.selectors import station_map_points
from tests.microstations.factories import MicroStationFactory

pytestmark = pytest.mark.django_db


def test_points_are_the_viewers_stations_with_coordinates(
    office_a, leader, unit_a, unit_b, django_assert_num_queries
):
    mine = MicroStationFactory(
        supervising_unit=unit_a, longitude=Decimal("109.88"), latitude=Decimal("31.07")
    )
    MicroStationFactory(supervising_unit=unit_a)  # no coordinates: not drawn
    theirs = MicroStationFactory(
        supervising_unit=unit_b, longitude=Decimal("109.86"), latitude=Decimal("31.06")
    )
    office_a.has_perm("organizations.view_all_units")  # a request has its permissions loaded already
    # the stations with coordinates in scope
    with django_assert_num_queries(1):
        points = station_map_points(user=office_a, campaign=mine.campaign)
    assert points == [
        {
            "name": mine.name,
            "stage": "planned",
            "stage_label": "规划",
            "lon": 109.88,
            "lat": 31.07,
            "url": mine.get_absolute_url(),
        }
    ]
    assert {p["name"] for p in station_map_points(user=leader, campaign=mine.campaign)} == {
        mine.name,
        theirs.name,
    }
    assert station_map_points(user=office_a, campaign=None) == []
