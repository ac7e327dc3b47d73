"""The filter sets of publicity activities and news items: one per record type, used by the list
pages and the API alike."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from microstations.models import MicroStation
from organizations.access import scope_to_user
from publicity.forms import DateInput
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.filters import RecordFilterSet


def _stations(request: Any) -> QuerySet[MicroStation]:
    if request is None:
        return MicroStation.objects.none()
    return scope_to_user(
        MicroStation.objects.all(), request.user, unit_field=MicroStation.unit_scope_field
    ).order_by("township", "name", "pk")


def _activities(request: Any) -> QuerySet[PublicityActivity]:
    if request is None:
        return PublicityActivity.objects.none()
    return scope_to_user(PublicityActivity.objects.all(), request.user).order_by("-date", "-pk")


class ActivityFilterSet(RecordFilterSet):
    search_fields = ("title", "venue", "summary")

    channel = django_filters.ChoiceFilter(label=_("宣传渠道"), choices=PublicityActivity.Channel.choices)
    form = django_filters.ChoiceFilter(label=_("活动形式"), choices=PublicityActivity.Form.choices)
    station = django_filters.ModelChoiceFilter(label=_("依托微站"), queryset=_stations)
    # The phone's date picker, as on the forms.
    date_from = django_filters.DateFilter(
        label=_("开始日期"), field_name="date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("结束日期"), field_name="date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = PublicityActivity
        fields = [
            "q",
            "campaign",
            "channel",
            "form",
            "venue_type",
            "platform",
            "station",
            "review_status",
            "unit",
            "date_from",
            "date_to",
        ]


class NewsFilterSet(RecordFilterSet):
    search_fields = ("title", "body")

    adopted = django_filters.ChoiceFilter(
        label=_("采用情况"), choices=[("1", _("已被采用")), ("0", _("未被采用"))], method="filter_adopted"
    )
    # Reached by a link from an activity (?activity=<id>): a <select> of every activity in scope would
    # grow with the data (tens of thousands of options), so the page carries the id, not the list.
    activity = django_filters.ModelChoiceFilter(
        label=_("相关宣传活动"), queryset=_activities, widget=forms.HiddenInput
    )
    # An item is dated by when it was written.
    date_from = django_filters.DateFilter(
        label=_("开始日期"), field_name="created_at__date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("结束日期"), field_name="created_at__date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = NewsItem
        fields = ["q", "campaign", "review_status", "adopted", "unit", "activity", "date_from", "date_to"]

    def filter_adopted(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value not in ("1", "0"):
            return queryset
        has_adoption = Exists(Adoption.objects.filter(news_item=OuterRef("pk")))
        return queryset.filter(has_adoption if value == "1" else ~has_adoption)
