from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from notifications.models import Notification


def inbox_for_user(*, user: Any, unread_only: bool = False, search: str = "") -> QuerySet[Notification]:
    """A user's own messages: nobody reads another's inbox, whatever their role."""
    queryset = Notification.objects.filter(recipient=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if search:
        queryset = queryset.filter(subject__icontains=search)
    return queryset.order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unit_recipients(*, unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Every active user of each unit, whatever their role: a unit's message reaches all its people.

    Callers decide which units are told (notifications knows no campaign); webhooks of the unit are
    added by the digest itself.
    """
    recipients: dict[int, list[Any]] = defaultdict(list)
    users = get_user_model().objects.filter(unit_id__in=list(unit_ids), is_active=True).order_by("pk")
    for user in users:
        recipients[user.unit_id].append(user)  # type: ignore[index]  # filtered on unit above
    return dict(recipients)
