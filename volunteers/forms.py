from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.forms import PhotoField
from microstations.forms import DateInput
from microstations.selectors import station_choices_for_user
from organizations.privacy import mask_phone
from volunteers.models import Volunteer, VolunteerAct


class VolunteerForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = list(Volunteer.editable_fields)
        widgets = {"recruited_on": DateInput()}
        help_texts = {"guardian_name": _("小小宣传员和中小学生（未成年人）必填，并须取得监护人同意")}

    PHONE_FIELDS = ("phone", "guardian_phone")

    def __init__(self, *args: Any, user: Any, mask_phones: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        station_field.queryset = station_choices_for_user(user=user)
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
        # The guardian rules are the model's (Volunteer.clean), which the form runs after this.
        cleaned = super().clean() or {}
        for name in self.kept_phones:
            if not cleaned.get(name) and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class VolunteerActForm(forms.ModelForm):
    """A publicity act as a volunteer logs it through their link; the model and the record kit hold
    the rules (date inside the campaign and not in the future, hours 0.5–12)."""

    photos = PhotoField(
        label=_("宣传照片"), required=False, max_files=3, help_text=_("可选，最多 3 张；JPEG/PNG")
    )

    class Meta:
        model = VolunteerAct
        fields = ["date", "place", "description", "people_reached", "hours"]
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people_reached"].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["hours"].widget.attrs.update(
            {"min": "0.5", "max": "12", "step": "0.5", "inputmode": "decimal"}
        )
