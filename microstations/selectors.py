"""Scoped reads of micro-stations and their activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from campaigns.models import Campaign
from microstations.models import MicroStation, StationActivity
from organizations.access import get_for_user, scope_to_user
from records.models import COUNTED_REVIEW_STATUSES


def station_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    stage: str = "",
    station_type: str = "",
    township: str = "",
    search: str = "",
) -> QuerySet[MicroStation]:
    queryset = scope_to_user(MicroStation.objects.all(), user, unit_field=MicroStation.unit_scope_field)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if stage:
        queryset = queryset.filter(stage=stage)
    if station_type:
        queryset = queryset.filter(station_type=station_type)
    if township:
        queryset = queryset.filter(township=township)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(host_name__icontains=search) | Q(address__icontains=search)
        )
    return (
        queryset.select_related("supervising_unit", "host_unit")
        .annotate(
            activity_count=Count("activities", distinct=True),
            volunteer_count=Count("volunteers", filter=Q(volunteers__is_active=True), distinct=True),
        )
        .order_by("township", "name", "pk")
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


def activity_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    station_id: int | None = None,
    topic: str = "",
    review_status: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[StationActivity]:
    queryset = scope_to_user(StationActivity.objects.all(), user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if station_id:
        queryset = queryset.filter(station_id=station_id)
    if topic:
        queryset = queryset.filter(topic=topic)
    if review_status:
        queryset = queryset.filter(review_status=review_status)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    return queryset.select_related("station", "unit", "created_by").order_by("-date", "-pk")


def activity_get_for_user(*, user: Any, pk: Any) -> StationActivity:
    return get_for_user(
        StationActivity.objects.select_related("station", "unit", "campaign", "created_by", "reviewed_by"),
        user,
        pk=pk,
    )


def activity_totals(activities: QuerySet[StationActivity]) -> dict[str, int]:
    """Sums over an already scoped and filtered activity queryset, in one query."""
    totals = activities.order_by().aggregate(
        count=Count("pk"),
        people=Sum("people_reached"),
        materials=Sum("materials_distributed"),
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
    """Stations by stage and counted activities (submitted or approved) in a period: two queries.

    The dashboard and the summary report both read these figures, so they always agree.
    """
    stations = MicroStation.objects.filter(campaign=campaign)
    activities = StationActivity.objects.filter(campaign=campaign, review_status__in=COUNTED_REVIEW_STATUSES)
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
            activities=Count("pk"), people=Sum("people_reached"), materials=Sum("materials_distributed")
        )
    )
    return {key: value or 0 for key, value in figures.items()}
