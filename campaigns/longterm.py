"""长效机制 (section 三（三）): how often each micro-station is used all year, not only in the campaign.

Counts approved records of every type held at a station (a submitted-record model with a `station`
link: station activities, publicity activities 依托微站), over the twelve months up to today and across
campaigns, since stations are standing places. Found through the app registry as the reporting windows
find record types, so campaigns imports no workstream.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Model, Q

from campaigns.reporting import record_types

YEAR = dt.timedelta(days=365)


def station_record_types() -> dict[str, type[Model]]:
    return {
        key: model
        for key, model in record_types().items()
        if any(f.name == "station" and f.is_relation for f in model._meta.get_fields())
        and getattr(model, "record_date_field", None)
        and hasattr(model._default_manager, "counted")
    }


@dataclass
class StationYear:
    station_id: int
    name: str
    last_12_months: int = 0
    this_year: int = 0
    last_activity: dt.date | None = None


def station_activity_counts(*, today: dt.date) -> list[StationYear]:
    """Every station, dormant ones included, with its approved activities over the last twelve months
    and this calendar year, most used first (the stations, then one query per record type)."""
    rows: dict[int, StationYear] = {}
    since = today - YEAR
    models = list(station_record_types().values())
    if models:
        stations = models[0]._meta.get_field("station").related_model._default_manager  # type: ignore[union-attr]
        for pk, name in stations.order_by().values_list("pk", "name"):
            rows[pk] = StationYear(pk, name)
    for model in models:
        date = model.record_date_field  # type: ignore[attr-defined]
        counts: Any = (
            model._default_manager.counted()  # type: ignore[attr-defined]
            .filter(station__isnull=False, **{f"{date}__gt": since, f"{date}__lte": today})
            .order_by()
            .values("station_id", "station__name")
            .annotate(
                total=Count("pk"),
                this_year=Count("pk", filter=Q(**{f"{date}__year": today.year})),
                last=Max(date),
            )
        )
        for count in counts:
            row = rows.setdefault(
                count["station_id"], StationYear(count["station_id"], count["station__name"])
            )
            row.last_12_months += count["total"]
            row.this_year += count["this_year"]
            if row.last_activity is None or count["last"] > row.last_activity:
                row.last_activity = count["last"]
    return sorted(rows.values(), key=lambda row: (-row.last_12_months, row.name))
