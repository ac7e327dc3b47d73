"""Scoped reads and aggregates of 舆情 incidents and the levels' clocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast

from campaigns.models import Campaign
from core.periods import period_q
from opinion.models import OpinionIncident, OpinionLevel
from organizations.access import get_for_user, scope_to_user
from records.models import SubmissionKey

IncidentStatus = OpinionIncident.Status


def _hours(field: str) -> ExpressionWrapper:
    # SQLite multiplies a duration only by a plain integer column, hence the cast.
    return ExpressionWrapper(
        Cast(F(field), IntegerField()) * Value(dt.timedelta(hours=1)), output_field=DurationField()
    )


def with_deadlines(queryset: QuerySet[OpinionIncident]) -> QuerySet[OpinionIncident]:
    """Annotate `report_due` and `response_due` (discovery time + the level's hours) in the database.

    The same arithmetic as OpinionIncident.report_deadline / response_deadline, for filtering and
    ordering; nothing is stored, so editing a level's hours moves every deadline at once.
    """
    return queryset.annotate(
        report_due=ExpressionWrapper(
            F("discovered_at") + _hours("level__report_deadline_hours"), output_field=DateTimeField()
        ),
        response_due=ExpressionWrapper(
            F("discovered_at") + _hours("level__response_deadline_hours"), output_field=DateTimeField()
        ),
    )


def report_overdue_q(now: dt.datetime) -> Q:
    """Not reported to the county bureau and the report window has passed (needs with_deadlines)."""
    return Q(reported_to_county_at__isnull=True, report_due__lt=now)


def response_overdue_q(now: dt.datetime) -> Q:
    """No response yet and the response window has passed (needs with_deadlines)."""
    return Q(responded_at__isnull=True, response_due__lt=now)


def incident_list_for_user(*, user: Any) -> QuerySet[OpinionIncident]:
    """The incidents the user's units handle (every unit's for the bureau and leadership), with their
    deadlines annotated; opinion.filters.IncidentFilterSet narrows it for the list page and the API."""
    queryset = with_deadlines(
        scope_to_user(OpinionIncident.objects.all(), user, unit_field=OpinionIncident.unit_scope_field)
    )
    return queryset.select_related("level", "handling_unit").order_by("-discovered_at", "-pk")


def incident_get_for_user(*, user: Any, pk: Any) -> OpinionIncident:
    return get_for_user(
        OpinionIncident.objects.select_related("level", "handling_unit", "campaign", "created_by"),
        user,
        pk=pk,
        unit_field=OpinionIncident.unit_scope_field,
    )


def incident_for_submission_key(*, user: Any, key: str) -> OpinionIncident | None:
    """The incident an earlier POST of the same form render logged, if the user may still see it."""
    if not key:
        return None
    claimed = SubmissionKey.objects.filter(
        key=key, user=user, content_type=ContentType.objects.get_for_model(OpinionIncident)
    ).first()
    if claimed is None:
        return None
    return (
        scope_to_user(OpinionIncident.objects.all(), user, unit_field=OpinionIncident.unit_scope_field)
        .filter(pk=claimed.object_id)
        .first()
    )


def incident_counts(incidents: QuerySet[OpinionIncident], *, now: dt.datetime) -> dict[str, int]:
    """Open, closed and overdue counts over an already scoped (and deadline-annotated) queryset, in one query."""
    counts = incidents.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status=IncidentStatus.CLOSED)),
        closed=Count("pk", filter=Q(status=IncidentStatus.CLOSED)),
        report_overdue=Count("pk", filter=report_overdue_q(now)),
        response_overdue=Count("pk", filter=response_overdue_q(now)),
    )
    return {key: value or 0 for key, value in counts.items()}


def incidents_past_report_deadline(now: dt.datetime) -> QuerySet[OpinionIncident]:
    """Open incidents not yet reported to the county bureau whose report window has passed at `now`.

    Unscoped: for the escalation job (every 15 minutes), which alerts the bureau admin, and leadership
    too where the level says so (`level.alert_leadership`). Oldest first.
    """
    return (
        with_deadlines(OpinionIncident.objects.all())
        .filter(report_overdue_q(now))
        .exclude(status=IncidentStatus.CLOSED)
        .select_related("level", "handling_unit")
        .order_by(F("report_due").asc(), "pk")
    )


def opinion_levels() -> QuerySet[OpinionLevel]:
    return OpinionLevel.objects.filter(is_active=True).order_by("rank", "pk")


def incidents_in_period(
    *, campaign: Campaign, date_from: dt.date | None = None, date_to: dt.date | None = None, unit: Any = None
) -> QuerySet[OpinionIncident]:
    """Every incident of the campaign discovered in the period (all of them: incidents are not reviewed
    records, so there is nothing to approve first), for the workbook."""
    incidents = OpinionIncident.objects.filter(
        period_q("discovered_at__date", date_from, date_to), campaign=campaign
    )
    if unit is not None:
        incidents = incidents.filter(handling_unit=unit)
    return incidents


def incident_level_status_counts(
    *,
    campaign: Campaign,
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Incidents discovered in the period by level and status (one grouped query; the dashboard's 舆情 chart)."""
    incidents = incidents_in_period(campaign=campaign, date_from=date_from, date_to=date_to)
    if unit_id:
        incidents = incidents.filter(handling_unit_id=unit_id)
    return [
        dict(row)
        for row in incidents.order_by()
        .values("level__name", "level__rank", "status")
        .annotate(n=Count("pk"))
        .order_by("level__rank", "status")
    ]


def incidents_newest(
    *,
    campaign: Campaign,
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 5,
) -> list[OpinionIncident]:
    """The newest incidents discovered in the period, with their deadlines annotated (one query)."""
    incidents = with_deadlines(incidents_in_period(campaign=campaign, date_from=date_from, date_to=date_to))
    if unit_id:
        incidents = incidents.filter(handling_unit_id=unit_id)
    return list(incidents.select_related("level", "handling_unit").order_by("-discovered_at", "-pk")[:limit])
