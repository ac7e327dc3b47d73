from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from microstations.forms import DateInput
from microstations.selectors import station_list_for_user
from organizations.privacy import mask_phone
from volunteers.models import Volunteer


class VolunteerForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = [
            "station",
            "name",
            "kind",
            "group",
            "gender",
            "phone",
            "work_unit",
            "recruited_on",
            "certificate_no",
            "is_active",
            "guardian_name",
            "guardian_phone",
            "guardian_consent",
        ]
        widgets = {"recruited_on": DateInput()}
        help_texts = {"guardian_name": _("小小宣传员（未成年人）必填，并须取得监护人同意")}

    PHONE_FIELDS = ("phone", "guardian_phone")

    def __init__(self, *args: Any, user: Any, mask_phones: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        station_field.queryset = station_list_for_user(user=user)
        # Whoever may only see phone numbers masked never receives them whole, not even in a form:
        # the field starts empty, shows the masked number, and an empty answer keeps the number.
        self.kept_phones: set[str] = set()
        for name in self.PHONE_FIELDS:
            field = self.fields[name]
            field.widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
            stored = getattr(self.instance, name, "")
            if mask_phones and self.instance.pk and stored:
                self.initial[name] = ""
                field.required = False
                field.widget.attrs["placeholder"] = f"{mask_phone(stored)}（留空则不修改）"
                self.kept_phones.add(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.kept_phones:
            if not cleaned.get(name) and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        if cleaned.get("kind") == Volunteer.Kind.JUNIOR:
            if not cleaned.get("guardian_name"):
                self.add_error("guardian_name", _("小小宣传员须填写监护人姓名。"))
            if not cleaned.get("guardian_phone"):
                self.add_error("guardian_phone", _("小小宣传员须填写监护人电话。"))
            if not cleaned.get("guardian_consent"):
                self.add_error("guardian_consent", _("小小宣传员须取得监护人同意。"))
        return cleaned


class VolunteerFilterForm(forms.Form):
    ACTIVE_CHOICES = [("", _("全部")), ("1", _("在岗")), ("0", _("不在岗"))]

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    station = forms.ModelChoiceField(label=_("微站"), queryset=Volunteer.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部")), *Volunteer.Kind.choices], required=False
    )
    group = forms.ChoiceField(
        label=_("群体"), choices=[("", _("全部")), *Volunteer.Group.choices], required=False
    )
    active = forms.ChoiceField(label=_("在岗"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        station_field.queryset = station_list_for_user(user=user)
