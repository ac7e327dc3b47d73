from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, QuerySet, Value
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from records.selectors import review_types
from reports.models import Report

VIEW_PERMISSION = "reports.view_report"


def report_list_for_user(*, user: Any) -> QuerySet[Report]:
    """Reports cover every unit, so only those allowed to read all units' figures see them."""
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    return Report.objects.select_related("campaign", "requested_by").order_by("-created_at", "-pk")


def report_get_for_user(*, user: Any, pk: Any) -> Report:
    return get_object_or_404(report_list_for_user(user=user), pk=pk)


def pending_by_type(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> dict[str, int]:
    """Submitted records awaiting review, by record type ("app_label.model_name"), in one query.

    Shown beside the official figures (待审核 N) on the dashboard and in the workbook, never added in.
    A type without a record date (e.g. news items) is counted whatever the period.
    """
    parts = []
    for key, model in review_types().items():
        records = model._default_manager.pending().filter(campaign=campaign)
        date_field = model.record_date_field
        if date_field and date_from:
            records = records.filter(**{f"{date_field}__gte": date_from})
        if date_field and date_to:
            records = records.filter(**{f"{date_field}__lte": date_to})
        if unit_id:
            records = records.filter(unit_id=unit_id)
        parts.append(
            records.order_by()
            .annotate(kind=Value(key, output_field=CharField()))
            .values("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
    counts = dict.fromkeys(review_types(), 0)
    if parts:
        first, *rest = parts
        counts.update(dict(first.union(*rest, all=True) if rest else first))
    return counts
