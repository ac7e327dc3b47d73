from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DateInput
from evidence.forms import PhotoField
from microstations import selectors
from microstations.models import MicroStation, StationActivity


class StationActivityForm(forms.ModelForm):
    """An activity's fields; the model's clean() holds its rules (date in the campaign, volunteers not
    more than people reached) and the save service sets its unit and campaign from the station."""

    photos = PhotoField(
        label=_("现场照片"), required=False, help_text=_("可多选，最多 9 张；JPEG/PNG，每张不超过 15 MB")
    )

    class Meta:
        model = StationActivity
        fields = list(StationActivity.record_fields)
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        station_field.queryset = selectors.station_choices_for_user(user=user)
        for name in ("people_reached", "materials_distributed", "volunteers_present"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        # Most activities cost nothing: an empty 经费 is 0, not a missing answer.
        self.fields["cost"].required = False
        self.fields["cost"].widget.attrs.update({"min": 0, "step": "0.01", "inputmode": "decimal"})

    def clean_cost(self) -> Decimal:
        cost = self.cleaned_data.get("cost")
        return Decimal(0) if cost is None else cost


class StationStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("建设进度"), choices=MicroStation.Stage.choices)
    opened_on = forms.DateField(label=_("揭牌日期"), required=False, widget=DateInput())
