from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from enterprises.models import Enterprise
from evidence.forms import PhotoField
from inspections.models import (
    COUNT_FIELDS,
    INSTRUMENT_FIELDS,
    NORMALISED_FIELDS,
    Domain,
    InspectedInstrument,
    InspectionRecord,
    InstrumentType,
    ProblemType,
    normalised,
)
from organizations.models import Unit


class DateInput(forms.DateInput):
    """A native date picker; it only accepts ISO dates, whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


COUNT_ATTRS = {"min": 0, "inputmode": "numeric"}
AMOUNT_ATTRS = {"min": 0, "step": "0.01", "inputmode": "decimal"}


class YesNoSelect(forms.NullBooleanSelect):
    """是/否 with an unanswered first option (a question asked only in some domains)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", _("请选择")), ("true", _("是")), ("false", _("否"))]


def yes_no_field(label: Any) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, widget=YesNoSelect, required=False)


# Form sections: (legend, fields, the domains it shows for — empty for every domain).
SECTIONS: list[tuple[Any, tuple[str, ...], tuple[str, ...]]] = [
    (
        _("基本情况"),
        ("domain", "inspected_party", "market", "date", "inspectors", "staff_turnout", "joint_unit"),
        (),
    ),
    (_("加油机"), ("dispensers", "nozzles"), (Domain.FUEL,)),
    (_("集贸市场/商超"), ("fair_scale_present", "instruments_registered"), (Domain.SCALES,)),
    (_("充电桩运营"), ("ledger_present",), (Domain.EV_CHARGERS,)),
    (
        _("器具数量（未逐台登记器具时填写）"),
        (*COUNT_FIELDS, "cheating_device_count"),
        (),
    ),
    (_("发现问题"), ("problems_found", "problem_types", "findings"), ()),
    (
        _("责令整改"),
        ("rectification_notice_no", "rectification_ordered_on", "rectification_deadline", "rectified_on"),
        (),
    ),
    (_("立案查处"), ("case_no", "case_filed_on", "case_closed_on"), ()),
    (
        _("处罚与移送"),
        (
            "fine_amount",
            "confiscated_income",
            "confiscated_devices",
            "confiscated_items",
            "cheating_case",
            "referred_to_police",
        ),
        (),
    ),
]
# Fields shown only for some domains inside a shared section.
FIELD_DOMAINS: dict[str, tuple[str, ...]] = {
    "instruments_checked": tuple(d for d in Domain.values if d != Domain.FUEL),
    "life_expired_count": (Domain.UTILITY_METERS,),
}


class NormalisedRecordForm(forms.ModelForm):
    """A record form whose model checks see the record as the service will save it (`normalised`)."""

    # The instruments listed one by one (the view sets them from the rows before validating), so that
    # every problem is reported at once: the entered counts are set aside when there are any, and the
    # rules between record and instruments run here as well as in the service.
    instruments: list[InspectedInstrument] = []

    def set_instruments(self, rows: list[dict[str, Any]]) -> None:
        self.instruments = [InspectedInstrument(**row) for row in rows]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        present = {name: cleaned[name] for name in NORMALISED_FIELDS if name in cleaned}
        listed = bool(self.instruments)
        cleaned.update({k: v for k, v in normalised(present, listed=listed).items() if k in present})
        return cleaned


class InspectionForm(NormalisedRecordForm):
    """Validates an inspection; the service sets its unit (the user's) and campaign (the current one).

    Its fields are the model's `record_fields` (the view hands record_save only those)."""

    problem_types = forms.TypedMultipleChoiceField(
        label=_("问题类型"),
        choices=ProblemType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fair_scale_present = yes_no_field(_("设置公平秤"))
    instruments_registered = yes_no_field(_("计量器具登记造册/备案"))
    ledger_present = yes_no_field(_("运营商建立计量器具台账"))
    photos = PhotoField(
        label=_("现场照片"),
        required=False,
        help_text=_("可多选，最多 9 张；JPEG/PNG，每张不超过 15 MB（检查现场、铅封、作弊装置、文书）"),
    )

    class Meta:
        model = InspectionRecord
        fields = [name for _legend, names, _domains in SECTIONS for name in names]
        widgets = {
            "date": DateInput(),
            "rectification_ordered_on": DateInput(),
            "rectification_deadline": DateInput(),
            "rectified_on": DateInput(),
            "case_filed_on": DateInput(),
            "case_closed_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "confiscated_items": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, campaign: Campaign | None = None, user: Any = None, **kwargs: Any) -> None:
        # `user` is the record kit's form argument; the service, not the form, decides from it.
        super().__init__(*args, **kwargs)
        if campaign is not None and self.instance.campaign_id is None:
            # So that the model's own checks (date within the campaign) run on the form too.
            self.instance.campaign = campaign
        self._narrow("inspected_party", Enterprise.objects.only("pk", "name").order_by("name", "pk"))
        self._narrow(
            "market",
            Enterprise.objects.filter(kind=Enterprise.Kind.MARKET_OPERATOR)
            .only("pk", "name")
            .order_by("name"),
        )
        self._narrow("joint_unit", Unit.objects.filter(kind=Unit.Kind.TESTING, is_active=True))
        self.fields["domain"].widget.attrs["data-domain-select"] = ""
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField) and name != "staff_turnout":
                field.widget.attrs.update(COUNT_ATTRS)
            elif isinstance(field, forms.DecimalField):
                field.widget.attrs.update(AMOUNT_ATTRS)
        self.fields["staff_turnout"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        for name, domains in FIELD_DOMAINS.items():
            self.fields[name].widget.attrs["data-domains"] = " ".join(domains)

    def _narrow(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        field.queryset = queryset

    def _post_clean(self) -> None:
        # Django's hook after the instance has the cleaned values (the stubs do not declare it).
        super()._post_clean()  # type: ignore[misc]
        try:
            self.instance.validate_instruments(self.instruments)
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]

    def clean_problem_types(self) -> list[str]:
        chosen = set(self.cleaned_data.get("problem_types") or [])
        return [code for code in ProblemType.values if code in chosen]

    def sections(self) -> list[dict[str, Any]]:
        """The fields grouped as the page shows them, with the domains each section is for."""
        return [
            {"legend": legend, "fields": [self[name] for name in names], "domains": " ".join(domains)}
            for legend, names, domains in SECTIONS
        ]


class TypeSelect(forms.Select):
    """The instrument-type select, each option tagged with its domain for the page script to filter."""

    def __init__(self, *args: Any, domains: dict[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains or {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        key = getattr(value, "value", value)
        if key not in (None, ""):
            option["attrs"]["data-domain"] = self.domains.get(int(key), "")
        return option


class InstrumentForm(forms.ModelForm):
    """One listed instrument (a row of the formset); the service fills valid-until from the type."""

    class Meta:
        model = InspectedInstrument
        fields = list(INSTRUMENT_FIELDS)
        widgets = {
            "verified_on": DateInput(),
            "valid_until": DateInput(),
            "service_life_end": DateInput(),
        }

    def __init__(self, *args: Any, types: list[InstrumentType] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = types if types is not None else list(InstrumentType.objects.active())
        field = self.fields["instrument_type"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        field.queryset = InstrumentType.objects.active()
        # Rendering reuses the formset's one list of types instead of a query per row.
        field.widget = TypeSelect(domains={t.pk: t.domain for t in types}, attrs={"data-instrument-type": ""})
        field.widget.choices = [("", "---------"), *((t.pk, t.name) for t in types)]


class BaseInstrumentFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        types = list(InstrumentType.objects.active().order_by("sort_order", "pk"))
        kwargs.setdefault("form_kwargs", {})["types"] = types
        super().__init__(*args, **kwargs)

    def rows(self) -> list[dict[str, Any]]:
        """The filled-in, not deleted rows as model field values, in order."""
        # Rows the record already had count even when untouched; new rows only when filled in.
        return [
            {name: form.cleaned_data[name] for name in InstrumentForm.Meta.fields}
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]


InstrumentFormSet = forms.formset_factory(
    InstrumentForm, formset=BaseInstrumentFormSet, extra=1, can_delete=True, max_num=200, validate_max=True
)


def instrument_formset(
    *, data: Any = None, inspection: InspectionRecord | None = None
) -> BaseInstrumentFormSet:
    """The instrument rows: the record's listed instruments when editing, plus one empty row."""
    initial = None
    if inspection is not None:
        initial = [model_to_dict(i, fields=InstrumentForm.Meta.fields) for i in inspection.instruments.all()]
    return cast(BaseInstrumentFormSet, InstrumentFormSet(data, initial=initial, prefix="instruments"))


class StatisticsFilterForm(forms.Form):
    """The statistics page's filters: a date range, and for those who see all units a unit and a split."""

    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    unit = forms.ModelChoiceField(label=_("检查单位"), queryset=Unit.objects.none(), required=False)
    by_unit = forms.BooleanField(label=_("按检查单位分列"), required=False)

    def __init__(self, *args: Any, show_units: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_units:
            del self.fields["unit"]
            del self.fields["by_unit"]
            return
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        field.queryset = Unit.objects.filter(
            kind__in=[Unit.Kind.SECTION, Unit.Kind.ENFORCEMENT, Unit.Kind.OFFICE], is_active=True
        )


class RectificationOrderForm(forms.Form):
    notice_no = forms.CharField(label=_("责令整改通知书编号"), max_length=60)
    ordered_on = forms.DateField(label=_("责令整改日期"), required=False, widget=DateInput())
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput())


class RectifiedForm(forms.Form):
    rectified_on = forms.DateField(label=_("整改完成日期"), widget=DateInput())


class CaseFileForm(forms.Form):
    case_no = forms.CharField(label=_("立案号"), max_length=60)
    filed_on = forms.DateField(label=_("立案日期"), required=False, widget=DateInput())


class CaseCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("结案日期"), widget=DateInput())
