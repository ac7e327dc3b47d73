from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.forms import PLEASE_CHOOSE, label_blank_choices
from enterprises.models import Enterprise
from enterprises.picker import use_enterprise_picker
from evidence.forms import PhotoField
from inspections.models import (
    COUNT_FIELDS,
    INSTRUMENT_FIELDS,
    NORMALISED_FIELDS,
    CheckItem,
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


# A posted enterprise id the picker could not have offered (deleted since, or typed into the request).
PICK_AGAIN = _("所选单位不存在或不可选，请在搜索框中重新查找并选择。")

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
        # The check results ("checks") are written by the service with the rows, not set on them.
        self.instruments = [
            InspectedInstrument(**{name: value for name, value in row.items() if name != "checks"})
            for row in rows
        ]

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
        # A searchable picker narrowed by the chosen domain, with quick-add; the queryset above still
        # decides what may be saved (an id the picker could not offer is refused in words).
        use_enterprise_picker(self.fields["inspected_party"], filter_field="domain")
        self.fields["inspected_party"].error_messages["invalid_choice"] = PICK_AGAIN
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


# Whoever sits above inspections may pre-fill a new inspection (header values and instrument rows) from
# the request's query, e.g. the register (instruments) from ?registered=<id>: registered in AppConfig.ready.
InitialProvider = Callable[[Any, Mapping[str, str]], tuple[dict[str, Any], list[dict[str, Any]]]]
_initial_providers: list[InitialProvider] = []


def register_initial_provider(provider: InitialProvider) -> None:
    if provider not in _initial_providers:
        _initial_providers.append(provider)


def initial_from_providers(
    user: Any, query: Mapping[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for provider in _initial_providers:
        more_header, more_rows = provider(user, query)
        header.update(more_header)
        rows.extend(more_rows)
    return header, rows


def check_item_field_name(item: CheckItem) -> str:
    return f"check_{item.code}"


class InstrumentForm(forms.ModelForm):
    """One listed instrument (a row of the formset); the service fills valid-until from the type.

    `registered` (hidden) links the row to its register line (the service checks it is in scope); each
    active check item of the current rules is a 符合/不符合 question, left unanswered when not checked.
    """

    class Meta:
        model = InspectedInstrument
        fields = [*INSTRUMENT_FIELDS, "registered"]
        widgets = {
            "verified_on": DateInput(),
            "valid_until": DateInput(),
            "service_life_end": DateInput(),
            "registered": forms.HiddenInput(),
        }

    def __init__(
        self,
        *args: Any,
        types: list[InstrumentType] | None = None,
        check_items: list[CheckItem] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.check_items = (
            check_items if check_items is not None else list(CheckItem.objects.filter(is_active=True))
        )
        for item in self.check_items:
            question = forms.NullBooleanField(label=str(item), required=False, widget=CheckSelect)
            question.widget.attrs["data-check-domain"] = item.domain
            self.fields[check_item_field_name(item)] = question
        types = types if types is not None else list(InstrumentType.objects.active())
        field = self.fields["instrument_type"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        field.queryset = InstrumentType.objects.active()
        # Rendering reuses the formset's one list of types instead of a query per row.
        field.widget = TypeSelect(domains={t.pk: t.domain for t in types}, attrs={"data-instrument-type": ""})
        field.widget.choices = [("", PLEASE_CHOOSE), *((t.pk, t.name) for t in types)]
        label_blank_choices(self)

    def check_fields(self) -> list[forms.BoundField]:
        """The check items' questions, in the rules' order (the row template lists them)."""
        return [self[check_item_field_name(item)] for item in self.check_items]


class CheckSelect(forms.NullBooleanSelect):
    """未查 / 符合 / 不符合 for one check item."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", _("未查")), ("true", _("符合")), ("false", _("不符合"))]


class BaseInstrumentFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        types = list(InstrumentType.objects.active().order_by("sort_order", "pk"))
        items = list(CheckItem.objects.filter(is_active=True))
        kwargs.setdefault("form_kwargs", {}).update(types=types, check_items=items)
        super().__init__(*args, **kwargs)

    def rows(self) -> list[dict[str, Any]]:
        """The filled-in, not deleted rows as model field values, in order, with the check items
        answered (`checks`: {CheckItem: passed})."""
        # Rows the record already had count even when untouched; new rows only when filled in.
        return [
            {
                **{name: form.cleaned_data[name] for name in InstrumentForm.Meta.fields},
                "checks": {
                    item: form.cleaned_data[check_item_field_name(item)]
                    for item in form.check_items
                    if form.cleaned_data.get(check_item_field_name(item)) is not None
                },
            }
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]


InstrumentFormSet = forms.formset_factory(
    InstrumentForm, formset=BaseInstrumentFormSet, extra=1, can_delete=True, max_num=200, validate_max=True
)


def instrument_formset(
    *, data: Any = None, inspection: InspectionRecord | None = None, rows: list[dict[str, Any]] | None = None
) -> BaseInstrumentFormSet:
    """The instrument rows: the record's listed instruments when editing (with their check results),
    or the pre-filled `rows` of a new one, plus one empty row."""
    initial = rows or None
    if inspection is not None:
        initial = []
        for instrument in inspection.instruments.prefetch_related("checks__item"):
            values = model_to_dict(instrument, fields=InstrumentForm.Meta.fields)
            values.update({check_item_field_name(c.item): c.passed for c in instrument.checks.all()})
            initial.append(values)
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
