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
from microstations import importing, services
from microstations.models import MicroStation, StationActivity, StationReach
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The campaign a station was entered under stays: stations carry over (services.STATION_FIELDS).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "campaign"] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The service's rule, asked before the confirmation page (and for each row of a bulk delete).
        if obj is not None and services.station_delete_error(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: MicroStation, form: Any, change: bool) -> None:
        # Through the services, as the workbench, the API and the import: scope (404), permission
        # (403), the allow-list, the stage only forward, and the admin as the history's author.
        actor: Any = request.user
        data = {
            name: form.cleaned_data[name] for name in services.STATION_FIELDS if name in form.cleaned_data
        }
        if change:
            saved = services.station_update(actor=actor, station=obj, data=data)
        else:
            saved = services.station_create(actor=actor, campaign=form.cleaned_data["campaign"], data=data)
        # The admin saves the inlines (photos) against `obj`: make it the saved row.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: MicroStation) -> None:
        services.station_delete(actor=request.user, station=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MicroStation]) -> None:
        for station in queryset:
            services.station_delete(actor=request.user, station=station)  # type: ignore[arg-type]

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


@admin.register(StationReach)
class StationReachAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    """Counted by the public pages (microstations.public.station_reach_count); read-only here."""

    unit_scope_field = "station__supervising_unit"
    list_display = ["day", "station", "views", "scans", "submissions"]
    list_filter = ["day", ("station__supervising_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["station__name", "station__plaque_no"]
    list_select_related = ["station"]
    date_hierarchy = "day"
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
