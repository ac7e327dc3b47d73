"""Scoped reads of micro-stations and their activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from campaigns.models import Campaign
from microstations.models import MicroStation, StationActivity
from organizations.access import get_for_user, scope_to_user
from records.models import counted_q, pending_q


def station_list_for_user(*, user: Any, campaign: Campaign | None = None) -> QuerySet[MicroStation]:
    """The user's stations with their counted (approved) and pending activities and active volunteers;
    list filters are microstations.filters.StationFilterSet's."""
    queryset = scope_to_user(MicroStation.objects.all(), user, unit_field=MicroStation.unit_scope_field)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return (
        queryset.select_related("supervising_unit", "host_unit")
        .annotate(
            activity_count=Count("activities", filter=counted_q("activities__"), distinct=True),
            activity_pending=Count("activities", filter=pending_q("activities__"), distinct=True),
            volunteer_count=Count("volunteers", filter=Q(volunteers__is_active=True), distinct=True),
        )
        .order_by("township", "name", "pk")
    )


def station_choices_for_user(*, user: Any) -> QuerySet[MicroStation]:
    """The stations a user may pick in a form, a filter or the API (no counts)."""
    return scope_to_user(MicroStation.objects.all(), user, unit_field=MicroStation.unit_scope_field).order_by(
        "township", "name", "pk"
    )


def station_get_for_user(*, user: Any, pk: Any) -> MicroStation:
    return get_for_user(
        MicroStation.objects.select_related("supervising_unit", "host_unit", "campaign"),
        user,
        pk=pk,
        unit_field=MicroStation.unit_scope_field,
    )


def stations_opened_count(campaign: Campaign) -> int:
    return MicroStation.objects.filter(campaign=campaign, stage=MicroStation.Stage.OPENED).count()


def activity_list_for_user(*, user: Any) -> QuerySet[StationActivity]:
    """The user's activities; list filters are microstations.filters.ActivityFilterSet's."""
    return (
        scope_to_user(StationActivity.objects.all(), user)
        .select_related("station", "unit", "created_by")
        .order_by("-date", "-pk")
    )


def activity_get_for_user(*, user: Any, pk: Any) -> StationActivity:
    return get_for_user(
        StationActivity.objects.select_related("station", "unit", "campaign", "created_by", "reviewed_by"),
        user,
        pk=pk,
    )


def activity_totals(activities: QuerySet[StationActivity]) -> dict[str, int]:
    """Official sums (approved activities only) over an already scoped and filtered activity queryset,
    and how many more await review, in one query."""
    counted = counted_q()
    totals = activities.order_by().aggregate(
        count=Count("pk", filter=counted),
        people=Sum("people_reached", filter=counted),
        materials=Sum("materials_distributed", filter=counted),
        pending=Count("pk", filter=pending_q()),
    )
    return {key: value or 0 for key, value in totals.items()}


def station_progress(*, campaign: Campaign, user: Any) -> dict[str, int]:
    """Stations by stage within the user's scope, counted from records, in one query."""
    stations = scope_to_user(
        MicroStation.objects.filter(campaign=campaign), user, unit_field=MicroStation.unit_scope_field
    )
    counts = stations.order_by().aggregate(
        total=Count("pk"),
        **{stage.value: Count("pk", filter=Q(stage=stage)) for stage in MicroStation.Stage},
    )
    return {key: value or 0 for key, value in counts.items()}


def station_summary(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> dict[str, int]:
    """Stations by stage, counted (approved) activities and the pending ones in a period: two queries.

    The dashboard and the summary report both read these figures, so they always agree.
    """
    stations = MicroStation.objects.filter(campaign=campaign)
    activities = StationActivity.objects.filter(campaign=campaign)
    if unit_id:
        stations = stations.filter(supervising_unit_id=unit_id)
        activities = activities.filter(unit_id=unit_id)
    if date_from:
        activities = activities.filter(date__gte=date_from)
    if date_to:
        activities = activities.filter(date__lte=date_to)
    figures = stations.order_by().aggregate(
        stations=Count("pk"), opened=Count("pk", filter=Q(stage=MicroStation.Stage.OPENED))
    )
    figures.update(
        activities.order_by().aggregate(
            activities=Count("pk", filter=counted_q()),
            people=Sum("people_reached", filter=counted_q()),
            materials=Sum("materials_distributed", filter=counted_q()),
            pending=Count("pk", filter=pending_q()),
        )
    )
    return {key: value or 0 for key, value in figures.items()}
