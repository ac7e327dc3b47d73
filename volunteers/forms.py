from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from microstations.forms import DateInput
from microstations.selectors import station_choices_for_user
from organizations.privacy import mask_phone
from volunteers.models import Volunteer


class VolunteerForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = list(Volunteer.editable_fields)
        widgets = {"recruited_on": DateInput()}
        help_texts = {"guardian_name": _("小小宣传员（未成年人）必填，并须取得监护人同意")}

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
