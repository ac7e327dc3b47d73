"""The filters of the station and activity lists, shared by the workbench pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from microstations.models import MicroStation, StationActivity
from microstations.selectors import station_choices_for_user, stations_registered_by
from records.filters import RecordFilterSet


def station_choices(request: Any) -> QuerySet[MicroStation]:
    """The stations a user may pick in a filter (activities', volunteers'): an out-of-scope id is an
    invalid choice, never a filter."""
    if request is None:
        return MicroStation.objects.none()
    return station_choices_for_user(user=request.user)


class StationFilterSet(django_filters.FilterSet):
    """Stations are not submitted records (no review), so this is a plain FilterSet."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    # Stations are a standing registry: a year lists the stations already entered by then, not only
    # those entered under that year's campaign (microstations.selectors.stations_registered_by).
    campaign = django_filters.ModelChoiceFilter(
        label=_("活动年度"),
        queryset=Campaign.objects.order_by("-year"),
        empty_label=_("全部年度"),
        method="filter_campaign",
    )
    stage = django_filters.ChoiceFilter(label=_("建设进度"), choices=MicroStation.Stage.choices)
    station_type = django_filters.ChoiceFilter(label=_("场所类型"), choices=MicroStation.StationType.choices)
    township = django_filters.CharFilter(label=_("乡镇/街道"))
    focus_area = django_filters.ChoiceFilter(label=_("宣传重点区域"), choices=MicroStation.FocusArea.choices)

    class Meta:
        model = MicroStation
        fields = ["q", "campaign", "stage", "station_type", "township", "focus_area"]

    def filter_campaign(
        self, queryset: QuerySet[MicroStation], name: str, value: Campaign | None
    ) -> QuerySet[MicroStation]:
        return queryset if value is None else stations_registered_by(queryset, value)

    def filter_search(
        self, queryset: QuerySet[MicroStation], name: str, value: str
    ) -> QuerySet[MicroStation]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(host_name__icontains=value)
            | Q(address__icontains=value)
            | Q(plaque_no__icontains=value)
        )


class ActivityFilterSet(RecordFilterSet):
    search_fields = ("title", "summary")

    station = django_filters.ModelChoiceFilter(label=_("微站"), queryset=station_choices)
    topic = django_filters.ChoiceFilter(label=_("主题"), choices=StationActivity.Topic.choices)

    class Meta:
        model = StationActivity
        fields = ["q", "campaign", "unit", "station", "topic", "review_status", "date_from", "date_to"]
