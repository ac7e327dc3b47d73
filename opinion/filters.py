"""The one filter set of 舆情 incidents, used by the list page and the API alike."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from opinion.models import OpinionIncident, OpinionLevel
from opinion.selectors import report_overdue_q, response_overdue_q
from organizations.access import scope_to_user, sees_all_units
from organizations.models import Unit


def _units(request: Any) -> QuerySet[Unit]:
    if request is None:
        return Unit.objects.none()
    return scope_to_user(Unit.objects.filter(is_active=True), request.user, unit_field="pk").order_by(
        "sort_order", "name"
    )


class IncidentFilterSet(django_filters.FilterSet):
    """Incidents are not reviewed records, so this is not a RecordFilterSet: they are filtered by their
    handling state and clocks instead. The queryset must come from incident_list_for_user (deadlines
    annotated)."""

    TIMING_CHOICES = [
        ("open", _("未办结")),
        ("report_overdue", _("逾期未报告县局")),
        ("response_overdue", _("逾期未回应")),
    ]
    search_fields = ("title", "summary", "involved_party", "platform")

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    campaign = django_filters.ModelChoiceFilter(label=_("活动"), queryset=Campaign.objects.order_by("-year"))
    status = django_filters.ChoiceFilter(label=_("处置状态"), choices=OpinionIncident.Status.choices)
    level = django_filters.ModelChoiceFilter(
        label=_("舆情级别"), queryset=OpinionLevel.objects.filter(is_active=True).order_by("rank", "pk")
    )
    source = django_filters.ChoiceFilter(label=_("舆情来源"), choices=OpinionIncident.Source.choices)
    domain = django_filters.ChoiceFilter(label=_("涉及领域"), choices=OpinionIncident.Domain.choices)
    sentiment = django_filters.ChoiceFilter(label=_("情感倾向"), choices=OpinionIncident.Sentiment.choices)
    handling_unit = django_filters.ModelChoiceFilter(label=_("处置单位"), queryset=_units)
    timing = django_filters.ChoiceFilter(label=_("时限"), choices=TIMING_CHOICES, method="filter_timing")

    class Meta:
        model = OpinionIncident
        fields = [
            "q",
            "campaign",
            "status",
            "level",
            "source",
            "domain",
            "sentiment",
            "handling_unit",
            "timing",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None and not sees_all_units(self.request.user):
            # An office handles its own unit's incidents only: the choice would be noise.
            self.filters.pop("handling_unit", None)
            self.form.fields.pop("handling_unit", None)

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    def filter_timing(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        now = timezone.now()
        if value == "report_overdue":
            return queryset.filter(report_overdue_q(now))
        if value == "response_overdue":
            return queryset.filter(response_overdue_q(now))
        if value == "open":
            return queryset.exclude(status=OpinionIncident.Status.CLOSED)
        return queryset
