from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reports.models import Report

VIEW_PERMISSION = "reports.view_report"


def report_list_for_user(*, user: Any) -> QuerySet[Report]:
    """Reports cover every unit, so only those allowed to read all units' figures see them."""
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    return Report.objects.select_related("campaign", "requested_by").order_by("-created_at", "-pk")


def report_get_for_user(*, user: Any, pk: Any) -> Report:
    return get_object_or_404(report_list_for_user(user=user), pk=pk)
