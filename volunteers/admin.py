from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_tools import XlsxImportExportMixin
from evidence.admin import PhotoInline
from organizations.admin_scoping import UnitScopedAdminMixin
from organizations.models import User
from organizations.privacy import mask_phone
from records.admin import ReviewedRecordAdminMixin
from volunteers import importing, services
from volunteers.models import Volunteer, VolunteerAct, VolunteerLink


@admin.register(Volunteer)
class VolunteerAdmin(XlsxImportExportMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    unit_scope_field = Volunteer.unit_scope_field
    xlsx_title = "宣传员"
    list_display = ["name", "kind", "group", "masked_phone", "station", "recruited_on", "is_active"]
    list_filter = [
        "campaign",
        "kind",
        "group",
        "is_active",
        ("station__supervising_unit", admin.RelatedOnlyFieldListFilter),
        ("station", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "work_unit", "certificate_no", "station__name"]
    list_select_related = ["station"]
    autocomplete_fields = ["station"]
    exclude = ["campaign"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_per_page = 50

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Volunteer) -> str:
        return mask_phone(obj.phone)

    def save_model(self, request: HttpRequest, obj: Volunteer, form: Any, change: bool) -> None:
        # The same service as the pages and the API: scope (404), permission (403), allow-list, rules.
        actor = cast(User, request.user)
        data = {name: value for name, value in form.cleaned_data.items() if name in Volunteer.editable_fields}
        if change:
            saved = services.volunteer_update(actor=actor, volunteer=obj, data=data)
        else:
            saved = services.volunteer_create(actor=actor, station=data.pop("station"), data=data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def xlsx_template(self, campaign: Any) -> bytes:
        return importing.volunteers_template(campaign)

    def xlsx_import(self, *, request: HttpRequest, campaign: Any, upload: Any) -> list[Any]:
        return importing.volunteers_import(actor=request.user, campaign=campaign, upload=upload)

    def xlsx_export(self, queryset: QuerySet[Any]) -> bytes:
        return importing.volunteers_export(queryset)


@admin.register(VolunteerAct)
class VolunteerActAdmin(ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "volunteer", "place", "people_reached", "hours", "unit", "review_status"]
    list_filter = ["review_status", "campaign", ("unit", admin.RelatedOnlyFieldListFilter), "date"]
    search_fields = ["place", "description", "volunteer__name"]
    list_select_related = ["volunteer", "unit"]
    autocomplete_fields = ["volunteer"]
    # The unit and campaign follow the volunteer (VolunteerAct.derive_owner).
    exclude = ["campaign", "unit"]
    date_hierarchy = "date"
    inlines = [PhotoInline]
    actions = ["approve_selected"]
    list_per_page = 50


@admin.register(VolunteerLink)
class VolunteerLinkAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    """Links are issued and revoked from the volunteer's page (volunteers.services); here they are read."""

    unit_scope_field = "volunteer__station__supervising_unit"
    list_display = ["volunteer", "issued_by", "issued_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["issued_at", "expires_at"]
    search_fields = ["volunteer__name"]
    list_select_related = ["volunteer", "issued_by"]
    readonly_fields = ["volunteer", "issued_by", "issued_at", "expires_at", "revoked_at", "last_used_at"]
    exclude = ["token_hash"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
