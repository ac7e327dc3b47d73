"""Scoped reads and aggregates of publicity activities, news items, adoptions and 舆情 incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from campaigns.models import Campaign
from microstations.models import MicroStation
from organizations.access import get_for_user, scope_to_user
from organizations.models import Unit
from publicity.models import Adoption, NewsItem, OpinionIncident, OpinionLevel, PublicityActivity
from records.models import ReviewStatus

Channel = PublicityActivity.Channel
IncidentStatus = OpinionIncident.Status

# --- Publicity activities --------------------------------------------------------------------------


def activity_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    channel: str = "",
    form: str = "",
    review_status: str = "",
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[PublicityActivity]:
    queryset = scope_to_user(PublicityActivity.objects.all(), user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if channel:
        queryset = queryset.filter(channel=channel)
    if form:
        queryset = queryset.filter(form=form)
    if review_status:
        queryset = queryset.filter(review_status=review_status)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search) | Q(venue__icontains=search) | Q(summary__icontains=search)
        )
    return queryset.select_related("unit", "station", "created_by").order_by("-date", "-pk")


def activity_get_for_user(*, user: Any, pk: Any) -> PublicityActivity:
    return get_for_user(
        PublicityActivity.objects.select_related(
            "unit", "station", "campaign", "created_by", "reviewed_by"
        ).prefetch_related("partner_units"),
        user,
        pk=pk,
    )


def station_choices_for_user(*, user: Any) -> QuerySet[MicroStation]:
    """The micro-stations an activity of the user's unit may be held at (those in the user's scope)."""
    return scope_to_user(MicroStation.objects.all(), user, unit_field=MicroStation.unit_scope_field).order_by(
        "township", "name", "pk"
    )


def partner_unit_choices() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "name")


def activity_choices_for_user(*, user: Any) -> QuerySet[PublicityActivity]:
    """The activities a news item of the user's unit may report: the unit's own (a news item is
    always the writer's unit's; see NewsItem.clean)."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return PublicityActivity.objects.none()
    return (
        scope_to_user(PublicityActivity.objects.all(), user).filter(unit_id=unit_id).order_by("-date", "-pk")
    )


def _activity_sums() -> dict[str, Any]:
    online = Q(channel__in=PublicityActivity.ONLINE_CHANNELS)
    return {
        "activities": Count("pk"),
        "offline": Count("pk", filter=Q(channel__in=PublicityActivity.OFFLINE_CHANNELS)),
        "online": Count("pk", filter=online),
        "participants": Sum("participants"),
        "materials": Sum("materials_distributed"),
        "consultations": Sum("consultations"),
        "posters": Sum("posters"),
        "weight_labels": Sum("phone_weight_labels"),
        "verifications": Sum("free_verifications"),
        "pledges": Sum("integrity_pledges"),
        "views": Sum("views", filter=online),
    }


def activity_totals(activities: QuerySet[PublicityActivity]) -> dict[str, int]:
    """Counts and sums over an already scoped and filtered activity queryset, in one query."""
    totals = activities.order_by().aggregate(**_activity_sums())
    return {key: value or 0 for key, value in totals.items()}


def publicity_progress(
    *,
    user: Any,
    campaign: Campaign | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> dict[str, int]:
    """The campaign's approved activities in the user's scope: counts by channel, reach, materials,
    online posts and views (one query). Drafts and returned records are not yet counted. The dashboard
    and the summary report read it too, with their period and unit filters; the report, which covers
    every unit, passes no user."""
    if campaign is None:
        return activity_totals(PublicityActivity.objects.none())
    everything = PublicityActivity.objects.all()
    activities = (everything if user is None else scope_to_user(everything, user)).filter(
        campaign=campaign, review_status=ReviewStatus.APPROVED
    )
    if date_from:
        activities = activities.filter(date__gte=date_from)
    if date_to:
        activities = activities.filter(date__lte=date_to)
    if unit_id:
        activities = activities.filter(unit_id=unit_id)
    return activity_totals(activities)


def publicity_progress_by_unit(*, user: Any, campaign: Campaign | None) -> list[dict[str, Any]]:
    """The same figures per unit, in one grouped query (units without approved activities are absent)."""
    if campaign is None:
        return []
    activities = scope_to_user(PublicityActivity.objects.all(), user).filter(
        campaign=campaign, review_status=ReviewStatus.APPROVED
    )
    sums = _activity_sums()
    rows = (
        activities.order_by()
        .values("unit_id", "unit__name", "unit__short_name", "unit__sort_order")
        .annotate(**sums)
        .order_by("unit__sort_order", "unit__name")
    )
    return [{key: (value or 0) if key in sums else value for key, value in row.items()} for row in rows]


# The metrics campaign targets may name (registered in PublicityConfig.ready); approved records only.


def _approved(campaign: Campaign) -> QuerySet[PublicityActivity]:
    return PublicityActivity.objects.filter(campaign=campaign, review_status=ReviewStatus.APPROVED)


def offline_activities_count(campaign: Campaign) -> int:
    return _approved(campaign).filter(channel__in=PublicityActivity.OFFLINE_CHANNELS).count()


def online_posts_count(campaign: Campaign) -> int:
    return _approved(campaign).filter(channel__in=PublicityActivity.ONLINE_CHANNELS).count()


def online_views_count(campaign: Campaign) -> int:
    total = (
        _approved(campaign)
        .filter(channel__in=PublicityActivity.ONLINE_CHANNELS)
        .aggregate(total=Sum("views"))["total"]
    )
    return int(total or 0)


def participants_count(campaign: Campaign) -> int:
    return int(_approved(campaign).aggregate(total=Sum("participants"))["total"] or 0)


def materials_count(campaign: Campaign) -> int:
    return int(_approved(campaign).aggregate(total=Sum("materials_distributed"))["total"] or 0)


def adopted_news_count(campaign: Campaign) -> int:
    """News items of the campaign adopted at least once (an item adopted by three outlets counts once)."""
    return NewsItem.objects.filter(
        Exists(Adoption.objects.filter(news_item=OuterRef("pk"))), campaign=campaign
    ).count()


# --- 信息报送 -----------------------------------------------------------------------------------------


def news_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    review_status: str = "",
    adopted: bool | None = None,
    unit_id: int | None = None,
    search: str = "",
) -> QuerySet[NewsItem]:
    queryset = scope_to_user(NewsItem.objects.all(), user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if review_status:
        queryset = queryset.filter(review_status=review_status)
    if adopted is not None:
        has_adoption = Exists(Adoption.objects.filter(news_item=OuterRef("pk")))
        queryset = queryset.filter(has_adoption if adopted else ~has_adoption)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return (
        queryset.select_related("unit", "activity", "created_by")
        .prefetch_related(Prefetch("adoptions", queryset=Adoption.objects.order_by("adopted_on", "pk")))
        .order_by("-created_at", "-pk")
    )


def news_get_for_user(*, user: Any, pk: Any) -> NewsItem:
    return get_for_user(
        NewsItem.objects.select_related("unit", "activity", "campaign", "created_by", "reviewed_by"),
        user,
        pk=pk,
    )


def adoptions_for(item: NewsItem) -> QuerySet[Adoption]:
    """The item's adoptions (the caller fetched the item through its scoped selector)."""
    return item.adoptions.select_related("recorded_by").order_by("adopted_on", "pk")


def adoption_list_for_user(*, user: Any) -> QuerySet[Adoption]:
    return scope_to_user(
        Adoption.objects.select_related("news_item", "news_item__unit", "recorded_by"),
        user,
        unit_field=Adoption.unit_scope_field,
    ).order_by("-adopted_on", "-pk")


def _count(queryset: QuerySet[Any], group_by: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset` per outer row, for annotating inside one query."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def news_ranking(*, campaign: Campaign | None) -> QuerySet[Unit]:
    """Offices (and any other unit that reported news) ranked by adopted items in the campaign, in one query.

    The ranking is the county-wide league table the bureau publishes, so it is not scoped: it shows
    counts per unit, never another unit's records.
    """
    if campaign is None:
        return Unit.objects.none()
    items = NewsItem.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    adoptions = Adoption.objects.filter(news_item__campaign=campaign, news_item__unit=OuterRef("pk"))
    has_adoption = Exists(Adoption.objects.filter(news_item=OuterRef("pk")))
    level_counts = {
        f"adopted_{level.value}": _count(adoptions.filter(level=level), "news_item__unit")
        for level in Adoption.Level
    }
    return (
        Unit.objects.filter(
            Q(kind=Unit.Kind.OFFICE, is_active=True)
            | Q(pk__in=NewsItem.objects.filter(campaign=campaign).values("unit"))
        )
        .annotate(
            submitted_items=_count(items.exclude(review_status=ReviewStatus.DRAFT), "unit"),
            approved_items=_count(items.filter(review_status=ReviewStatus.APPROVED), "unit"),
            adopted_items=_count(items.filter(has_adoption), "unit"),
            adoptions_total=_count(adoptions, "news_item__unit"),
            **level_counts,
        )
        .order_by("-adopted_items", "-adoptions_total", "-approved_items", "sort_order", "name")
    )


# --- 舆情 ----------------------------------------------------------------------------------------------


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


def incident_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    status: str = "",
    level_id: int | None = None,
    source: str = "",
    domain: str = "",
    timing: str = "",
    search: str = "",
    now: dt.datetime,
) -> QuerySet[OpinionIncident]:
    """Incidents of the user's scope. `timing`: "report_overdue" (not reported, window passed),
    "response_overdue" (no response, window passed) or "open"."""
    queryset = with_deadlines(
        scope_to_user(OpinionIncident.objects.all(), user, unit_field=OpinionIncident.unit_scope_field)
    )
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if status:
        queryset = queryset.filter(status=status)
    if level_id:
        queryset = queryset.filter(level_id=level_id)
    if source:
        queryset = queryset.filter(source=source)
    if domain:
        queryset = queryset.filter(domain=domain)
    if timing == "report_overdue":
        queryset = queryset.filter(Q(reported_to_county_at__isnull=True, report_due__lt=now))
    elif timing == "response_overdue":
        queryset = queryset.filter(Q(responded_at__isnull=True, response_due__lt=now))
    elif timing == "open":
        queryset = queryset.exclude(status=IncidentStatus.CLOSED)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(summary__icontains=search)
            | Q(involved_party__icontains=search)
            | Q(platform__icontains=search)
        )
    return queryset.select_related("level", "handling_unit").order_by("-discovered_at", "-pk")


def incident_get_for_user(*, user: Any, pk: Any) -> OpinionIncident:
    return get_for_user(
        OpinionIncident.objects.select_related("level", "handling_unit", "campaign", "created_by"),
        user,
        pk=pk,
        unit_field=OpinionIncident.unit_scope_field,
    )


def incident_counts(incidents: QuerySet[OpinionIncident], *, now: dt.datetime) -> dict[str, int]:
    """Open, closed and overdue counts over an already scoped (and deadline-annotated) queryset, in one query."""
    counts = incidents.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status=IncidentStatus.CLOSED)),
        closed=Count("pk", filter=Q(status=IncidentStatus.CLOSED)),
        report_overdue=Count("pk", filter=Q(reported_to_county_at__isnull=True, report_due__lt=now)),
        response_overdue=Count("pk", filter=Q(responded_at__isnull=True, response_due__lt=now)),
    )
    return {key: value or 0 for key, value in counts.items()}


def incidents_past_report_deadline(now: dt.datetime) -> QuerySet[OpinionIncident]:
    """Open incidents not yet reported to the county bureau whose report window has passed at `now`.

    Unscoped: for the escalation job (every 15 minutes), which alerts the bureau admin, and leadership
    too where the level says so (`level.alert_leadership`). Oldest first.
    """
    return (
        with_deadlines(OpinionIncident.objects.all())
        .filter(Q(reported_to_county_at__isnull=True, report_due__lt=now))
        .exclude(status=IncidentStatus.CLOSED)
        .select_related("level", "handling_unit")
        .order_by(F("report_due").asc(), "pk")
    )


def opinion_levels() -> QuerySet[OpinionLevel]:
    return OpinionLevel.objects.filter(is_active=True).order_by("rank", "pk")


def incident_level_status_counts(*, campaign: Campaign, unit_id: int | None = None) -> list[dict[str, Any]]:
    """Incidents by level and status for the campaign (one grouped query; the dashboard's 舆情 chart)."""
    incidents = OpinionIncident.objects.filter(campaign=campaign)
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
    *, campaign: Campaign, unit_id: int | None = None, limit: int = 5
) -> list[OpinionIncident]:
    """The newest incidents with their deadlines annotated (one query)."""
    incidents = with_deadlines(OpinionIncident.objects.filter(campaign=campaign))
    if unit_id:
        incidents = incidents.filter(handling_unit_id=unit_id)
    return list(incidents.select_related("level", "handling_unit").order_by("-discovered_at", "-pk")[:limit])
