"""Forms of the publicity workbench. They validate; records.services sets the unit and campaign and saves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evidence.forms import PhotoField
from organizations.access import scopes_as_cooperator
from publicity import selectors
from publicity.fields import HttpUrlFormField
from publicity.models import (
    REQUIRED_ONLINE,
    Adoption,
    NewsItem,
    PublicityActivity,
)

COUNTERS = (
    "volunteers_present",
    "participants",
    "materials_distributed",
    "consultations",
    "posters",
    "phone_weight_labels",
    "free_verifications",
    "integrity_pledges",
    "views",
)


class DateInput(forms.DateInput):
    """The phone's date picker. It reads and writes ISO dates only, whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The phone's date-and-time picker; Django reads the value in Asia/Shanghai."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _photos(label: Any) -> PhotoField:
    return PhotoField(
        label=label, required=False, help_text=_("可多选，最多 9 张；JPEG/PNG，每张不超过 15 MB")
    )


class PublicityActivityForm(forms.ModelForm):
    photos = _photos(_("现场照片/作品截图"))

    # Shown as fieldsets so that a long form stays readable on a phone.
    SECTIONS = [
        (_("基本情况"), ["title", "date", "channel", "form", "summary"]),
        (
            _("线下活动（线下、融合宣传填写）"),
            [
                "venue_type",
                "venue",
                "station",
                "partner_units",
                "partner_note",
                "volunteers_present",
                "volunteer_names",
            ],
        ),
        (
            _("宣传成效"),
            [
                "participants",
                "materials_distributed",
                "consultations",
                "posters",
                "phone_weight_labels",
                "free_verifications",
                "integrity_pledges",
            ],
        ),
        (_("线上作品（线上、融合宣传填写）"), ["platform", "post_format", "url", "views"]),
        (_("经费"), ["cost"]),
        (_("照片"), ["photos"]),
    ]

    class Meta:
        model = PublicityActivity
        fields = list(PublicityActivity.record_fields)
        widgets = {
            "date": DateInput(),
            "partner_units": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station = _choice_field(self, "station")
        station.queryset = selectors.station_choices_for_user(user=user)
        if scopes_as_cooperator(user):
            # A 协办单位's activity is held at a station it hosts: that is whose activity it is.
            station.required = True
            station.help_text = _("选择本单位承建的微站；活动由该微站的联系市场监管所审核")
        partners = _choice_field(self, "partner_units")
        partners.queryset = selectors.partner_unit_choices().exclude(pk=user.unit_id)
        for name in COUNTERS:
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["url"].widget.attrs.update({"placeholder": "https://", "inputmode": "url"})
        # Most activities cost nothing: an empty 经费 is 0, not a missing answer.
        self.fields["cost"].required = False
        self.fields["cost"].widget.attrs.update({"min": 0, "step": "0.01", "inputmode": "decimal"})

    def clean_cost(self) -> Decimal:
        cost = self.cleaned_data.get("cost")
        return Decimal(0) if cost is None else cost

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]

    def full_clean(self) -> None:
        super().full_clean()
        # The model cannot tell an empty link from one this form already refused as malformed: where a
        # field has its own error, its "required for online activities" error would only confuse.
        for name, messages in list(self.errors.items()):
            errors = messages.as_data()
            if len(errors) > 1:
                kept = [e for e in errors if e.code != REQUIRED_ONLINE]
                self.errors[name] = self.error_class(kept, renderer=self.renderer)


class NewsItemForm(forms.ModelForm):
    photos = _photos(_("配图"))

    class Meta:
        model = NewsItem
        fields = list(NewsItem.record_fields)
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "activity").queryset = selectors.activity_choices_for_user(user=user)


class AdoptionForm(forms.Form):
    """One adoption as the bureau records it; the service checks it against its (locked) news item."""

    level = forms.ChoiceField(label=_("采用级别"), choices=Adoption.Level.choices)
    outlet = forms.CharField(
        label=_("采用媒体/平台"),
        max_length=100,
        help_text=_("如：巫山县人民政府网、重庆市市场监管局微信公众号"),
    )
    url = HttpUrlFormField(
        label=_("链接"),
        max_length=500,
        required=False,
        help_text=_("网络采用填写链接；报刊采用可不填"),
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    adopted_on = forms.DateField(label=_("采用日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("adopted_on", timezone.localdate())
