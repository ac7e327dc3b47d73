"""The dashboard's panels (templates/dashboard/_panels.html), rendered once and reused.

Every official figure already comes from the precomputed facts (records.facts); what still reads the
workstreams live (待审核 counts, tasks, 舆情, the planning panels, the map) and the template itself cost a
fixed few hundred milliseconds a request. The rendered panels are therefore kept in the cache for
DASHBOARD_CACHE_SECONDS, keyed by the user, the filters, the day and the moment the campaign's official
figures last changed: an approval shows on the next request, anything else within the cache's lifetime,
and the page says when its panels were made. A cache that fails (Redis down) only costs the rendering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from campaigns import selectors as campaign_selectors
from dashboard import selectors
from dashboard.selectors import Filters

logger = logging.getLogger(__name__)

TEMPLATE = "dashboard/_panels.html"


def panels_context(filters: Filters, today: dt.date) -> dict[str, Any]:
    """Everything the panels show, for the filters (a fixed number of queries, whatever the data size)."""
    timeliness = selectors.timeliness(filters, today)
    official = selectors.official_figures(filters)
    statistics = selectors.inspection_rows(official)
    pending = selectors.pending_counts(filters)
    return {
        "filters": filters,
        "today": today,
        "cards": selectors.workstream_cards(
            filters, today, official=official, statistics=statistics, pending=pending
        ),
        "newest_incidents": selectors.newest_incidents(filters, timezone.now()),
        "timeliness": timeliness,
        "chart_data": {
            "activity": selectors.zero_filled_weeks(
                selectors.activity_series(filters, pending), filters, today
            ),
            "opinion": selectors.opinion_chart(filters),
            "inspections": selectors.inspection_chart(statistics, pending),
            "timeliness": [
                {
                    "unit": row["unit__name"],
                    "values": [
                        row["done_on_time"],
                        row["done_late"],
                        row["overdue"],
                        row["open"],
                        row["unacknowledged"],
                    ],
                }
                for row in timeliness
            ],
        },
        "ranking": selectors.office_ranking(filters),
        "ranking_headers": selectors.RANKING_HEADERS,
        "latest_activities": selectors.latest_activities(filters),
        "overdue_followups": selectors.overdue_followups(filters, today),
        "coverage": selectors.instrument_figures(filters, today),
        "coverage_list_query": f"&unit={filters.unit_id}" if filters.unit_id else "",
        # Lazy: the reporting grid and 经费 panels query only where the template shows them.
        **campaign_selectors.dashboard_panels(campaign=filters.campaign, today=today),
    }


def _key(request: HttpRequest, filters: Filters, today: dt.date, figures_at: dt.datetime | None) -> str:
    parts = [
        request.user.pk,
        filters.campaign.pk,
        filters.date_from,
        filters.date_to,
        filters.unit_id,
        today,
        get_language(),
        figures_at.isoformat() if figures_at else "",
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"dashboard:panels:v1:{digest}"


def _render(request: HttpRequest, filters: Filters, today: dt.date) -> str:
    return render_to_string(TEMPLATE, panels_context(filters, today), request=request).strip()


def panels_html(
    request: HttpRequest, filters: Filters, today: dt.date, figures_at: dt.datetime | None
) -> tuple[SafeString, dt.datetime]:
    """The rendered panels and when they were made (now, or when the cached copy was)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(_render(request, filters, today)), timezone.now()  # noqa: S308 (our template's output)
    key = _key(request, filters, today, figures_at)
    try:
        cached = cache.get(key)
    except Exception:  # a cache that is down must not take the page with it
        logger.warning("dashboard cache unavailable", exc_info=True)
        cached = None
    if cached is not None:
        html, made_at = cached
        return mark_safe(html), made_at  # noqa: S308 (our template's output, cached as rendered)
    made_at = timezone.now()
    html = _render(request, filters, today)
    try:
        cache.set(key, (html, made_at), seconds)
    except Exception:
        logger.warning("dashboard cache unavailable", exc_info=True)
    return mark_safe(html), made_at  # noqa: S308 (our template's output)
