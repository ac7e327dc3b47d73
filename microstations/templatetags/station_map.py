"""The map ({% station_map campaign %}) on the dashboard and the station list: stations, inspections
and SME visits (microstations.map_layers), drawn by static/js/map.js."""

from __future__ import annotations

from typing import Any

from django import template

from microstations.map_layers import map_layers

register = template.Library()


@register.inclusion_tag("dashboard/_map.html", takes_context=True)
def station_map(context: template.Context, campaign: Any) -> dict[str, Any]:
    layers = map_layers(user=context["request"].user, campaign=campaign)
    return {
        "map_layers": layers,
        "map_points": sum(len(layer["points"]) for layer in layers),
        "map_data": {"layers": layers},
    }
