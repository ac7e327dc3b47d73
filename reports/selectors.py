from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign
from core.periods import period_q
from evidence.models import Photo
from records.selectors import review_types
from reports.models import Report

VIEW_PERMISSION = "reports.view_report"


def report_list_for_user(*, user: Any) -> QuerySet[Report]:
    """Reports cover every unit, so only those allowed to read all units' figures see them."""
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    return Report.objects.select_related("campaign", "requested_by", "unit").order_by("-created_at", "-pk")


def report_get_for_user(*, user: Any, pk: Any) -> Report:
    return get_object_or_404(report_list_for_user(user=user), pk=pk)


def _in_report(
    records: Any,
    model: Any,
    campaign: Campaign,
    date_from: dt.date | None,
    date_to: dt.date | None,
    unit_id: int | None,
) -> Any:
    """Records of the report's campaign, period (by the type's record date, if it has one) and unit."""
    records = records.filter(campaign=campaign)
    if model.record_date_field:
        records = records.filter(period_q(model.record_date_field, date_from, date_to))
    if unit_id:
        records = records.filter(unit_id=unit_id)
    return records


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
        records = _in_report(model._default_manager.pending(), model, campaign, date_from, date_to, unit_id)
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


def report_photos(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
    limit: int = 4,
) -> list[Photo]:
    """The 工作总结's photos: from approved records of the report's scope only, captioned ones first,
    then the newest, at most one per record (one query)."""
    in_report = Q(pk__in=[])
    for model in review_types().values():
        records = _in_report(model._default_manager.counted(), model, campaign, date_from, date_to, unit_id)
        in_report |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=records.order_by().values("pk"),
        )
    captioned = Case(When(caption="", then=Value(1)), default=Value(0), output_field=IntegerField())
    candidates = Photo.objects.filter(in_report).order_by(captioned, "-uploaded_at", "-pk")[: limit * 5]
    chosen: list[Photo] = []
    seen: set[tuple[int, int]] = set()
    for photo in candidates:
        if (photo.content_type_id, photo.object_id) in seen:
            continue
        seen.add((photo.content_type_id, photo.object_id))
        chosen.append(photo)
        if len(chosen) == limit:
            break
    return chosen
