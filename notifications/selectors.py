from __future__ import annotations

from typing import Any

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
