"""The vendored outline of 巫山县 (static/vendor/geo/wushan.geo.json, see its README): valid GeoJSON
holding the county, in a box around Wushan, with every demo station and demo 公平秤 inside it; and
the map's data points the browser at it through the static files."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from demo.instruments import DEMO_LINES
from demo.microstations import seed_stations
from demo.organizations import seed_accounts, seed_units
from tests.microstations.factories import MicroStationFactory, campaign_2025

OUTLINE = "vendor/geo/wushan.geo.json"


def outline() -> dict[str, Any]:
    path = finders.find(OUTLINE)
    assert path, f"{OUTLINE} is not among the static files"
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    assert geometry["type"] == "MultiPolygon"
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def bounding_box() -> tuple[float, float, float, float]:
    (feature,) = outline()["features"]
    points = [point for ring in rings(feature["geometry"]) for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def inside(lon: Decimal | float, lat: Decimal | float) -> bool:
    west, south, east, north = bounding_box()
    return west <= float(lon) <= east and south <= float(lat) <= north


def test_the_outline_is_geojson_of_wushan_county() -> None:
    data = outline()
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["type"] == "Feature"
    assert feature["properties"] == {"name": "巫山县", "adcode": "500237"}
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    for ring in rings(feature["geometry"]):
        # RFC 7946: a linear ring has four or more positions, the first and last the same.
        assert len(ring) >= 4
        assert ring[0] == ring[-1]
        assert all(len(position) == 2 and all(isinstance(c, float) for c in position) for position in ring)
    west, south, east, north = bounding_box()
    # The county lies about 109.5-110.2 E, 30.7-31.5 N; its seat (巫峡镇) inside.
    assert 109.4 < west < 109.7
    assert 110.1 < east < 110.3
    assert 30.6 < south < 30.9
    assert 31.4 < north < 31.6
    assert inside(109.88, 31.08)
    assert not inside(106.55, 29.56)  # 重庆 city centre


@pytest.mark.django_db
def test_every_demo_station_lies_within_the_outline() -> None:
    units = seed_units()
    admin = seed_accounts(units, "demo-password-for-tests")["demo_admin"]
    stations = seed_stations(campaign_2025(), units, admin)
    assert len(stations) == 9
    assert [s.name for s in stations if not inside(s.longitude, s.latitude)] == []


def test_every_demo_fair_scale_lies_within_the_outline() -> None:
    placed = [(line[5], line[7]) for line in DEMO_LINES if line[7] is not None]
    assert placed
    assert [name for name, (lon, lat) in placed if not inside(Decimal(lon), Decimal(lat))] == []


@pytest.mark.django_db
def test_the_map_data_points_at_the_outline(client, office_a) -> None:
    campaign = campaign_2025()
    MicroStationFactory(
        campaign=campaign,
        supervising_unit=office_a.unit,
        longitude=Decimal("109.878900"),
        latitude=Decimal("31.074800"),
    )
    client.force_login(office_a)
    response = client.get(reverse("microstations:station_list"))
    assert response.status_code == 200
    embedded = re.search(
        r'<script id="station-map-data"[^>]*>(.*?)</script>', response.content.decode(), re.S
    )
    assert embedded
    data = json.loads(embedded.group(1))
    assert data["outline"] == {"name": "巫山县", "url": "/static/vendor/geo/wushan.geo.json"}
    served = client.get(data["outline"]["url"])
    assert served.status_code == 200
    assert served["Content-Type"].startswith("application/json")
    assert json.loads(b"".join(served.streaming_content))["features"][0]["properties"]["name"] == "巫山县"
