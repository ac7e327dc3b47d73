"""The map's layers (issue 18): micro-stations by stage, and whatever the workstreams register in
core.map_layers (special inspections by result, SME visits, 公平秤 by verification status), each point
within the viewer's scope (organizations.access) and linking to its record's page (which scopes again,
so a click never opens a record out of scope).

The map is the one page element that draws several workstreams together, and it imports none of them:
each registers its layer in its AppConfig.ready. Registered rows are approved ones (an official
picture, like every figure) grouped by place and category, so the map stays a few hundred points
whatever the number of records: one query per layer.

Grouping the approved rows still reads every one of them (about 20,000 inspections at 100k records:
hundreds of milliseconds), so the registered layers are kept in the cache for MAP_CACHE_SECONDS, keyed by
the viewer, the campaign, the language and when the campaign's official figures last changed
(records.facts.facts_computed_at): an approval or an inspection's follow-up shows on the next request, a
place's new coordinates or a 公平秤's verification within the cache's lifetime. The stations layer (a few
dozen rows) is read live. A cache that fails (Redis down) only costs the grouping.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.map_layers import CATEGORY, Category, LayerSpec, registered
from microstations.models import MicroStation
from microstations.selectors import station_map_points
from organizations.access import scope_to_user
from records.facts import facts_computed_at

logger = logging.getLogger(__name__)

# A colour per category, readable on white and told apart by the colour-blind by the layer's symbol too.
STAGE_COLOURS: dict[str, str] = {
    MicroStation.Stage.PLANNED: "#9aa5b1",
    MicroStation.Stage.BUILDER_CONFIRMED: "#f0ad4e",
    MicroStation.Stage.FURNISHED: "#5bc0de",
    MicroStation.Stage.OPENED: "#2e7d32",
}


@dataclass
class Layer:
    key: str
    label: str
    symbol: str
    categories: list[dict[str, str]]
    points: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "symbol": self.symbol,
            "categories": self.categories,
            "points": self.points,
        }


def _categories(choices: Iterable[tuple[str, Any]], colours: Mapping[Any, str]) -> list[dict[str, str]]:
    return [{"value": value, "label": str(label), "colour": colours[value]} for value, label in choices]


def _station_layer(user: Any, campaign: Campaign) -> Layer:
    points = [
        {
            "name": point["name"],
            "category": point["stage"],
            "lon": point["lon"],
            "lat": point["lat"],
            "url": point["url"],
        }
        for point in station_map_points(user=user, campaign=campaign)
    ]
    return Layer(
        key="stations",
        label=_("微站"),
        symbol="circle",
        categories=_categories(MicroStation.Stage.choices, STAGE_COLOURS),
        points=points,
    )


def _grouped(queryset: QuerySet[Any], spec: LayerSpec) -> QuerySet[Any]:
    """(place, its name and coordinates, category) -> how many records and the latest one's id."""
    prefix = f"{spec.place}__" if spec.place else ""
    name = spec.name if spec.name is not None else f"{prefix}name"
    return (
        queryset.filter(**{f"{prefix}longitude__isnull": False, f"{prefix}latitude__isnull": False})
        .values(
            CATEGORY,
            place_id=F(f"{spec.place}_id") if spec.place else F("pk"),
            place_name=F(name) if isinstance(name, str) else name,
            lon=F(f"{prefix}longitude"),
            lat=F(f"{prefix}latitude"),
        )
        .annotate(records=Count("pk"), latest=Max("pk"))
        .order_by("place_name", "place_id", CATEGORY)
    )


def _points(rows: QuerySet[Any], spec: LayerSpec) -> list[dict[str, Any]]:
    return [
        {
            "name": row["place_name"]
            if row["records"] == 1
            else f"{row['place_name']}（{row['records']}{spec.count_unit}）",
            "category": row[CATEGORY],
            "lon": float(row["lon"]),
            "lat": float(row["lat"]),
            "records": row["records"],
            # The latest record at the place: one click away from the rest through its party.
            "url": reverse(spec.detail, args=[row["latest"]]),
        }
        for row in rows
    ]


def _registered_layer(spec: LayerSpec, user: Any, campaign: Campaign) -> Layer:
    rows = scope_to_user(spec.records(campaign), user, unit_field=spec.unit_field)
    return Layer(
        key=spec.key,
        label=str(spec.label),
        symbol=spec.symbol,
        categories=_spec_categories(spec.categories),
        points=_points(_grouped(rows, spec), spec),
    )


def _spec_categories(categories: Sequence[Category]) -> list[dict[str, str]]:
    return [{"value": str(c.value), "label": str(c.label), "colour": c.colour} for c in categories]


def _registered_layers(user: Any, campaign: Campaign) -> list[dict[str, Any]]:
    return [_registered_layer(spec, user, campaign).as_json() for spec in registered()]


def _cache_key(user: Any, campaign: Campaign) -> str:
    parts = [
        user.pk,
        campaign.pk,
        get_language(),
        [spec.key for spec in registered()],
        facts_computed_at(campaign),
    ]
    return "map:layers:v1:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _registered_layers_cached(user: Any, campaign: Campaign) -> list[dict[str, Any]]:
    """The registered layers, from the cache when their figures have not changed (see the module)."""
    seconds = settings.MAP_CACHE_SECONDS
    if seconds <= 0:
        return _registered_layers(user, campaign)
    key = _cache_key(user, campaign)
    try:
        layers = cache.get(key)
    except Exception:  # a cache that is down must not take the page with it
        logger.warning("map cache unavailable", exc_info=True)
        return _registered_layers(user, campaign)
    if layers is None:
        layers = _registered_layers(user, campaign)
        try:
            cache.set(key, layers, seconds)
        except Exception:
            logger.warning("map cache unavailable", exc_info=True)
    return layers


def map_layers(*, user: Any, campaign: Campaign | None) -> list[dict[str, Any]]:
    """Every layer of the map for `user` and `campaign`: the stations, then each registered layer in
    its order; one query per layer, or the stations' and one more when the registered layers come from
    the cache."""
    if campaign is None:
        return []
    return [_station_layer(user, campaign).as_json(), *_registered_layers_cached(user, campaign)]
