"""The map's layers (issue 18): micro-stations by stage, and whatever the workstreams register in
core.map_layers (special inspections by result, SME visits, 公平秤 by verification status), each point
within the viewer's scope (organizations.access) and linking to its record's page (which scopes again,
so a click never opens a record out of scope).

The map is the one page element that draws several workstreams together, and it imports none of them:
each registers its layer in its AppConfig.ready. Registered rows are approved ones (an official
picture, like every figure) grouped by place and category, so the map stays a few hundred points
whatever the number of records: one query per layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.map_layers import CATEGORY, Category, LayerSpec, registered
from microstations.models import MicroStation
from microstations.selectors import station_map_points
from organizations.access import scope_to_user

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


def map_layers(*, user: Any, campaign: Campaign | None) -> list[dict[str, Any]]:
    """Every layer of the map for `user` and `campaign`: the stations, then each registered layer in
    its order; one query per layer."""
    if campaign is None:
        return []
    layers = [_station_layer(user, campaign)]
    layers += [_registered_layer(spec, user, campaign) for spec in registered()]
    return [layer.as_json() for layer in layers]
