from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DateInput
from campaigns.models import Campaign
from organizations.models import Unit


class DashboardFilterForm(forms.Form):
    """Everything is in the URL, so a filtered view can be shared as a link."""

    campaign = forms.ModelChoiceField(
        label=_("活动"), queryset=Campaign.objects.order_by("-year"), required=False
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.filter(assignments__isnull=False).distinct().order_by("sort_order", "name"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned
