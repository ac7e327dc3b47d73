from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DateInput
from campaigns.models import Campaign
from organizations.models import Unit
from reports.models import Report


class ReportRequestForm(forms.Form):
    """What a report covers: the dashboard's filters (campaign, period, unit) and the file's format.

    The dashboard links here with its filters in the query string (`initial_from`), so a leader asks
    for exactly the figures on the screen.
    """

    campaign = forms.ModelChoiceField(label=_("活动"), queryset=Campaign.objects.order_by("-year"))
    date_from = forms.DateField(label=_("统计起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("统计截止日期"), required=False, widget=DateInput())
    unit = forms.ModelChoiceField(
        label=_("统计单位"),
        queryset=Unit.objects.order_by("sort_order", "name"),
        required=False,
        empty_label=_("全部单位"),
    )
    format = forms.ChoiceField(
        label=_("格式"), choices=Report.Format.choices, initial=Report.Format.XLSX, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        if "format" in cleaned:
            cleaned["format"] = cleaned["format"] or Report.Format.XLSX  # forms made before .docx existed
        return cleaned

    @classmethod
    def initial_from(cls, query: Any, *, campaign: Campaign | None) -> dict[str, Any]:
        """Initial values from a link's query string; a value that does not parse is left out."""
        initial: dict[str, Any] = {"campaign": campaign}
        bound = cls(query)
        bound.is_valid()
        for name in ("campaign", "date_from", "date_to", "unit", "format"):
            if query.get(name) and name not in bound.errors and bound.cleaned_data.get(name):
                initial[name] = bound.cleaned_data[name]
        return initial
