"""The map's layers (issue 18): stations by stage, approved inspections by result, approved SME visits
and located 公平秤 by verification status, each within the viewer's scope, grouped by place so that the
map stays small; one query per layer whatever the number of records; on the dashboard and the station
list. The workstreams register their layers (core.map_layers): the map imports none of them."""

from __future__ import annotations

import ast
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from enterprises.models import Enterprise
from instruments.models import EntryStatus, RegisteredInstrument
from microstations import map_layers as map_module
from microstations.map_layers import map_layers
from organizations.models import User
from records.models import ReviewStatus
from records.services import record_approve, record_submit
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.html import select
from tests.inspections.factories import EnterpriseFactory, InspectionFactory
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import MicroStationFactory

pytestmark = pytest.mark.django_db


def approved(record: Any) -> Any:
    type(record).objects.filter(pk=record.pk).update(review_status=ReviewStatus.APPROVED)
    return record


def placed(name: str, lon: str, lat: str) -> Enterprise:
    return EnterpriseFactory(name=name, longitude=Decimal(lon), latitude=Decimal(lat))


def fair_scale(market: Enterprise, unit: Any, *, location: str, lat: str | None, **extra: Any) -> Any:
    return RegisteredInstrumentFactory(
        unit=unit,
        owner=market,
        host_market=market,
        kind=RegisteredInstrument.Kind.FAIR_SCALE,
        name="公平秤",
        location=location,
        longitude=Decimal("109.889000") if lat else None,
        latitude=Decimal(lat) if lat else None,
        **extra,
    )


@pytest.fixture
def map_of(office_a: User) -> Any:
    def layers(user: User, campaign: Campaign) -> dict[str, dict[str, Any]]:
        return {layer["key"]: layer for layer in map_layers(user=user, campaign=campaign)}

    return layers


@pytest.fixture
def records(campaign, office_a, office_b) -> dict[str, Any]:
    market = placed("巫山县平湖市场", "109.890000", "31.080000")
    gas = placed("巫山县高唐加油站", "109.870000", "31.070000")
    elsewhere = placed("龙门某商行", "109.860000", "31.060000")
    unplaced = EnterpriseFactory(name="未标注坐标的商行")
    unit_a, unit_b = office_a.unit, office_b.unit
    return {
        # Valid until 19 April 2026 (the factory's): valid on the campaign clock's 20 May 2025.
        "scale": fair_scale(market, unit_a, location="东门服务台", lat="31.081000"),
        "overdue scale": fair_scale(
            market, unit_a, location="西门服务台", lat="31.082000", valid_until=dt.date(2025, 5, 1)
        ),
        "unplaced scale": fair_scale(market, unit_a, location="北门服务台", lat=None),
        "retired scale": fair_scale(market, unit_a, location="旧服务台", lat="31.083000", in_use=False),
        "pending scale": fair_scale(
            market, unit_a, location="待审服务台", lat="31.084000", entry_status=EntryStatus.PENDING
        ),
        "other scale": fair_scale(elsewhere, unit_b, location="龙门服务台", lat="31.061000"),
        "station": MicroStationFactory(
            supervising_unit=unit_a,
            opened=True,
            longitude=Decimal("109.878900"),
            latitude=Decimal("31.074800"),
        ),
        # Two clean inspections of the market: one point that counts two.
        "clean": [
            approved(InspectionFactory(unit=unit_a, created_by=office_a, inspected_party=market))
            for _ in range(2)
        ],
        "case": approved(
            InspectionFactory(
                unit=unit_a,
                created_by=office_a,
                inspected_party=gas,
                problems_found=1,
                problem_types=["cheating"],
                case_no="巫市监立〔2025〕3号",
                follow_up_status="case_filed",
            )
        ),
        "draft": InspectionFactory(unit=unit_a, created_by=office_a, inspected_party=gas),
        "unplaced": approved(InspectionFactory(unit=unit_a, created_by=office_a, inspected_party=unplaced)),
        "other unit": approved(
            InspectionFactory(unit=unit_b, created_by=office_b, inspected_party=elsewhere)
        ),
        "visit": approved(EnterpriseVisitFactory(unit=unit_a, created_by=office_a, enterprise=market)),
        "other visit": approved(
            EnterpriseVisitFactory(unit=unit_b, created_by=office_b, enterprise=elsewhere)
        ),
    }


def test_each_layer_draws_the_users_placed_approved_records_by_category(
    map_of, records, office_a, campaign, campaign_clock
):
    layers = map_of(office_a, campaign)
    assert list(layers) == ["stations", "inspections", "visits", "fair_scales"]
    assert [(p["category"], p["url"]) for p in layers["stations"]["points"]] == [
        ("opened", records["station"].get_absolute_url())
    ]
    inspections = {(p["name"], p["category"], p["records"]) for p in layers["inspections"]["points"]}
    assert inspections == {
        ("巫山县平湖市场（2次）", "clean", 2),
        ("巫山县高唐加油站", "case_filed", 1),
    }
    latest = max(record.pk for record in records["clean"])
    assert f"/{latest}/" in next(
        p["url"] for p in layers["inspections"]["points"] if p["category"] == "clean"
    )
    assert [(p["name"], p["category"]) for p in layers["visits"]["points"]] == [
        ("巫山县平湖市场", "sme_service")
    ]
    labels = {c["value"]: c["label"] for c in layers["inspections"]["categories"]}
    assert labels["clean"] == "未发现问题"
    assert labels["case_filed"] == "已立案"
    # 公平秤: the confirmed ones in use with coordinates, each its own point by today's status,
    # opening its register line.
    scales = {(p["name"], p["category"], p["url"]) for p in layers["fair_scales"]["points"]}
    assert scales == {
        ("巫山县平湖市场 东门服务台", "valid", records["scale"].get_absolute_url()),
        ("巫山县平湖市场 西门服务台", "overdue", records["overdue scale"].get_absolute_url()),
    }
    scale_labels = {c["value"]: c["label"] for c in layers["fair_scales"]["categories"]}
    assert (scale_labels["valid"], scale_labels["overdue"]) == ("合格有效", "超期未检")
    assert layers["fair_scales"]["symbol"] == "rect"


def test_the_leader_sees_every_unit_and_another_office_only_its_own(
    map_of, records, leader, office_b, campaign
):
    everything = map_of(leader, campaign)
    assert len(everything["inspections"]["points"]) == 3
    assert len(everything["visits"]["points"]) == 2
    assert len(everything["fair_scales"]["points"]) == 3
    theirs = map_of(office_b, campaign)
    assert [p["name"] for p in theirs["inspections"]["points"]] == ["龙门某商行"]
    assert [p["name"] for p in theirs["fair_scales"]["points"]] == ["龙门某商行 龙门服务台"]
    assert theirs["stations"]["points"] == []


def test_no_campaign_no_layers(office_a):
    assert map_layers(user=office_a, campaign=None) == []


def test_one_query_per_layer_whatever_the_number_of_records(map_of, records, office_a, campaign):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            map_of(office_a, campaign)
        return len(context.captured_queries)

    queries()  # the user's permissions, read once per user object
    few = queries()
    for number in range(5):
        party = placed(f"新增商户{number}", "109.880000", f"31.07{number}000")
        approved(InspectionFactory(unit=office_a.unit, created_by=office_a, inspected_party=party))
        approved(EnterpriseVisitFactory(unit=office_a.unit, created_by=office_a, enterprise=party))
        fair_scale(party, office_a.unit, location=f"服务台{number}", lat=f"31.07{number}500")
    # Stations, inspections grouped by place and result, visits grouped by place and programme,
    # the located 公平秤 with their status.
    assert queries() == few == 4
    assert len(map_of(office_a, campaign)["fair_scales"]["points"]) == 7


def test_the_map_imports_no_feature_app():
    """The layers come from the registry that each workstream fills in its AppConfig.ready."""
    tree = ast.parse(Path(map_module.__file__).read_text(encoding="utf-8"))
    imported = {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not imported & {"inspections", "enterprises", "instruments", "volunteers", "publicity", "opinion"}


def embedded(html: str) -> dict[str, list[str]]:
    """The map's layers as a page embeds them (json_script): layer key -> point names."""
    data = json.loads(lxml.html.fromstring(html).get_element_by_id("station-map-data").text_content())
    return {layer["key"]: [point["name"] for point in layer["points"]] for layer in data["layers"]}


def test_the_station_list_embeds_the_layers_with_their_boxes(client, records, office_a):
    client.force_login(office_a)
    response = client.get("/workbench/microstations/stations/")
    boxes = [box.get("value") for box in select(response, "input[name=map-layer]")]
    assert boxes == ["stations", "inspections", "visits", "fair_scales"]
    layers = embedded(response.content.decode())
    assert layers["inspections"] == ["巫山县平湖市场（2次）", "巫山县高唐加油站"]
    assert layers["visits"] == ["巫山县平湖市场"]


def test_the_dashboards_map_tag_draws_every_unit_for_the_bureau(rf, records, bureau_admin, campaign):
    """The dashboard includes the same tag ({% station_map filters.campaign %}) in its panels."""
    request = rf.get("/dashboard/")
    request.user = bureau_admin
    html = Template("{% load station_map %}{% station_map campaign %}").render(
        Context({"request": request, "campaign": campaign})
    )
    assert "龙门某商行" in embedded(html)["inspections"]


# --- The cache (MAP_CACHE_SECONDS) --------------------------------------------------------------------


@pytest.fixture
def map_cache(settings: Any) -> Any:
    settings.MAP_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def points(layers: dict[str, dict[str, Any]], key: str) -> list[str]:
    return [point["name"] for point in layers[key]["points"]]


def test_cached_layers_cost_two_queries_and_an_approval_shows_at_once(
    map_of, map_cache, records, office_a, bureau_admin, campaign, campaign_clock
):
    def queries() -> tuple[int, dict[str, dict[str, Any]]]:
        with CaptureQueriesContext(connection) as context:
            layers = map_of(office_a, campaign)
        return len(context.captured_queries), layers

    queries()  # the user's permissions, read once per user object
    fresh = map_of(office_a, campaign)
    count, cached = queries()
    # The stations (live) and when the campaign's figures last changed; the other layers come cached.
    assert (count, cached) == (2, fresh)
    # An approval moves the figures, so the next request groups the layers again and shows it.
    draft = records["draft"]
    record_submit(actor=office_a, record=draft)
    record_approve(actor=bureau_admin, record=type(draft).objects.get(pk=draft.pk))
    count, after = queries()
    assert count == 5
    assert {(p["name"], p["category"]) for p in after["inspections"]["points"]} == {
        ("巫山县平湖市场（2次）", "clean"),
        ("巫山县高唐加油站", "case_filed"),
        ("巫山县高唐加油站", "clean"),  # the draft, now approved
    }
    assert queries()[0] == 2


def test_the_cache_keeps_each_viewers_scope(map_of, map_cache, records, office_a, office_b, leader, campaign):
    assert points(map_of(office_a, campaign), "inspections") == ["巫山县平湖市场（2次）", "巫山县高唐加油站"]
    assert points(map_of(office_b, campaign), "inspections") == ["龙门某商行"]
    assert len(points(map_of(leader, campaign), "inspections")) == 3
    assert points(map_of(office_b, campaign), "inspections") == ["龙门某商行"]


def test_a_cache_that_is_down_only_costs_the_grouping(
    map_of, map_cache, records, office_a, campaign, monkeypatch, caplog
):
    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    layers = map_of(office_a, campaign)
    assert points(layers, "inspections") == ["巫山县平湖市场（2次）", "巫山县高唐加油站"]
    assert "map cache unavailable" in caplog.text
