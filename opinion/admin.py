from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.spreadsheets import xlsx_response
from evidence.admin import PhotoInline
from opinion import exports, selectors, services
from opinion.models import DeadlineState, OpinionIncident, OpinionLevel
from organizations.admin_scoping import UnitScopedAdminMixin


@admin.register(OpinionLevel)
class OpinionLevelAdmin(SimpleHistoryAdmin):
    """The levels and their clocks: the bureau edits the hours here; every deadline follows at once."""

    list_display = [
        "name",
        "rank",
        "report_deadline_hours",
        "response_deadline_hours",
        "press_conference_hours",
        "alert_leadership",
        "is_active",
    ]
    list_editable = [
        "report_deadline_hours",
        "response_deadline_hours",
        "press_conference_hours",
        "alert_leadership",
    ]
    list_filter = ["is_active", "alert_leadership"]
    search_fields = ["name", "code"]
    ordering = ["rank", "pk"]


@admin.register(OpinionIncident)
class OpinionIncidentAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    """Saves and deletes go through opinion.services, as on the workbench: the handling unit is the
    user's, the campaign the current one, the status moves on the incident's page only."""

    unit_scope_field = OpinionIncident.unit_scope_field
    list_display = [
        "title",
        "discovered_at",
        "level",
        "handling_unit",
        "status",
        "report_deadline_display",
        "report_state_display",
        "handling_link",
    ]
    list_filter = [
        "status",
        "level",
        "source",
        "domain",
        "sentiment",
        ("handling_unit", admin.RelatedOnlyFieldListFilter),
        "discovered_at",
    ]
    search_fields = ["title", "summary", "involved_party", "platform", "url"]
    list_select_related = ["level", "handling_unit"]
    exclude = ["campaign", "handling_unit"]
    readonly_fields = ["status", "handling_summary", "closed_on", "created_by", "created_at", "updated_at"]
    date_hierarchy = "discovered_at"
    inlines = [PhotoInline]
    actions = ["export_xlsx"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        # An incident is handled by the user's unit: without one there is nothing to file it under.
        return getattr(request.user, "unit_id", None) is not None and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "level":
            kwargs["queryset"] = selectors.opinion_levels()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: OpinionIncident, form: Any, change: bool) -> None:
        data = {
            name: value for name, value in form.cleaned_data.items() if name in OpinionIncident.record_fields
        }
        actor: Any = request.user
        if change:
            saved = services.incident_update(actor=actor, incident=obj, data=data)
        else:
            saved = services.incident_create(actor=actor, data=data)
        # The admin saves inlines (photos) against `obj`: make it the saved row.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: OpinionIncident) -> None:
        services.incident_delete(actor=request.user, incident=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OpinionIncident]) -> None:
        for incident in queryset:
            services.incident_delete(actor=request.user, incident=incident)  # type: ignore[arg-type]

    @admin.display(description=_("报告县局时限"))
    def report_deadline_display(self, obj: OpinionIncident) -> str:
        return f"{timezone.localtime(obj.report_deadline):%Y-%m-%d %H:%M}"

    @admin.display(description=_("报告情况"))
    def report_state_display(self, obj: OpinionIncident) -> str:
        return str(DeadlineState(obj.report_state()).label)

    @admin.display(description=_("处置"))
    def handling_link(self, obj: OpinionIncident) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("处置页"))

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[OpinionIncident]) -> HttpResponse:
        return xlsx_response(
            exports.incidents_export(queryset), f"舆情导出-{timezone.localdate():%Y%m%d}.xlsx"
        )
