"""The map ({% station_map campaign %}) on the dashboard and the station list: stations, inspections,
SME visits and 公平秤 (microstations.map_layers), drawn by static/js/map.js over the vendored outline of
巫山县 (static/vendor/geo/, see its README)."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static

from microstations.map_layers import map_layers

register = template.Library()

# The county's outline: a static file (hashed by the manifest storage in production), fetched once and
# cached by the browser rather than embedded in every page.
OUTLINE_FILE = "vendor/geo/wushan.geo.json"
OUTLINE_NAME = "巫山县"


@register.inclusion_tag("dashboard/_map.html", takes_context=True)
def station_map(context: template.Context, campaign: Any) -> dict[str, Any]:
    layers = map_layers(user=context["request"].user, campaign=campaign)
    return {
        "map_layers": layers,
        "map_points": sum(len(layer["points"]) for layer in layers),
        "map_data": {"layers": layers, "outline": {"name": OUTLINE_NAME, "url": static(OUTLINE_FILE)}},
    }
