"""Scoped reads of micro-stations and their activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce

from campaigns.models import Campaign
from core.periods import period_q
from microstations.models import MicroStation, StationActivity
from organizations.access import get_for_user, scope_to_user
from records.facts import FactTotals
from records.lists import pending_count
from records.models import Fact, counted_q, pending_q


def stations_registered_by(stations: QuerySet[MicroStation], campaign: Campaign) -> QuerySet[MicroStation]:
    """The stations already in the registry in `campaign`: entered under it or an earlier year's.
    Stations are a standing registry (campaigns.selectors.campaign_for_date): a 2025 station still
    serves 2026, while one entered in 2026 did not exist in 2025."""
    return stations.filter(campaign__year__lte=campaign.year)


def _activity_count(condition: Q, campaign: Campaign | None) -> Any:
    """Each station's activities meeting `condition` (of `campaign`, when given), as a subquery: one
    query for the page, however many activities and volunteers a station has (two joins would
    multiply each other's rows)."""
    activities = StationActivity.objects.filter(condition, station=OuterRef("pk"))
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
    counts = activities.order_by().values("station").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _approved_activity_count(campaign: Campaign | None) -> Any:
    """Each station's approved activities (of `campaign`, when given), read from the precomputed
    figures (records.Fact: the activities' cells are keyed by station, StationActivity.fact_key), so a
    station's count sums a few cells per unit and day, not its activities, however many it has."""
    cells = Fact.objects.filter(
        record_type=StationActivity._meta.label_lower,
        metric="count",
        key=Cast(OuterRef("pk"), output_field=CharField()),
    )
    if campaign is not None:
        cells = cells.filter(campaign=campaign)
    total = cells.order_by().values("key").annotate(n=Cast(Sum("value"), IntegerField())).values("n")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def _active_volunteer_count() -> Any:
    # Reached through the relation: volunteers sit above microstations (DESIGN.md), never imported here.
    volunteer_model: Any = MicroStation._meta.get_field("volunteers").related_model
    volunteers = (
        volunteer_model._default_manager.filter(station=OuterRef("pk"), is_active=True)
        .order_by()
        .values("station")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(volunteers, output_field=IntegerField()), Value(0))


def station_list_counts(
    stations: QuerySet[MicroStation], *, campaign: Campaign | None = None
) -> QuerySet[MicroStation]:
    """`stations` (already scoped and filtered) with, for the list, each one's activities of `campaign`
    (None: of every campaign): approved ones from the precomputed figures (`activity_count`), those
    awaiting review counted by the records kit (`activity_pending`), and its active volunteers
    (`volunteer_count`)."""
    return (
        stations.select_related("supervising_unit", "host_unit", "campaign")
        .annotate(
            activity_count=_approved_activity_count(campaign),
            activity_pending=_activity_count(pending_q(), campaign),
            volunteer_count=_active_volunteer_count(),
        )
        .order_by("township", "name", "pk")
    )


def station_list_for_user(*, user: Any, campaign: Campaign | None = None) -> QuerySet[MicroStation]:
    """Every station in the user's scope (those in the registry in `campaign` when given) with its
    activities of that campaign counted; the list page narrows it with microstations.filters."""
    stations = scope_to_user(MicroStation.objects.all(), user, unit_field=MicroStation.unit_scope_field)
    if campaign is not None:
        stations = stations_registered_by(stations, campaign)
    return station_list_counts(stations, campaign=campaign)


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


def stations_opened_count_as_of(campaign: Campaign, day: dt.date) -> int:
    """Stations opened by the end of `day` (a milestone's figure); one opened without a date cannot be
    dated and is left out."""
    return MicroStation.objects.filter(
        campaign=campaign, stage=MicroStation.Stage.OPENED, opened_on__lte=day
    ).count()


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


def activity_totals(
    activities: QuerySet[StationActivity], *, facts: FactTotals | None = None
) -> dict[str, int]:
    """Official sums (approved activities only) over an already scoped and filtered activity queryset,
    and how many more await review, in one query. With `facts` (records.lists.list_facts of the same
    list) the sums are read from them and only the pending count from the records."""
    if facts is not None:
        label = StationActivity._meta.label_lower
        return {
            "count": int(facts.total(label, "count")),
            "people": int(facts.total(label, "people_reached")),
            "materials": int(facts.total(label, "materials_distributed")),
            "pending": pending_count(activities),
        }
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
    activities = activities.filter(period_q("date", date_from, date_to))
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


def station_map_points(*, user: Any, campaign: Campaign | None) -> list[dict[str, Any]]:
    """The user's stations that have coordinates, for the map: one query; each point links to the
    station's page (which scopes again, so a point never opens a record out of the user's scope)."""
    if campaign is None:
        return []
    stations = scope_to_user(
        MicroStation.objects.filter(campaign=campaign, latitude__isnull=False, longitude__isnull=False),
        user,
        unit_field=MicroStation.unit_scope_field,
    ).order_by("township", "name", "pk")
    return [
        {
            "name": station.name,
            "stage": station.stage,
            "stage_label": str(station.get_stage_display()),
            "lon": float(station.longitude or 0),  # never None: filtered above
            "lat": float(station.latitude or 0),
            "url": station.get_absolute_url(),
        }
        for station in stations.only("pk", "name", "stage", "latitude", "longitude")
    ]
