from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DateInput
from campaigns.models import Campaign


class ReportRequestForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("活动"), queryset=Campaign.objects.order_by("-year"))
    date_from = forms.DateField(label=_("统计起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("统计截止日期"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned
