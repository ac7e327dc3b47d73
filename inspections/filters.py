"""The one filter set of inspection records, for the list page and the API alike."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from inspections.models import Domain, FollowUpStatus, InspectionRecord
from records.filters import RecordFilterSet


class InspectionFilterSet(RecordFilterSet):
    """campaign, unit, review status, date range and `q` (from the record kit), plus the domain, the
    follow-up status, the inspected party and one exact day (which the API offered before)."""

    search_fields = (
        "inspected_party__name",
        "market__name",
        "inspectors",
        "rectification_notice_no",
        "case_no",
        "findings",
    )

    domain = django_filters.ChoiceFilter(label=_("检查领域"), choices=Domain.choices)
    follow_up_status = django_filters.ChoiceFilter(label=_("处理状态"), choices=FollowUpStatus.choices)
    # API filters (by id, one exact day); the list page does not render them (see API_ONLY_FILTERS).
    inspected_party = django_filters.ModelChoiceFilter(
        label=_("被检查单位"), queryset=Enterprise.objects.all()
    )
    date = django_filters.DateFilter(label=_("检查日期"))

    class Meta:
        model = InspectionRecord
        fields = [
            "q",
            "domain",
            "follow_up_status",
            "review_status",
            "campaign",
            "unit",
            "date_from",
            "date_to",
            "inspected_party",
            "date",
        ]


# Filters the API offers that the page's form leaves out (a select of every enterprise is noise there).
API_ONLY_FILTERS = ("inspected_party", "date")
