"""The one way a page, figure or sheet is cut to a period: both ends inclusive, either end may be open."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def period_q(field: str, date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """`field` (a date lookup path: "date", "reach__day", "discovered_at__date") within
    [date_from, date_to]; an end given as None is open, and with neither the Q matches everything."""
    condition = Q()
    if date_from:
        condition &= Q(**{f"{field}__gte": date_from})
    if date_to:
        condition &= Q(**{f"{field}__lte": date_to})
    return condition
