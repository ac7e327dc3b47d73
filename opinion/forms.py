"""Forms of the 舆情 desk. They validate; opinion.services sets the unit and campaign and saves."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evidence.forms import PhotoField
from opinion import selectors
from opinion.models import OpinionIncident
from publicity.forms import DateInput, DateTimeInput


class LevelChoiceField(forms.ModelChoiceField):
    """Levels with their clocks, so the office sees what the choice commits it to."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(name)s（%(report)s小时内报告县局，%(response)s小时内回应）") % {
            "name": obj.name,
            "report": obj.report_deadline_hours,
            "response": obj.response_deadline_hours,
        }


class OpinionIncidentForm(forms.ModelForm):
    photos = PhotoField(
        label=_("截图/照片"), required=False, help_text=_("可多选，最多 9 张；JPEG/PNG，每张不超过 15 MB")
    )

    class Meta:
        model = OpinionIncident
        fields = list(OpinionIncident.record_fields)
        field_classes = {"level": LevelChoiceField}
        widgets = {
            "discovered_at": DateTimeInput(),
            "reported_to_county_at": DateTimeInput(),
            "responded_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["level"]).queryset = selectors.opinion_levels()
        self.fields["reach"].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["url"].widget.attrs.update({"placeholder": "https://", "inputmode": "url"})
        if not self.instance.pk:
            self.initial.setdefault("discovered_by", str(user))
            self.initial.setdefault("discovered_at", timezone.localtime().replace(second=0, microsecond=0))


class IncidentAssessForm(forms.Form):
    """The assessment (研判意见) and planned actions, sent when an incident moves into handling."""

    assessment = forms.CharField(
        label=_("研判意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    actions = forms.CharField(
        label=_("处置措施"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class IncidentCloseForm(forms.Form):
    """What closing needs: the response and its time, the handling summary, and the closing date."""

    response = forms.CharField(label=_("回应内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    responded_at = forms.DateTimeField(label=_("回应时间"), widget=DateTimeInput())
    handling_summary = forms.CharField(
        label=_("办结情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    closed_on = forms.DateField(
        label=_("办结日期"), required=False, widget=DateInput(), help_text=_("留空为今天")
    )
