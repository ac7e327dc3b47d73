"""The filters of the station and activity lists, shared by the workbench pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from microstations.models import MicroStation, StationActivity
from microstations.selectors import station_choices_for_user
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
    campaign = django_filters.ModelChoiceFilter(label=_("活动"), queryset=Campaign.objects.order_by("-year"))
    stage = django_filters.ChoiceFilter(label=_("建设进度"), choices=MicroStation.Stage.choices)
    station_type = django_filters.ChoiceFilter(label=_("场所类型"), choices=MicroStation.StationType.choices)
    township = django_filters.CharFilter(label=_("乡镇/街道"))
    focus_area = django_filters.ChoiceFilter(label=_("宣传重点区域"), choices=MicroStation.FocusArea.choices)

    class Meta:
        model = MicroStation
        fields = ["q", "campaign", "stage", "station_type", "township", "focus_area"]

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


class StationPageFilterSet(StationFilterSet):
    """The workbench page lists the current campaign's stations (its targets are that campaign's), so it
    offers no campaign choice; the API keeps it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("campaign", None)
        self.form.fields.pop("campaign", None)
