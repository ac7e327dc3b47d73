"""The map in Chromium at phone size: the outline of 巫山县 (the vendored static/vendor/geo) is drawn
under the points; the office's stations with coordinates are drawn as points by stage (others' and
those without coordinates are not), beside its approved inspections by result, its SME visits and its
公平秤 by verification status; the layer boxes hide and show a layer; clicking a point opens it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from instruments.models import RegisteredInstrument
from microstations.models import MicroStation
from organizations.models import User
from organizations.roles import Role
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory, InspectionFactory
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import MicroStationFactory, campaign_2025


@pytest.fixture
def stations(transactional_db: None) -> dict[str, MicroStation]:
    campaign_2025()
    gaotang, other = UnitFactory(name="高唐市场监管所"), UnitFactory(name="龙门市场监管所")
    clerk = UserFactory(username="gaotang", unit=gaotang, roles=[Role.OFFICE])
    layer_records(gaotang, clerk)

    def station(name: str, unit: Any, lon: str | None, lat: str | None, **extra: Any) -> MicroStation:
        return MicroStationFactory(
            name=name,
            supervising_unit=unit,
            longitude=Decimal(lon) if lon else None,
            latitude=Decimal(lat) if lat else None,
            **extra,
        )

    return {
        "opened": station(
            "民生计量科普宣传服务微站（高唐营业厅）", gaotang, "109.878900", "31.074800", opened=True
        ),
        "planned": station("民生计量科普宣传服务微站（平湖市场）", gaotang, "109.890000", "31.080000"),
        "no coordinates": station("民生计量科普宣传服务微站（南陵社区）", gaotang, None, None),
        "other unit": station("民生计量科普宣传服务微站（龙门加油站）", other, "109.860000", "31.060000"),
    }


def layer_records(unit: Any, clerk: User) -> None:
    """An approved inspection that found nothing, one that filed a case, and an SME visit, each at a
    placed enterprise; a draft inspection, which the map leaves out; and a valid 公平秤 in the market."""
    market = EnterpriseFactory(
        name="巫山县平湖市场", longitude=Decimal("109.885000"), latitude=Decimal("31.078000")
    )
    gas = EnterpriseFactory(
        name="巫山县高唐加油站", longitude=Decimal("109.872000"), latitude=Decimal("31.071000")
    )
    approved = {"unit": unit, "created_by": clerk, "review_status": ReviewStatus.APPROVED}
    InspectionFactory(inspected_party=market, **approved)
    InspectionFactory(
        inspected_party=gas,
        problems_found=1,
        case_no="巫市监立〔2025〕3号",
        follow_up_status="case_filed",
        **approved,
    )
    InspectionFactory(inspected_party=market, unit=unit, created_by=clerk)
    EnterpriseVisitFactory(enterprise=gas, **approved)
    RegisteredInstrumentFactory(
        unit=unit,
        created_by=clerk,
        owner=market,
        host_market=market,
        kind=RegisteredInstrument.Kind.FAIR_SCALE,
        name="公平秤",
        location="东门服务台",
        valid_until=dt.date(2099, 12, 31),  # valid whatever day the browser runs
        longitude=Decimal("109.886000"),
        latitude=Decimal("31.079000"),
    )


def series_of(page: Any) -> dict[str, list[str]]:
    drawn = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('station-map'));
          const selected = chart.getOption().legend[0].selected || {};
          return chart.getOption().series
            .filter(s => selected[s.name] !== false)
            .map(s => [s.name, s.data.map(d => d.name)]);
        }"""
    )
    return dict(drawn)


def outline_of(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('station-map'));
          const option = chart.getOption();
          const geo = chart.getModel().getComponent('geo', 0);
          return {
            map: option.geo[0].map,
            regions: geo.coordinateSystem.regions.map(r => r.name),
            'series on geo': option.series.filter(s => s.coordinateSystem === 'geo').length,
            series: option.series.length,
          };
        }"""
    )


def test_the_map_draws_the_offices_stations_and_a_click_opens_one(
    login: Any, live_server: Any, stations: dict[str, MicroStation]
) -> None:
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}/workbench/microstations/stations/")
    page.wait_for_selector("#station-map[data-points]")
    assert page.get_attribute("#station-map", "data-points") == "6"
    # The county's outline is drawn as the geo component, and every layer's series sits on it.
    assert page.get_attribute("#station-map", "data-outline") == "drawn"
    assert outline_of(page) == {
        "map": "wushan",
        "regions": ["巫山县"],
        "series on geo": 6,
        "series": 6,
    }
    named = series_of(page)
    assert named == {
        "微站·规划": ["民生计量科普宣传服务微站（平湖市场）"],
        "微站·已揭牌运行": ["民生计量科普宣传服务微站（高唐营业厅）"],
        "专项检查·未发现问题": ["巫山县平湖市场"],
        "专项检查·已立案": ["巫山县高唐加油站"],
        "服务中小企业·计量服务中小企业行": ["巫山县高唐加油站"],
        "公平秤·合格有效": ["巫山县平湖市场 东门服务台"],
    }
    # The layer boxes hide and show a whole layer (through the legend).
    page.uncheck("input[name=map-layer][value=inspections]")
    assert not any(name.startswith("专项检查") for name in series_of(page))
    page.check("input[name=map-layer][value=inspections]")
    assert "专项检查·已立案" in series_of(page)
    assert page.console_errors == []

    opened = stations["opened"]
    # The map opens on the whole county, where the town's points overlap: zoom in on the station, as
    # a user would by scrolling or pinching, then click it.
    x, y = page.evaluate(
        """([lon, lat]) => {
          const chart = echarts.getInstanceByDom(document.getElementById('station-map'));
          chart.setOption({geo: {center: [lon, lat], zoom: 40}});
          return chart.convertToPixel({seriesName: '微站·已揭牌运行'}, [lon, lat]);
        }""",
        [float(opened.longitude), float(opened.latitude)],
    )
    page.locator("#station-map").scroll_into_view_if_needed()
    box = page.locator("#station-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"**{opened.get_absolute_url()}")
    assert page.locator("h1").inner_text() == opened.name
