from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from campaigns.models import Campaign
from organizations.access import get_for_user, scope_to_user
from records.models import counted_q, pending_q
from volunteers.models import Volunteer, VolunteerAct


def volunteer_list_for_user(*, user: Any, campaign: Campaign | None = None) -> QuerySet[Volunteer]:
    """The user's volunteers; list filters are volunteers.filters.VolunteerFilterSet's."""
    queryset = scope_to_user(Volunteer.objects.all(), user, unit_field=Volunteer.unit_scope_field)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset.select_related("station", "station__supervising_unit").order_by(
        "station__name", "name", "pk"
    )


def volunteer_get_for_user(*, user: Any, pk: Any) -> Volunteer:
    return get_for_user(
        Volunteer.objects.select_related("station", "station__supervising_unit", "campaign"),
        user,
        pk=pk,
        unit_field=Volunteer.unit_scope_field,
    )


def volunteers_recruited_count(campaign: Campaign) -> int:
    return Volunteer.objects.filter(campaign=campaign, is_active=True).count()


def volunteer_counts(volunteers: QuerySet[Volunteer]) -> dict[str, int]:
    """Active volunteers by kind over an already scoped queryset, in one query."""
    counts = volunteers.order_by().aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        publicists=Count("pk", filter=Q(is_active=True, kind=Volunteer.Kind.PUBLICIST)),
        juniors=Count("pk", filter=Q(is_active=True, kind=Volunteer.Kind.JUNIOR)),
    )
    return {key: value or 0 for key, value in counts.items()}


def volunteer_summary(*, campaign: Campaign, unit_id: int | None = None) -> dict[str, int]:
    """Active volunteers by kind (one query); the dashboard and the report share it."""
    volunteers = Volunteer.objects.filter(campaign=campaign)
    if unit_id:
        volunteers = volunteers.filter(station__supervising_unit_id=unit_id)
    return volunteer_counts(volunteers)


def volunteer_acts(*, volunteer: Volunteer) -> QuerySet[VolunteerAct]:
    """A volunteer's own acts, newest first: what their self-service page lists (no scoping: the link
    already names the volunteer)."""
    return VolunteerAct.objects.filter(volunteer=volunteer).order_by("-date", "-pk")


def volunteer_service_totals(*, volunteer: Volunteer) -> dict[str, Any]:
    """Approved acts, hours and people (the official figures), and how many acts await review."""
    totals = VolunteerAct.objects.filter(volunteer=volunteer).aggregate(
        acts=Count("pk", filter=counted_q()),
        hours=Sum("hours", filter=counted_q()),
        people=Sum("people_reached", filter=counted_q()),
        pending=Count("pk", filter=pending_q()),
    )
    return {
        "acts": totals["acts"] or 0,
        "hours": totals["hours"] or Decimal(0),
        "people": totals["people"] or 0,
        "pending": totals["pending"] or 0,
    }


def volunteer_links(*, volunteer: Volunteer) -> QuerySet[Any]:
    return volunteer.links.select_related("issued_by").order_by("-issued_at", "-pk")


def act_get_for_user(*, user: Any, pk: Any) -> VolunteerAct:
    return get_for_user(
        VolunteerAct.objects.select_related("volunteer", "unit", "campaign", "created_by", "reviewed_by"),
        user,
        pk=pk,
    )
