from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import label_blank_choices
from enterprises.models import Enterprise
from enterprises.picker import use_enterprise_picker
from inspections.forms import DateInput
from inspections.models import Domain, InstrumentType
from instruments.models import INSTRUMENT_FIELDS, OwnerContact, RegisteredInstrument
from notifications.models import UnitWebhook
from organizations.models import Unit

OFFICE_KINDS = (Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT, Unit.Kind.SECTION)


class RegisteredInstrumentForm(forms.ModelForm):
    """One ledger line; the bureau also names the supervising office (an office's is its own)."""

    unit = forms.ModelChoiceField(
        label=_("监管单位"),
        queryset=Unit.objects.filter(kind__in=OFFICE_KINDS, is_active=True),
        required=False,
    )

    class Meta:
        model = RegisteredInstrument
        fields = list(INSTRUMENT_FIELDS)
        widgets = {
            "verified_on": DateInput(),
            "valid_until": DateInput(),
            "service_life_end": DateInput(),
            "last_checked_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, choose_unit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_unit:
            del self.fields["unit"]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        owner.queryset = Enterprise.objects.only("pk", "name").order_by("name", "pk")
        use_enterprise_picker(owner)
        market = self.fields["host_market"]
        assert isinstance(market, forms.ModelChoiceField)  # noqa: S101
        market.queryset = Enterprise.objects.filter(kind=Enterprise.Kind.MARKET_OPERATOR).order_by("name")
        kind = self.fields["instrument_type"]
        assert isinstance(kind, forms.ModelChoiceField)  # noqa: S101
        kind.queryset = InstrumentType.objects.active()
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.000001"})
        self.fields["quantity"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        label_blank_choices(self)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in INSTRUMENT_FIELDS}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class ImportForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("使用单位"), queryset=Enterprise.objects.only("pk", "name"))
    file = forms.FileField(
        label=_("台账文件（.xlsx）"), help_text=_("按下载的模板填写，前 13 列为 e-CQS 台账列")
    )
    unit = forms.ModelChoiceField(
        label=_("监管单位"),
        queryset=Unit.objects.filter(kind__in=OFFICE_KINDS, is_active=True),
        required=False,
    )

    def __init__(self, *args: Any, choose_unit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_unit:
            del self.fields["unit"]
        use_enterprise_picker(self.fields["owner"])


class OwnerContactForm(forms.ModelForm):
    robot_kind = forms.ChoiceField(
        label=_("群机器人类型"), choices=[("", _("不使用")), *UnitWebhook.Kind.choices], required=False
    )
    robot_url = forms.URLField(label=_("群机器人 Webhook 地址"), required=False, assume_scheme="https")
    robot_secret = forms.CharField(
        label=_("加签密钥（钉钉）"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则保留已保存的密钥"),
    )

    class Meta:
        model = OwnerContact
        fields = ["name", "email", "reminders_enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        robot = self.instance.robot if self.instance.pk else None
        if robot is not None:
            self.initial.update(robot_kind=robot.kind, robot_url=robot.url)


class LeadPlanForm(forms.Form):
    planned_for = forms.DateField(label=_("计划检查日期"), widget=DateInput())
    domain = forms.ChoiceField(
        label=_("检查领域"), choices=[("", _("按器具类型")), *Domain.choices], required=False
    )


class LeadDismissForm(forms.Form):
    reason = forms.CharField(
        label=_("不予处理的理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
