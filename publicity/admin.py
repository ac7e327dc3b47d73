from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.selectors import campaign_current
from core.spreadsheets import xlsx_response
from evidence.admin import PhotoInline
from organizations.access import scope_to_user
from organizations.admin_scoping import UnitScopedAdminMixin
from publicity import exports, selectors, services
from publicity.models import (
    Adoption,
    NewsItem,
    PublicityActivity,
)
from records.admin import ReviewedRecordAdminMixin
from records.models import counted_q
from records.services import REVIEW_PERMISSION


class OwnUnitAddMixin:
    """Adding files the record under the user's unit and the current campaign (records.services):
    without a unit there is nothing to file it under."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        has_unit = getattr(request.user, "unit_id", None) is not None
        return has_unit and super().has_add_permission(request, *args)  # type: ignore[misc]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        if obj is not None:
            return form
        unit_id = getattr(request.user, "unit_id", None)

        class OwnedForm(form):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                # The owner the service will set, known while the form validates, so that the model's
                # rules that need it (the record-date rule needs the campaign) answer on the form.
                self.instance.unit_id = self.instance.unit_id or unit_id
                if self.instance.campaign_id is None:
                    self.instance.campaign = campaign_current()

        return OwnedForm


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return xlsx_response(content, f"{name}-{timezone.localdate():%Y%m%d}.xlsx")


@admin.register(PublicityActivity)
class PublicityActivityAdmin(
    OwnUnitAddMixin, ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin
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
class NewsItemAdmin(OwnUnitAddMixin, ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
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
            queryset = queryset.filter(counted_q())
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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An adoption is recorded or deleted (and recorded again), through the services, never edited.
        return False

    def save_model(self, request: HttpRequest, obj: Adoption, form: Any, change: bool) -> None:
        saved = services.adoption_record(
            actor=request.user,
            item=form.cleaned_data["news_item"],
            level=form.cleaned_data["level"],
            outlet=form.cleaned_data["outlet"],
            url=form.cleaned_data.get("url") or "",
            adopted_on=form.cleaned_data["adopted_on"],
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: Adoption) -> None:
        services.adoption_delete(actor=request.user, adoption=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Adoption]) -> None:
        for adoption in queryset:
            services.adoption_delete(actor=request.user, adoption=adoption)
