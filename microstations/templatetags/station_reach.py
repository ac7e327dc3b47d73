"""The dashboard's reach panel ({% station_reach_panel filters %}): views, scans and feedback of the
stations' public pages, from the same selector as the workbook's 微站触达 sheet."""

from __future__ import annotations

from typing import Any

from django import template

from microstations.public import reach_by_station, reach_summary

register = template.Library()

TOP_STATIONS = 5


@register.inclusion_tag("dashboard/_reach.html")
def station_reach_panel(filters: Any) -> dict[str, Any]:
    """Two queries: the totals, and the stations most reached (`filters` is the dashboard's Filters)."""
    period = {
        "campaign": filters.campaign,
        "unit_id": filters.unit_id,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
    }
    stations: Any = reach_by_station(**period)  # annotated with the reach sums
    stations = stations.order_by("-reach_scans", "-reach_views", "township", "name", "pk")
    return {"reach": reach_summary(**period), "reach_stations": list(stations[:TOP_STATIONS])}
