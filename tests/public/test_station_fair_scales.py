"""The nearest registered 公平秤 on a station's public page (/s/<plaque>/): the three nearest confirmed
公平秤 in use, nearest first, each with its market's name, its place and its distance from the station,
linking to the scale's own public page; only their public fields; the typed place (fair_scale_location)
when none is registered near a located station, and a general hint when neither is known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from instruments.models import EntryStatus, RegisteredInstrument
from microstations.models import MicroStation
from tests.html import parse, text_of, texts
from tests.inspections.factories import EnterpriseFactory
from tests.instruments.factories import RegisteredInstrumentFactory

# On the campaign clock (20 May 2025) the factory's scales are in date (valid until 19 April 2026).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("campaign_clock")]

# The station stands at (109.878, 31.074); every scale due north of it on the same meridian, so that
# 0.001° of latitude is 6371 km × π/180 × 0.001 = 111.2 m.
LON, LAT = Decimal("109.878000"), Decimal("31.074000")


def page(station: MicroStation) -> str:
    return reverse("public:station", args=[station.plaque_no])


@pytest.fixture
def located(station: MicroStation) -> MicroStation:
    MicroStation.objects.filter(pk=station.pk).update(longitude=LON, latitude=LAT)
    station.refresh_from_db()
    return station


def fair_scale(market, *, lat: str, place: str, unit, **extra) -> RegisteredInstrument:
    return RegisteredInstrumentFactory(
        unit=unit,
        owner=market,
        host_market=market,
        kind=RegisteredInstrument.Kind.FAIR_SCALE,
        name="公平秤",
        location=place,
        longitude=LON,
        latitude=Decimal(lat),
        **extra,
    )


@pytest.fixture
def markets(db):
    return (
        EnterpriseFactory(name="巫山县平湖市场", longitude=LON, latitude=LAT),
        EnterpriseFactory(name="巫山县神女市场", longitude=LON, latitude=LAT),
    )


def test_the_three_nearest_fair_scales_are_shown_nearest_first_with_place_and_distance(
    client, located, markets, unit_a
):
    pinghu, shennv = markets
    far = fair_scale(pinghu, lat="31.174000", place="北区服务台", unit=unit_a)  # 11.1 km: fourth
    near = fair_scale(pinghu, lat="31.075000", place="东门服务台", unit=unit_a)  # 111 m
    middle = fair_scale(shennv, lat="31.094000", place="水产区入口", unit=unit_a)  # 0.02°: 2.2 km
    third = fair_scale(shennv, lat="31.124000", place="二楼肉类区", unit=unit_a)  # 0.05°: 5.6 km

    response = client.get(page(located))

    items = texts(response, "[data-testid=nearby-scales] li")
    assert items == [
        "巫山县平湖市场 · 东门服务台 距本微站约 111 米",
        "巫山县神女市场 · 水产区入口 距本微站约 2.2 公里",
        "巫山县神女市场 · 二楼肉类区 距本微站约 5.6 公里",
    ]
    links = [a.get("href") for a in parse(response).cssselect("[data-testid=nearby-scales] a")]
    assert links == [reverse("public_instruments:instrument", args=[s.code]) for s in (near, middle, third)]
    assert far.location not in response.content.decode()
    # The registered scales replace the place typed on the station.
    assert not parse(response).cssselect("[data-testid=fair-scale]")
    assert "平湖市场东门服务台旁" not in response.content.decode()


def test_only_the_scales_public_fields_are_shown(client, located, markets, unit_a, office_a):
    fair_scale(
        markets[0],
        lat="31.075000",
        place="东门服务台",
        unit=unit_a,
        created_by=office_a,
        serial_no="GP-SECRET-01",
        certificate_no="JD-SECRET-02",
        note="内部备注：秤台待更换",
    )
    body = client.get(page(located)).content.decode()
    assert "东门服务台" in body
    for private in ("GP-SECRET-01", "JD-SECRET-02", "内部备注", unit_a.name, office_a.name):
        assert private not in body


def test_a_scale_out_of_date_is_not_offered_and_the_next_one_is(client, located, markets, unit_a):
    """The buyer is sent to re-weigh on a scale that is itself verified: overdue, failed or never
    verified ones stay off the list (the map shows them by status)."""
    pinghu, shennv = markets
    fair_scale(pinghu, lat="31.075000", place="超期服务台", unit=unit_a, valid_until=dt.date(2025, 5, 1))
    fair_scale(pinghu, lat="31.076000", place="不合格服务台", unit=unit_a, result="failed")
    fair_scale(pinghu, lat="31.077000", place="未检定服务台", unit=unit_a, verified_on=None, valid_until=None)
    fair_scale(shennv, lat="31.094000", place="水产区入口", unit=unit_a)

    response = client.get(page(located))

    assert texts(response, "[data-testid=nearby-scales] li") == [
        "巫山县神女市场 · 水产区入口 距本微站约 2.2 公里"
    ]


def test_unconfirmed_or_retired_scales_are_not_offered(client, located, markets, unit_a):
    fair_scale(
        markets[0], lat="31.075000", place="待确认服务台", unit=unit_a, entry_status=EntryStatus.PENDING
    )
    fair_scale(markets[0], lat="31.075000", place="已停用服务台", unit=unit_a, in_use=False)

    response = client.get(page(located))

    assert not parse(response).cssselect("[data-testid=nearby-scales]")
    assert text_of(response, "[data-testid=fair-scale]") == "平湖市场东门服务台旁"


def test_a_station_without_coordinates_shows_the_typed_place(client, station, markets, unit_a):
    fair_scale(markets[0], lat="31.075000", place="东门服务台", unit=unit_a)
    response = client.get(page(station))
    assert not parse(response).cssselect("[data-testid=nearby-scales]")
    assert text_of(response, "[data-testid=fair-scale]") == "平湖市场东门服务台旁"


def test_with_neither_a_registered_scale_nor_a_typed_place_the_page_gives_a_hint(client, located):
    MicroStation.objects.filter(pk=located.pk).update(fair_scale_location="")
    text = text_of(client.get(page(located)), "section.fair-scale")
    assert "本微站附近的公平秤位置暂未登记" in text


@pytest.mark.parametrize("scales", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    client, located, markets, unit_a, scales, django_assert_num_queries
):
    for number in range(scales):
        fair_scale(markets[number % 2], lat=f"31.{100 + number}", place=f"服务台{number}", unit=unit_a)
    # 1 the station, 2 today's reach counter (update), 3-5 the first hit's insert in its savepoint,
    # 6 the located 公平秤 with their markets (joined)
    with django_assert_num_queries(6):
        response = client.get(page(located))
    assert len(texts(response, "[data-testid=nearby-scales] li")) == min(scales, 3)
