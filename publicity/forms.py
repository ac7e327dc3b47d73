"""Forms of the publicity workbench. They validate; the services set the unit and campaign and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evidence.forms import PhotoField
from organizations.access import sees_all_units
from organizations.models import Unit
from publicity import selectors
from publicity.fields import HttpUrlFormField
from publicity.models import (
    REQUIRED_ONLINE,
    Adoption,
    NewsItem,
    OpinionIncident,
    OpinionLevel,
    PublicityActivity,
)
from records.models import ReviewStatus

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
        (_("照片"), ["photos"]),
    ]

    class Meta:
        model = PublicityActivity
        fields = [
            "title",
            "date",
            "channel",
            "form",
            "venue_type",
            "venue",
            "station",
            "partner_units",
            "partner_note",
            "volunteers_present",
            "volunteer_names",
            "participants",
            "materials_distributed",
            "consultations",
            "posters",
            "phone_weight_labels",
            "free_verifications",
            "integrity_pledges",
            "platform",
            "post_format",
            "url",
            "views",
            "summary",
        ]
        widgets = {
            "date": DateInput(),
            "partner_units": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "station").queryset = selectors.station_choices_for_user(user=user)
        partners = _choice_field(self, "partner_units")
        partners.queryset = selectors.partner_unit_choices().exclude(pk=user.unit_id)
        for name in COUNTERS:
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["url"].widget.attrs.update({"placeholder": "https://", "inputmode": "url"})

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
        fields = ["title", "body", "activity"]
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


class LevelChoiceField(forms.ModelChoiceField):
    """Levels with their clocks, so the office sees what the choice commits it to."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(name)s（%(report)s小时内报告县局，%(response)s小时内回应）") % {
            "name": obj.name,
            "report": obj.report_deadline_hours,
            "response": obj.response_deadline_hours,
        }


class OpinionIncidentForm(forms.ModelForm):
    photos = _photos(_("截图/照片"))

    class Meta:
        model = OpinionIncident
        fields = [
            "title",
            "discovered_at",
            "discovered_by",
            "source",
            "platform",
            "url",
            "summary",
            "domain",
            "involved_party",
            "reach",
            "sentiment",
            "level",
            "assessment",
            "actions",
            "reported_to_county_at",
            "response",
            "responded_at",
        ]
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
        _choice_field(self, "level").queryset = selectors.opinion_levels()
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


# --- List filters ------------------------------------------------------------------------------------


def _all_choice(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


class UnitFilterMixin:
    """A unit filter for those who see every unit; offices see only their own unit anyway."""

    def _setup_unit_filter(self, user: Any) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if sees_all_units(user):
            unit_field = cast(forms.ModelChoiceField, fields["unit"])
            unit_field.queryset = Unit.objects.filter(is_active=True).order_by("sort_order", "name")
        else:
            del fields["unit"]


class ActivityFilterForm(UnitFilterMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    channel = forms.ChoiceField(
        label=_("宣传渠道"), choices=_all_choice(PublicityActivity.Channel.choices), required=False
    )
    form = forms.ChoiceField(
        label=_("活动形式"), choices=_all_choice(PublicityActivity.Form.choices), required=False
    )
    review_status = forms.ChoiceField(
        label=_("审核状态"), choices=_all_choice(ReviewStatus.choices), required=False
    )
    unit = forms.ModelChoiceField(label=_("填报单位"), queryset=Unit.objects.none(), required=False)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_unit_filter(user)


class NewsFilterForm(UnitFilterMixin, forms.Form):
    ADOPTED_CHOICES = [("", _("全部")), ("1", _("已被采用")), ("0", _("未被采用"))]

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    review_status = forms.ChoiceField(
        label=_("审核状态"), choices=_all_choice(ReviewStatus.choices), required=False
    )
    adopted = forms.ChoiceField(label=_("采用情况"), choices=ADOPTED_CHOICES, required=False)
    unit = forms.ModelChoiceField(label=_("报送单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_unit_filter(user)


class IncidentFilterForm(forms.Form):
    TIMING_CHOICES = [
        ("", _("全部")),
        ("open", _("未办结")),
        ("report_overdue", _("逾期未报告县局")),
        ("response_overdue", _("逾期未回应")),
    ]

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("处置状态"), choices=_all_choice(OpinionIncident.Status.choices), required=False
    )
    level = forms.ModelChoiceField(label=_("舆情级别"), queryset=OpinionLevel.objects.none(), required=False)
    source = forms.ChoiceField(
        label=_("舆情来源"), choices=_all_choice(OpinionIncident.Source.choices), required=False
    )
    domain = forms.ChoiceField(
        label=_("涉及领域"), choices=_all_choice(OpinionIncident.Domain.choices), required=False
    )
    timing = forms.ChoiceField(label=_("时限"), choices=TIMING_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "level").queryset = selectors.opinion_levels()
