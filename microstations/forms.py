from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DateInput
from evidence.forms import PhotoField
from microstations import selectors
from microstations.models import MicroStation, StationActivity
from records.models import ReviewStatus


class StationActivityForm(forms.ModelForm):
    """Validates an activity; the service sets its unit and campaign from the chosen station."""

    photos = PhotoField(
        label=_("现场照片"), required=False, help_text=_("可多选，最多 9 张；JPEG/PNG，每张不超过 15 MB")
    )

    class Meta:
        model = StationActivity
        fields = [
            "station",
            "date",
            "topic",
            "title",
            "people_reached",
            "materials_distributed",
            "volunteers_present",
            "summary",
        ]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        station_field.queryset = selectors.station_list_for_user(user=user)
        for name in ("people_reached", "materials_distributed", "volunteers_present"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        people, volunteers = cleaned.get("people_reached"), cleaned.get("volunteers_present")
        if people is not None and volunteers is not None and volunteers > people:
            self.add_error("volunteers_present", _("参加的宣传员人数不能多于覆盖人数。"))
        return cleaned


class StationFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("建设进度"), choices=[("", _("全部")), *MicroStation.Stage.choices], required=False
    )
    station_type = forms.ChoiceField(
        label=_("场所类型"), choices=[("", _("全部")), *MicroStation.StationType.choices], required=False
    )
    township = forms.CharField(label=_("乡镇/街道"), required=False, max_length=50)


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    station = forms.ModelChoiceField(label=_("微站"), queryset=MicroStation.objects.none(), required=False)
    topic = forms.ChoiceField(
        label=_("主题"), choices=[("", _("全部")), *StationActivity.Topic.choices], required=False
    )
    review_status = forms.ChoiceField(
        label=_("审核状态"), choices=[("", _("全部")), *ReviewStatus.choices], required=False
    )
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        station_field.queryset = selectors.station_list_for_user(user=user)


class StationStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("建设进度"), choices=MicroStation.Stage.choices)
    opened_on = forms.DateField(label=_("揭牌日期"), required=False, widget=DateInput())
