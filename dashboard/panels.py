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
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from campaigns import selectors as campaign_selectors
from dashboard import selectors
from dashboard.selectors import Filters, PageState
from reports.models import Report

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


def _extras_key(state: PageState) -> str:
    return f"dashboard:extras:v1:{state.campaign.pk}:{state.newest_report or 0}:{get_language()}"


def _render(request: HttpRequest, filters: Filters, today: dt.date) -> str:
    return render_to_string(TEMPLATE, panels_context(filters, today), request=request).strip()


Choices = dict[str, list[tuple[Any, str]]]


def model_choices(form: forms.Form) -> Choices:
    """The form's model choices, each read in one plain query: Django's ModelChoiceIterator reads
    them with .iterator(), a server-side cursor on PostgreSQL (three round trips each)."""
    choices: Choices = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            empty = [("", str(field.empty_label))] if field.empty_label is not None else []
            objects = field.queryset if field.queryset is not None else []
            choices[name] = empty + [(obj.pk, str(field.label_from_instance(obj))) for obj in objects]
    return choices


def apply_choices(form: forms.Form, choices: Choices) -> None:
    """Give the form's fields these choices (a ModelChoiceField still validates against its queryset)."""
    for name, values in choices.items():
        field = form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            field.choices = values


@dataclass
class Page:
    panels: SafeString
    made_at: dt.datetime
    recent_reports: list[Report]
    # Each form's fields as the page shows them, by the form's name in `forms_by_name`.
    forms_html: dict[str, SafeString]


# Each form's fields (template, and the name it takes the form by): their widgets cost more to render
# than the rest of a cached page, so they are kept beside the panels.
FORM_TEMPLATES = {
    "filter": ("includes/filter_fields.html", "filter_form"),
    "report": ("dashboard/_report_fields.html", "report_form"),
}


def _forms_key(request: HttpRequest, extras_key: str) -> str:
    # What the fields show: the query the filter form is bound to and the report form's initial
    # values come from, and the choices (cached under the extras' key, so they change together).
    digest = hashlib.sha256(f"{extras_key}|{request.GET.urlencode()}".encode()).hexdigest()[:32]
    return f"dashboard:forms:v1:{digest}"


def _render_forms(request: HttpRequest, forms_by_name: dict[str, forms.Form]) -> dict[str, str]:
    rendered = {}
    for name, form in forms_by_name.items():
        template, variable = FORM_TEMPLATES[name]
        rendered[name] = render_to_string(template, {variable: form}, request=request).strip()
    return rendered


def _extras(state: PageState, forms_by_name: dict[str, forms.Form]) -> dict[str, Any]:
    return {
        "choices": {name: model_choices(form) for name, form in forms_by_name.items()},
        "recent_reports": selectors.recent_reports(state.campaign),
    }


def dashboard_page(
    request: HttpRequest,
    filters: Filters,
    today: dt.date,
    state: PageState,
    forms_by_name: dict[str, forms.Form],
) -> Page:
    """The rendered panels and when they were made (now, or when the cached copy was), the recent
    reports, the forms' choices filled in and their fields rendered (`forms_by_name`: the page's forms,
    by their names in FORM_TEMPLATES).

    One cache round trip: the panels (keyed by the user, the filters, the day and when the figures last
    changed), the page's extras (the forms' choices and the recent reports, keyed by the campaign and
    its newest report) and the forms' rendered fields (keyed by the extras' key and the query), each
    kept DASHBOARD_CACHE_SECONDS.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key, extras_key = _key(request, filters, today, state.figures_at), _extras_key(state)
    forms_key = _forms_key(request, extras_key)
    cached: dict[str, Any] = {}
    if seconds > 0:
        try:
            cached = cache.get_many([key, extras_key, forms_key])
        except Exception:  # a cache that is down must not take the page with it
            logger.warning("dashboard cache unavailable", exc_info=True)
    to_store: dict[str, Any] = {}
    if key in cached:
        html, made_at = cached[key]
    else:
        made_at = timezone.now()
        html = _render(request, filters, today)
        to_store[key] = (html, made_at)
    extras = cached.get(extras_key)
    if extras is None:
        extras = to_store[extras_key] = _extras(state, forms_by_name)
    for name, form in forms_by_name.items():
        apply_choices(form, extras["choices"].get(name, {}))
    forms_html = cached.get(forms_key)
    if forms_html is None:
        forms_html = to_store[forms_key] = _render_forms(request, forms_by_name)
    if seconds > 0 and to_store:
        try:
            cache.set_many(to_store, seconds)
        except Exception:
            logger.warning("dashboard cache unavailable", exc_info=True)
    # Our templates' output, rendered here or cached as rendered.
    return Page(
        panels=mark_safe(html),  # noqa: S308
        made_at=made_at,
        recent_reports=extras["recent_reports"],
        forms_html={name: mark_safe(part) for name, part in forms_html.items()},  # noqa: S308
    )
