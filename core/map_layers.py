"""The map's layer registry (issue 18): each workstream registers in its AppConfig.ready the records it
draws on the map, so the page that draws the map (microstations' map tag) imports no feature app.

A layer is declared, not coded: which rows (approved ones, annotated with their `map_category`), where
each row's place is (a relation with a name and coordinates, or the row itself), the categories with
their colours, and the page a point opens. microstations.map_layers scopes the rows to the viewer
(organizations.access) and groups them by place and category: one query per layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, F, QuerySet

# The annotation a layer's rows carry: the category (colour) a row is drawn in.
CATEGORY = "map_category"


@dataclass(frozen=True)
class Category:
    value: str
    label: Any  # a lazy translation, rendered when the map is drawn
    colour: str


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the map.

    - `records(campaign)`: the rows the layer may draw before the viewer's scope, each annotated with
      `map_category` (CATEGORY).
    - `place`: the lookup of the row's place, which has `name`, `longitude` and `latitude`; "" for a
      row that has its own coordinates. `name` overrides the place's name (a lookup or an expression).
    - `detail`: the URL name of a row's page, taking its pk (the page scopes again).
    - `count_unit`: how a place's several rows are counted in its label (e.g. "次").
    - `unit_field`: the lookup that ties a row to a unit for organizations.access.
    - `order`: where the layer is drawn among the others (the stations come first, at 0).
    """

    key: str
    label: Any
    symbol: str
    order: int
    records: Callable[[Any], QuerySet[Any]]
    categories: Sequence[Category]
    detail: str
    place: str = ""
    name: str | Expression | F | None = None
    count_unit: Any = ""
    unit_field: str = "unit"


_LAYERS: dict[str, LayerSpec] = {}


def register(spec: LayerSpec) -> None:
    """Add (or replace, so that a second ready() changes nothing) a layer of the map."""
    _LAYERS[spec.key] = spec


def registered() -> list[LayerSpec]:
    """The registered layers in drawing order."""
    return sorted(_LAYERS.values(), key=lambda spec: (spec.order, spec.key))
