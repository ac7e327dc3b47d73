"""The register in the admin: scoped like the pages; lines are written through instruments.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from core.spreadsheets import xlsx_response
from instruments import importing, services
from instruments.models import (
    INSTRUMENT_FIELDS,
    InspectionLead,
    InstrumentRating,
    InstrumentScan,
    MarketLedger,
    OwnerContact,
    OwnerReminder,
    ProblemReport,
    RegisteredInstrument,
)
from organizations.admin_scoping import UnitScopedAdminMixin


@admin.register(RegisteredInstrument)
class RegisteredInstrumentAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "owner",
        "instrument_type",
        "location",
        "valid_until",
        "unit",
        "entry_status",
        "in_use",
    ]
    list_filter = [
        "entry_status",
        "kind",
        "instrument_type__domain",
        "instrument_type",
        "in_use",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name", "serial_no", "owner__name", "location", "identification_code"]
    list_select_related = ["owner", "instrument_type", "unit"]
    autocomplete_fields = ["owner", "host_market", "instrument_type"]
    fields = [
        "code",
        "unit",
        "entry_status",
        *INSTRUMENT_FIELDS,
        "last_inspection",
        "last_inspected_on",
        "inspection_status",
    ]
    readonly_fields = [
        "code",
        "unit",
        "entry_status",
        "last_inspection",
        "last_inspected_on",
        "inspection_status",
    ]
    actions = ["export_xlsx"]
    list_per_page = 50

    @admin.action(description=_("导出为 Excel（e-CQS 列序）"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[RegisteredInstrument]) -> HttpResponse:
        return xlsx_response(
            importing.instruments_export(queryset), f"计量器具台账-{timezone.localdate():%Y%m%d}.xlsx"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new line's unit is the author's (or named on the workbench form): an account without one adds there.
        return getattr(request.user, "unit_id", None) is not None and super().has_add_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in INSTRUMENT_FIELDS if name in form.cleaned_data}
        actor: Any = request.user
        try:
            if change:
                saved = services.instrument_update(actor=actor, instrument=obj, data=data)
            else:
                saved = services.instrument_create(actor=actor, data=data)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        obj.pk, obj.code = saved.pk, saved.code


class _ReadOnlyAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """Rows written by the public pages, the reminder job or the workbench services: read here.

    Ratings, problem reports and reminder claims keep no simple-history table, so their history page is
    Django's own; the two models that do keep one add SimpleHistoryAdmin below.
    """


@admin.register(InspectionLead)
class InspectionLeadAdmin(_ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["created_at", "unit", "owner", "status", "planned_inspection"]
    list_filter = ["status", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "owner__name"]
    list_select_related = ["unit", "owner", "planned_inspection"]
    list_per_page = 50


@admin.register(ProblemReport)
class ProblemReportAdmin(_ReadOnlyAdmin):
    unit_scope_field = "instrument__unit"
    list_display = ["created_at", "instrument", "incident"]
    search_fields = ["text", "instrument__code", "instrument__owner__name"]
    list_select_related = ["instrument", "incident"]
    list_filter = ["created_at"]
    list_per_page = 50


@admin.register(InstrumentRating)
class InstrumentRatingAdmin(_ReadOnlyAdmin):
    unit_scope_field = "instrument__unit"
    list_display = ["created_at", "instrument", "score"]
    list_filter = ["score", "created_at"]
    search_fields = ["instrument__code", "instrument__owner__name"]
    list_select_related = ["instrument"]
    list_per_page = 50


@admin.register(InstrumentScan)
class InstrumentScanAdmin(_ReadOnlyAdmin):
    """The public scan page's log (instruments.services.scan_log): read here, never edited."""

    unit_scope_field = "instrument__unit"
    list_display = ["scanned_at", "instrument", "instrument_owner", "via_qr", "agent"]
    list_filter = ["via_qr", "agent", "day", ("instrument__unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["instrument__code", "instrument__name", "instrument__owner__name"]
    list_select_related = ["instrument", "instrument__owner"]
    date_hierarchy = "day"
    list_per_page = 50

    @admin.display(description=_("使用单位"), ordering="instrument__owner__name")
    def instrument_owner(self, obj: InstrumentScan) -> str:
        return str(obj.instrument.owner)


@admin.register(OwnerReminder)
class OwnerReminderAdmin(_ReadOnlyAdmin):
    unit_scope_field = "instrument__unit"
    list_display = ["day", "kind", "instrument", "digest"]
    list_filter = ["kind", "day"]
    search_fields = ["instrument__code", "instrument__owner__name"]
    list_select_related = ["instrument", "digest"]
    list_per_page = 50


@admin.register(OwnerContact)
class OwnerContactAdmin(_ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["owner", "name", "email", "robot", "reminders_enabled", "unit"]
    list_filter = ["reminders_enabled", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["owner__name", "name", "email"]
    list_select_related = ["owner", "robot", "unit"]
    exclude = ["robot"]


@admin.register(MarketLedger)
class MarketLedgerAdmin(SimpleHistoryAdmin):
    """Which market's 协办单位 account keeps its ledger, and which office reviews it (the bureau's setup)."""

    list_display = ["market_unit", "market", "office"]
    search_fields = ["market_unit__name", "market__name", "office__name"]
    list_select_related = ["market_unit", "market", "office"]
    autocomplete_fields = ["market"]
