from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from campaigns.models import Campaign
from organizations.access import get_for_user, scope_to_user
from volunteers.models import Volunteer


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
