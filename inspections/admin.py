from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.spreadsheets import xlsx_response
from evidence.admin import PhotoInline
from inspections import exports, services
from inspections.forms import NormalisedRecordForm
from inspections.models import (
    INSTRUMENT_FIELDS,
    NORMALISED_FIELDS,
    CheckItem,
    InspectedInstrument,
    InspectionRecord,
    InstrumentCheck,
    InstrumentType,
    PlannedInspection,
)
from organizations.admin_scoping import UnitScopedAdminMixin
from records.admin import ReviewedRecordAdminMixin


@admin.register(InstrumentType)
class InstrumentTypeAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "domain",
        "mandatory",
        "verification_period_months",
        "first_verification_only",
        "service_life_years",
        "counting_unit",
        "sort_order",
        "is_active",
    ]
    list_filter = ["domain", "mandatory", "first_verification_only", "is_active"]
    search_fields = ["name", "code", "basis"]
    list_editable = ["sort_order", "is_active"]
    ordering = ["sort_order", "pk"]
    actions = ["export_xlsx"]

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[InstrumentType]) -> HttpResponse:
        filename = f"计量器具类型-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(exports.instrument_types_export(queryset), filename)


class InstrumentInlineFormSet(forms.BaseInlineFormSet):
    """Checks the instruments together with the record being saved (its form's values already applied)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        instruments = []
        for index, form in enumerate(self.forms):
            # Saved rows count even when untouched; new rows only when filled in.
            if (index >= self.initial_form_count() and not form.has_changed()) or form.cleaned_data.get(
                "DELETE"
            ):
                continue
            instrument = form.instance
            instrument.apply_type_defaults()
            instruments.append(instrument)
        record: InspectionRecord = self.instance
        record.normalise(listed=bool(instruments))
        try:
            record.validate_instruments(instruments)
        except ValidationError as exc:
            # A formset shows a flat list above the rows; the messages name what they concern.
            raise ValidationError(exc.messages) from exc


class InspectedInstrumentInline(admin.TabularInline):
    model = InspectedInstrument
    formset = InstrumentInlineFormSet
    extra = 0
    autocomplete_fields = ["instrument_type"]
    fields = [*INSTRUMENT_FIELDS, "status_display"]
    readonly_fields = ["status_display"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InspectedInstrument]:
        return super().get_queryset(request).select_related("instrument_type", "inspection")

    @admin.display(description=_("检定状态"))
    def status_display(self, obj: InspectedInstrument) -> str:
        return str(obj.verification_status.label) if obj.pk else "—"


class InspectionAdminForm(NormalisedRecordForm):
    """Normalised as the office's form is (other domains' fields cleared, order dates defaulted), so the
    admin saves the same shape; the rules that need the instruments run in the inline formset."""


@admin.register(InspectionRecord)
class InspectionRecordAdmin(ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    form = InspectionAdminForm
    list_display = [
        "inspected_party",
        "date",
        "domain",
        "unit",
        "problems_found",
        "follow_up_status",
        "review_status",
        "review_link",
    ]
    list_filter = [
        "review_status",
        "follow_up_status",
        "domain",
        "campaign",
        ("unit", admin.RelatedOnlyFieldListFilter),
        "cheating_case",
        "referred_to_police",
        "date",
    ]
    search_fields = [
        "inspected_party__name",
        "inspected_party__credit_code",
        "inspectors",
        "rectification_notice_no",
        "case_no",
    ]
    list_select_related = ["inspected_party", "unit"]
    autocomplete_fields = ["inspected_party", "market", "joint_unit", "campaign"]
    exclude = ["unit"]
    readonly_fields = ["unit_name", "follow_up_status", "follow_up_task"]
    date_hierarchy = "date"
    inlines = [InspectedInstrumentInline, PhotoInline]
    actions = ["approve_selected", "export_xlsx"]
    list_per_page = 50

    @admin.display(description=_("填报单位"))
    def unit_name(self, obj: InspectionRecord) -> str:
        return obj.unit.name if obj.unit_id else "—"

    @admin.display(description=_("审核"))
    def review_link(self, obj: InspectionRecord) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("inspections:inspection_detail", args=[obj.pk]), _("审核页")
        )

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[InspectionRecord]) -> HttpResponse:
        filename = f"专项检查记录导出-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(exports.inspections_export(queryset), filename)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The unit of a record is its author's: an account without a unit cannot record one.
        return getattr(request.user, "unit_id", None) is not None and super().has_add_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The record goes through record_save (ReviewedRecordAdminMixin) in the shape the inline
        # formset normalised it to (entered counts set aside when instruments are listed).
        form.cleaned_data.update({name: getattr(obj, name) for name in NORMALISED_FIELDS})
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Follow-up (task, status) goes through the one service that keeps them in step.
        try:
            services.inspection_sync_follow_up(actor=request.user, inspection=form.instance)  # type: ignore[arg-type]
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)


@admin.register(InspectedInstrument)
class InspectedInstrumentAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    """A searchable, exportable list of every listed instrument; instruments are edited on their record."""

    unit_scope_field = InspectedInstrument.unit_scope_field
    list_display = [
        "instrument_type",
        "serial_no",
        "certificate_no",
        "inspection_link",
        "valid_until",
        "result",
        "seal_intact",
        "status_display",
    ]
    list_filter = ["instrument_type__domain", "instrument_type", "result", "seal_intact", "mark_present"]
    search_fields = ["serial_no", "certificate_no", "verifying_body", "inspection__inspected_party__name"]
    list_select_related = ["instrument_type", "inspection__inspected_party"]
    actions = ["export_xlsx"]
    list_per_page = 50

    @admin.display(description=_("检查记录"))
    def inspection_link(self, obj: InspectedInstrument) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:inspections_inspectionrecord_change", args=[obj.inspection_id]),
            obj.inspection,
        )

    @admin.display(description=_("检定状态"))
    def status_display(self, obj: InspectedInstrument) -> str:
        return str(obj.verification_status.label)

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[InspectedInstrument]) -> HttpResponse:
        filename = f"受检计量器具导出-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(exports.instruments_export(queryset), filename)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CheckItem)
class CheckItemAdmin(SimpleHistoryAdmin):
    """The current check items (三码一封, 开壳锁机, 加油机防作弊…): a rule change is an edit here."""

    list_display = ["name", "group", "code", "domain", "basis", "sort_order", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["name", "group", "code", "basis"]
    list_editable = ["sort_order", "is_active"]
    ordering = ["domain", "sort_order", "pk"]


@admin.register(InstrumentCheck)
class InstrumentCheckAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    """Check results are written with their inspection (inspections.services); read here."""

    unit_scope_field = InstrumentCheck.unit_scope_field
    list_display = ["item", "passed", "instrument", "note"]
    list_filter = ["item__domain", "item", "passed"]
    search_fields = ["instrument__serial_no", "instrument__inspection__inspected_party__name"]
    list_select_related = ["item", "instrument__instrument_type"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlannedInspection)
class PlannedInspectionAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    """Plans are made from leads and the risk ranking (inspections.services.inspection_plan); read here."""

    list_display = ["planned_for", "party", "domain", "unit", "status", "inspection"]
    list_filter = ["status", "domain", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["party__name", "reason"]
    list_select_related = ["party", "unit", "inspection"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
