"""Nearest 公平秤 for the public pages: great-circle distance from a point to every located 公平秤
whose verification is valid today.

A county has dozens of 公平秤, not thousands, so one query and a sort in Python are cheaper and simpler
than a spatial index (and the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from instruments.models import RegisteredInstrument
from instruments.selectors import fair_scales_to_recommend

EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class NearbyScale:
    scale: RegisteredInstrument
    metres: int

    @property
    def distance_label(self) -> str:
        if self.metres < 1000:
            return _("约 %(m)d 米") % {"m": self.metres}
        return _("约 %(km).1f 公里") % {"km": self.metres / 1000}


def distance_m(
    lon1: Decimal | float, lat1: Decimal | float, lon2: Decimal | float, lat2: Decimal | float
) -> int:
    """Haversine distance in whole metres."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(h)))


def nearest_fair_scales(
    *,
    longitude: Decimal | float | None,
    latitude: Decimal | float | None,
    limit: int = 3,
    exclude_pk: int | None = None,
) -> list[NearbyScale]:
    """The `limit` located 公平秤 in date nearest to the point, nearest first (none without a point).
    One query."""
    if longitude is None or latitude is None:
        return []
    scales = fair_scales_to_recommend(timezone.localdate())
    if exclude_pk is not None:
        scales = scales.exclude(pk=exclude_pk)
    nearby = [
        NearbyScale(scale, distance_m(longitude, latitude, scale.longitude, scale.latitude))  # type: ignore[arg-type]
        for scale in scales
    ]
    return sorted(nearby, key=lambda n: (n.metres, n.scale.pk))[:limit]
