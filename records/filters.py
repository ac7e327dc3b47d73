"""The filters every submitted-record list shares, for the workbench page and the API alike.

Each record type declares one FilterSet (subclassing RecordFilterSet); its list view and its API
viewset both use it, so the two cannot filter the same field by different rules.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from organizations.access import scope_to_user, sees_all_units
from organizations.models import Unit
from records.models import ReviewStatus


def _units(request: Any) -> QuerySet[Unit]:
    if request is None:
        return Unit.objects.none()
    return scope_to_user(Unit.objects.filter(is_active=True), request.user, unit_field="pk").order_by(
        "sort_order", "name"
    )


class RecordFilterSet(django_filters.FilterSet):
    """campaign, unit (for those who see several), review status, a date range and a free-text `q`
    over `search_fields`."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(label=_("关键词"), method="filter_search")
    campaign = django_filters.ModelChoiceFilter(label=_("活动"), queryset=Campaign.objects.order_by("-year"))
    unit = django_filters.ModelChoiceFilter(label=_("填报单位"), queryset=_units)
    review_status = django_filters.ChoiceFilter(label=_("审核状态"), choices=ReviewStatus.choices)
    date_from = django_filters.DateFilter(label=_("开始日期"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("结束日期"), field_name="date", lookup_expr="lte")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None and not sees_all_units(self.request.user):
            # An office sees one unit: the choice would be noise.
            self.filters.pop("unit", None)
            self.form.fields.pop("unit", None)

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition) if value.strip() and self.search_fields else queryset
