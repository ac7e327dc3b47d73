from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_tools import XlsxImportExportMixin
from core.spreadsheets import xlsx_response
from evidence.admin import PhotoInline
from microstations import importing
from microstations.models import MicroStation, StationActivity
from organizations.admin_scoping import UnitScopedAdminMixin
from records.admin import ReviewedRecordAdminMixin


class MicroStationAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stage = cleaned.get("stage")
        # The stored stage (the instance is updated from the form only after this): never back, as in
        # the stage form's service.
        error = self.instance.stage_change_error(stage) if self.instance.pk and stage else None
        if error:
            self.add_error("stage", error)
        return cleaned


@admin.register(MicroStation)
class MicroStationAdmin(XlsxImportExportMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    form = MicroStationAdminForm
    unit_scope_field = MicroStation.unit_scope_field
    xlsx_title = "计量科普微站"
    list_display = ["name", "station_type", "township", "supervising_unit", "stage", "opened_on", "plaque_no"]
    list_filter = [
        "campaign",
        "stage",
        "station_type",
        "focus_area",
        ("supervising_unit", admin.RelatedOnlyFieldListFilter),
        "township",
    ]
    search_fields = ["name", "plaque_no", "host_name", "address", "contact_name"]
    list_select_related = ["supervising_unit", "campaign"]
    autocomplete_fields = ["host_unit", "supervising_unit", "campaign"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PhotoInline]
    list_per_page = 50

    def xlsx_template(self, campaign: Any) -> bytes:
        return importing.stations_template()

    def xlsx_import(self, *, request: HttpRequest, campaign: Any, upload: Any) -> list[Any]:
        return importing.stations_import(actor=request.user, campaign=campaign, upload=upload)

    def xlsx_export(self, queryset: QuerySet[Any]) -> bytes:
        return importing.stations_export(queryset)


@admin.register(StationActivity)
class StationActivityAdmin(ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "date",
        "station",
        "unit",
        "topic",
        "people_reached",
        "review_status",
        "review_link",
    ]
    list_filter = ["review_status", "topic", "campaign", ("unit", admin.RelatedOnlyFieldListFilter), "date"]
    search_fields = ["title", "summary", "station__name"]
    list_select_related = ["station", "unit"]
    autocomplete_fields = ["station"]
    # The form is the record's allow-list (the review fields are read-only, see the mixin): the unit and
    # campaign follow the station (StationActivity.derive_owner).
    exclude = ["campaign", "unit"]
    date_hierarchy = "date"
    inlines = [PhotoInline]
    actions = ["approve_selected", "export_xlsx"]
    list_per_page = 50

    @admin.display(description=_("审核"))
    def review_link(self, obj: StationActivity) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("microstations:activity_detail", args=[obj.pk]), _("审核页")
        )

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[StationActivity]) -> HttpResponse:
        filename = f"微站活动导出-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(importing.activities_export(queryset), filename)
