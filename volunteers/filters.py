"""The volunteer list's filters, shared by the workbench page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from microstations.filters import station_choices
from volunteers.models import Volunteer


class VolunteerFilterSet(django_filters.FilterSet):
    """Volunteers are registered, not reviewed, so this is a plain FilterSet."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    campaign = django_filters.ModelChoiceFilter(label=_("活动"), queryset=Campaign.objects.order_by("-year"))
    station = django_filters.ModelChoiceFilter(label=_("微站"), queryset=station_choices)
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Volunteer.Kind.choices)
    group = django_filters.ChoiceFilter(label=_("群体"), choices=Volunteer.Group.choices)
    # "true"/"false", as the API has always taken it; the page shows the words.
    is_active = django_filters.ChoiceFilter(
        label=_("在岗"), choices=[("true", _("在岗")), ("false", _("不在岗"))], method="filter_active"
    )

    class Meta:
        model = Volunteer
        fields = ["q", "campaign", "station", "kind", "group", "is_active"]

    def filter_active(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet[Volunteer]:
        return queryset.filter(is_active=value == "true")

    def filter_search(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet[Volunteer]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(number__icontains=value)
            | Q(work_unit__icontains=value)
            | Q(certificate_no__icontains=value)
        )


class VolunteerPageFilterSet(VolunteerFilterSet):
    """The workbench page lists the current campaign's volunteers, so it offers no campaign choice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("campaign", None)
        self.form.fields.pop("campaign", None)
