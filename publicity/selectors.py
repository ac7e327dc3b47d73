"""Scoped reads and aggregates of publicity activities, news items and their adoptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from campaigns.models import Campaign
from core.periods import period_q
from microstations.models import MicroStation
from organizations.access import get_for_user, scope_to_user
from organizations.models import Unit
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.facts import FactTotals
from records.lists import pending_count
from records.models import counted_q, pending_q

Channel = PublicityActivity.Channel

# --- Publicity activities --------------------------------------------------------------------------


def activity_list_for_user(*, user: Any) -> QuerySet[PublicityActivity]:
    """The user's scoped activities; publicity.filters.ActivityFilterSet narrows them for the list and the API."""
    return (
        scope_to_user(PublicityActivity.objects.all(), user)
        .select_related("unit", "station", "created_by")
        .order_by("-date", "-pk")
    )


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


def _activity_sums(only: Q | None = None) -> dict[str, Any]:
    """Counts and sums of activities, each limited to the rows `only` selects (e.g. the counted ones)."""
    base = only or Q()
    online = base & Q(channel__in=PublicityActivity.ONLINE_CHANNELS)
    return {
        "activities": Count("pk", filter=base),
        "offline": Count("pk", filter=base & Q(channel__in=PublicityActivity.OFFLINE_CHANNELS)),
        "online": Count("pk", filter=online),
        "participants": Sum("participants", filter=base),
        "materials": Sum("materials_distributed", filter=base),
        "consultations": Sum("consultations", filter=base),
        "posters": Sum("posters", filter=base),
        "weight_labels": Sum("phone_weight_labels", filter=base),
        "verifications": Sum("free_verifications", filter=base),
        "pledges": Sum("integrity_pledges", filter=base),
        "views": Sum("views", filter=online),
    }


def activity_totals(
    activities: QuerySet[PublicityActivity], *, facts: FactTotals | None = None
) -> dict[str, int]:
    """The official figures (approved activities only) over an already scoped and filtered queryset, and
    `pending`, the submitted ones awaiting review (shown beside as 待审核 N, never added in); one query.
    With `facts` (records.lists.list_facts of the same list) the figures are read from them (the count
    and sums per channel), and only `pending` is counted from the records."""
    if facts is not None:
        return _activity_facts(facts) | {"pending": pending_count(activities)}
    totals = activities.order_by().aggregate(
        **_activity_sums(counted_q()),
        pending=Count("pk", filter=pending_q()),
    )
    return {key: value or 0 for key, value in totals.items()}


def _activity_facts(facts: FactTotals) -> dict[str, int]:
    """`_activity_sums` of the counted activities, read from the facts (keyed by channel)."""
    label = PublicityActivity._meta.label_lower
    online, offline = PublicityActivity.ONLINE_CHANNELS, PublicityActivity.OFFLINE_CHANNELS
    sums = {
        "activities": facts.total(label, "count"),
        "offline": facts.total(label, "count", offline),
        "online": facts.total(label, "count", online),
        "participants": facts.total(label, "participants"),
        "materials": facts.total(label, "materials_distributed"),
        "consultations": facts.total(label, "consultations"),
        "posters": facts.total(label, "posters"),
        "weight_labels": facts.total(label, "phone_weight_labels"),
        "verifications": facts.total(label, "free_verifications"),
        "pledges": facts.total(label, "integrity_pledges"),
        "views": facts.total(label, "views", online),
    }
    return {key: int(value) for key, value in sums.items()}


def publicity_progress(
    *,
    user: Any,
    campaign: Campaign | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> dict[str, int]:
    """The campaign's counted (approved) activities in the user's scope: counts by channel, reach,
    materials, online posts and views, and `pending` beside them (one query). Drafts and returned
    records count nowhere. The dashboard and the summary report read it too, with their period and
    unit filters; the report, which covers every unit, passes no user."""
    if campaign is None:
        return activity_totals(PublicityActivity.objects.none())
    everything = PublicityActivity.objects.all()
    activities = (everything if user is None else scope_to_user(everything, user)).filter(
        period_q("date", date_from, date_to), campaign=campaign
    )
    if unit_id:
        activities = activities.filter(unit_id=unit_id)
    return activity_totals(activities)


def publicity_progress_by_unit(*, user: Any, campaign: Campaign | None) -> list[dict[str, Any]]:
    """The same figures per unit with their pending count, in one grouped query (units with neither
    counted nor pending activities are absent)."""
    if campaign is None:
        return []
    activities = scope_to_user(PublicityActivity.objects.all(), user).filter(
        Q(counted_q()) | Q(pending_q()), campaign=campaign
    )
    sums = {**_activity_sums(counted_q()), "pending": Count("pk", filter=pending_q())}
    rows = (
        activities.order_by()
        .values("unit_id", "unit__name", "unit__short_name", "unit__sort_order")
        .annotate(**sums)
        .order_by("unit__sort_order", "unit__name")
    )
    return [{key: (value or 0) if key in sums else value for key, value in row.items()} for row in rows]


# The metrics campaign targets may name (registered in PublicityConfig.ready); counted records only.


def _approved(campaign: Campaign) -> QuerySet[PublicityActivity]:
    return PublicityActivity.objects.counted().filter(campaign=campaign)


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
    """Approved news items of the campaign adopted at least once (an item adopted by three outlets
    counts once)."""
    return (
        NewsItem.objects.counted()
        .filter(Exists(Adoption.objects.filter(news_item=OuterRef("pk"))), campaign=campaign)
        .count()
    )


# --- 信息报送 -----------------------------------------------------------------------------------------


def news_list_for_user(*, user: Any) -> QuerySet[NewsItem]:
    """The user's scoped news items with their adoptions; publicity.filters.NewsFilterSet narrows them."""
    return (
        scope_to_user(NewsItem.objects.all(), user)
        .select_related("unit", "activity", "created_by")
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
    # Only approved items count, stated here too so the ranking cannot drift from counted().
    adoptions = Adoption.objects.filter(
        counted_q("news_item__"), news_item__campaign=campaign, news_item__unit=OuterRef("pk")
    )
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
            pending_items=_count(items.filter(pending_q()), "unit"),
            approved_items=_count(items.filter(counted_q()), "unit"),
            adopted_items=_count(items.filter(counted_q(), has_adoption), "unit"),
            adoptions_total=_count(adoptions, "news_item__unit"),
            **level_counts,
        )
        .order_by("-adopted_items", "-adoptions_total", "-approved_items", "sort_order", "name")
    )
