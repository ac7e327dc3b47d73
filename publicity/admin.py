from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.selectors import campaign_current
from core.spreadsheets import xlsx_response
from evidence.admin import PhotoInline
from organizations.access import scope_to_user
from organizations.admin_scoping import UnitScopedAdminMixin
from publicity import exports, selectors
from publicity.models import (
    Adoption,
    DeadlineState,
    NewsItem,
    OpinionIncident,
    OpinionLevel,
    PublicityActivity,
)
from records.admin import ReviewedRecordAdminMixin
from records.services import REVIEW_PERMISSION


class OwnUnitRecordAdminMixin:
    """New records belong to the user's unit and the current campaign, as on the workbench.

    Users without a unit (or before any campaign exists) cannot add here: there is nothing to file it under.
    """

    owner_field = "unit"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        has_unit = getattr(request.user, "unit_id", None) is not None
        return has_unit and super().has_add_permission(request, *args)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            setattr(obj, f"{self.owner_field}_id", getattr(request.user, "unit_id", None))
            obj.campaign = campaign_current()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)  # type: ignore[misc]


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return xlsx_response(content, f"{name}-{timezone.localdate():%Y%m%d}.xlsx")


@admin.register(PublicityActivity)
class PublicityActivityAdmin(
    OwnUnitRecordAdminMixin, ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = [
        "title",
        "date",
        "unit",
        "channel",
        "form",
        "participants",
        "materials_distributed",
        "views",
        "review_status",
        "review_link",
    ]
    list_filter = [
        "review_status",
        "channel",
        "form",
        "venue_type",
        "platform",
        "campaign",
        ("unit", admin.RelatedOnlyFieldListFilter),
        "date",
    ]
    search_fields = ["title", "venue", "summary", "url"]
    list_select_related = ["unit"]
    autocomplete_fields = ["station", "partner_units"]
    exclude = ["campaign", "unit"]
    date_hierarchy = "date"
    inlines = [PhotoInline]
    actions = ["approve_selected", "export_xlsx"]
    list_per_page = 50

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "station":
            kwargs["queryset"] = selectors.station_choices_for_user(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("审核"))
    def review_link(self, obj: PublicityActivity) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("审核页"))

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[PublicityActivity]) -> HttpResponse:
        return _xlsx(exports.activities_export(queryset), "宣传活动导出")


ADOPTION_INLINE_FIELDS = ("level", "outlet", "url", "adopted_on", "recorded_by", "created_at")


class AdoptionInline(admin.TabularInline):
    """The item's adoptions, read-only here: they are recorded on the 信息采用 page or the workbench."""

    model = Adoption
    fields = ADOPTION_INLINE_FIELDS
    readonly_fields = ADOPTION_INLINE_FIELDS
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("采用情况")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Adoption]:
        return super().get_queryset(request).select_related("recorded_by")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Seeing them follows the news item, whose admin has already scoped it to the user's unit.
        return request.user.has_perm("publicity.view_newsitem") or request.user.has_perm(
            "publicity.change_newsitem"
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NewsItem)
class NewsItemAdmin(
    OwnUnitRecordAdminMixin, ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["title", "unit", "created_at", "review_status", "adoption_count", "review_link"]
    list_filter = ["review_status", "campaign", ("unit", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["title", "body"]
    list_select_related = ["unit"]
    autocomplete_fields = ["activity"]
    exclude = ["campaign", "unit"]
    date_hierarchy = "created_at"
    inlines = [AdoptionInline, PhotoInline]
    actions = ["approve_selected", "export_xlsx"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[NewsItem]:
        # Grouping drops Meta.ordering, and the autocomplete view paginates this queryset as is.
        return (
            super()
            .get_queryset(request)
            .annotate(adoption_total=Count("adoptions"))
            .order_by("-created_at", "-pk")
        )

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete on the adoption form offers only approved items: only those can be adopted.
        if request.GET.get("model_name") == "adoption":
            queryset = queryset.filter(review_status="approved")
        return queryset, may_have_duplicates

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "activity":
            kwargs["queryset"] = selectors.activity_choices_for_user(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("采用次数"), ordering="adoption_total")
    def adoption_count(self, obj: Any) -> int:
        return int(obj.adoption_total)

    @admin.display(description=_("审核"))
    def review_link(self, obj: NewsItem) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("审核与采用"))

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[NewsItem]) -> HttpResponse:
        return _xlsx(exports.news_export(queryset), "信息报送导出")


@admin.register(Adoption)
class AdoptionAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    unit_scope_field = Adoption.unit_scope_field
    list_display = ["news_item", "news_unit", "level", "outlet", "adopted_on", "recorded_by"]
    list_filter = ["level", "adopted_on"]
    search_fields = ["outlet", "news_item__title", "news_item__unit__name"]
    list_select_related = ["news_item", "news_item__unit", "recorded_by"]
    autocomplete_fields = ["news_item"]
    readonly_fields = ["recorded_by", "created_at"]
    date_hierarchy = "adopted_on"
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION) and super().has_add_permission(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "news_item":
            kwargs["queryset"] = scope_to_user(NewsItem.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("报送单位"), ordering="news_item__unit__sort_order")
    def news_unit(self, obj: Adoption) -> str:
        return obj.news_item.unit.label

    def save_model(self, request: HttpRequest, obj: Adoption, form: Any, change: bool) -> None:
        # Adoption.clean (run by the form) has refused items that are not approved.
        if not change:
            obj.recorded_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


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
class OpinionIncidentAdmin(OwnUnitRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    owner_field = "handling_unit"
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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "level":
            kwargs["queryset"] = selectors.opinion_levels()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("报告县局时限"))
    def report_deadline_display(self, obj: OpinionIncident) -> str:
        return f"{timezone.localtime(obj.report_deadline):%Y-%m-%d %H:%M}"

    @admin.display(description=_("报告情况"))
    def report_state_display(self, obj: OpinionIncident) -> str:
        return str(DeadlineState(obj.report_state()).label)

    @admin.display(description=_("处置"))
    def handling_link(self, obj: OpinionIncident) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("publicity:incident_detail", args=[obj.pk]), _("处置页")
        )

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[OpinionIncident]) -> HttpResponse:
        return _xlsx(exports.incidents_export(queryset), "舆情导出")
