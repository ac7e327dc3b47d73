from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_tools import XlsxImportExportMixin
from campaigns.selectors import campaign_current
from core.admin import ReadOnlyAdminMixin
from core.spreadsheets import xlsx_response
from enterprises import importing, services
from enterprises.forms import visit_type_field
from enterprises.models import (
    Enterprise,
    EnterpriseVisit,
    IntegrityCommitment,
    IntegrityEntry,
    MetrologyProblem,
    Partnership,
)
from evidence.admin import PhotoInline
from organizations.admin_scoping import UnitScopedAdminMixin
from organizations.models import Unit
from records.admin import ReviewedRecordAdminMixin


@admin.register(Enterprise)
class EnterpriseAdmin(XlsxImportExportMixin, SimpleHistoryAdmin):
    """The shared registry: not scoped by unit (every role reads it), with .xlsx import and export."""

    xlsx_title = "企业名录"
    list_display = [
        "name",
        "credit_code",
        "kind",
        "industry",
        "size",
        "township",
        "contact_name",
        "region_code",
    ]
    list_filter = ["kind", "industry", "size", "township", "registration_authority", "region_code"]
    search_fields = ["name", "credit_code", "address", "contact_name"]
    list_select_related = False
    readonly_fields = [
        "registration_authority",
        "entity_type_label",
        "region_code",
        "created_by",
        "created_at",
        "updated_at",
    ]
    list_per_page = 50

    @admin.display(description=_("机构类别"))
    def entity_type_label(self, obj: Enterprise) -> str:
        return obj.entity_type_label

    def save_model(self, request: HttpRequest, obj: Enterprise, form: Any, change: bool) -> None:
        # Through the services, as on the workbench: the permission, the allow-list and the history.
        actor: Any = request.user
        data = {
            name: form.cleaned_data[name] for name in Enterprise.registry_fields if name in form.cleaned_data
        }
        if change:
            saved = services.enterprise_update(actor=actor, enterprise=obj, data=data)
        else:
            saved = services.enterprise_create(actor=actor, data=data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def xlsx_template(self, campaign: Any) -> bytes:
        return importing.enterprises_template()

    def xlsx_import(self, *, request: HttpRequest, campaign: Any, upload: Any) -> list[Any]:
        # The registry is the same in every campaign: the campaign the import form asks for is not used.
        return importing.enterprises_import(actor=request.user, upload=upload)

    def xlsx_export(self, queryset: QuerySet[Any]) -> bytes:
        return importing.enterprises_export(queryset)


class PartnershipAdminForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["campaign", "name", "lead", "partners", "signed_on", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            services.validate_partners(lead=cleaned.get("lead"), partners=cleaned.get("partners") or [])
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    form = PartnershipAdminForm
    list_display = ["name", "lead", "partner_count", "campaign", "signed_on"]
    list_filter = ["campaign", "signed_on"]
    search_fields = ["name", "lead__name", "partners__name"]
    list_select_related = ["lead", "campaign"]
    autocomplete_fields = ["lead", "partners", "campaign"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partnership]:
        return super().get_queryset(request).annotate(partner_total=Count("partners", distinct=True))

    @admin.display(description=_("结对企业数"), ordering="partner_total")
    def partner_count(self, obj: Partnership) -> int:
        return obj.partner_total  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Partnership, form: Any, change: bool) -> None:
        """Saved in save_related, together with its partners."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The pairing and its partners are saved by one service call (one transaction, both in the history).
        saved = services.partnership_save(
            actor=cast(Any, request.user),
            partnership=form.instance if change else None,
            data={name: form.cleaned_data[name] for name in Partnership.partnership_fields},
            partners=form.cleaned_data["partners"],
        )
        # The admin's messages and redirect read the form's instance.
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ProblemInline(admin.TabularInline):
    """A visit's tickets, read-only: they move only through their transition services (workbench, API)."""

    model = MetrologyProblem
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "category",
        "description",
        "status",
        "assigned_unit",
        "solution",
        "confirmed_by_name",
    )
    verbose_name_plural = _("企业计量问题（在服务记录页办理）")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MetrologyProblem]:
        return super().get_queryset(request).select_related("assigned_unit")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EnterpriseVisitAdminForm(forms.ModelForm):
    visit_types = visit_type_field()

    class Meta:
        model = EnterpriseVisit
        fields = list(EnterpriseVisit.record_fields)


@admin.register(EnterpriseVisit)
class EnterpriseVisitAdmin(ReviewedRecordAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    form = EnterpriseVisitAdminForm
    list_display = [
        "date",
        "enterprise",
        "unit",
        "programme",
        "instruments_serviced",
        "fees_waived",
        "estimated_saving",
        "review_status",
        "review_link",
    ]
    list_filter = [
        "review_status",
        "programme",
        "campaign",
        ("unit", admin.RelatedOnlyFieldListFilter),
        "date",
    ]
    search_fields = ["enterprise__name", "enterprise__credit_code", "staff", "needs_identified", "summary"]
    list_select_related = ["enterprise", "unit"]
    autocomplete_fields = ["enterprise", "partner_lead"]
    date_hierarchy = "date"
    inlines = [ProblemInline, PhotoInline]
    actions = ["approve_selected", "export_xlsx"]
    list_per_page = 50

    @admin.display(description=_("审核"))
    def review_link(self, obj: EnterpriseVisit) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("enterprises:visit_detail", args=[obj.pk]), _("审核页")
        )

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[EnterpriseVisit]) -> HttpResponse:
        filename = f"企业服务记录导出-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(importing.visits_export(queryset), filename)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "technical_partner":
            # A technical partner is another unit (巫山检测所): offer the testing bodies, not just the user's unit.
            kwargs["queryset"] = Unit.objects.filter(kind=Unit.Kind.TESTING, is_active=True)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class VisitForm(form):  # type: ignore[valid-type, misc]
            def _post_clean(self) -> None:
                # A new visit's unit and campaign are the server's (services.visit_owner, which
                # record_owner below passes to record_save, as the page and the API do: the campaign of
                # the visit's date); set before model validation, so that the form shows the
                # record-date error on its field rather than the save failing after it.
                if self.instance.pk is None:
                    try:
                        owner = services.visit_owner(actor=request.user, data=self.cleaned_data)
                    except forms.ValidationError as exc:
                        self.add_error(None, exc)
                        return
                    campaign = owner.get("campaign") or campaign_current()
                    if campaign is None:
                        self.add_error(None, _("尚未建立活动，不能登记企业服务记录。"))
                        return
                    if owner["unit"] is None:
                        self.add_error(None, _("您的账号未关联单位，不能登记企业服务记录。"))
                        return
                    self.instance.campaign, self.instance.unit = campaign, owner["unit"]
                super()._post_clean()

        return VisitForm

    def record_owner(self, request: HttpRequest, form: Any, change: bool) -> dict[str, Any]:
        # A new visit: the visiting unit (价监科 for bureau staff without a unit of their own) and the
        # campaign of its date, whoever saves (the form's _post_clean checked the same); a change keeps both.
        return services.visit_owner(
            actor=request.user, data=form.cleaned_data, visit=form.instance if change else None
        )


@admin.register(MetrologyProblem)
class MetrologyProblemAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    """Tickets are raised and moved on the visit page (or the API), where each step records who and when."""

    unit_scope_field = MetrologyProblem.unit_scope_field
    list_display = ["description_short", "category", "status", "visit_enterprise", "visit_unit", "raised_at"]
    list_filter = ["status", "category", ("visit__unit", admin.RelatedOnlyFieldListFilter), "raised_at"]
    search_fields = ["description", "solution", "visit__enterprise__name", "confirmed_by_name"]
    list_select_related = ["visit", "visit__enterprise", "visit__unit"]
    fields = ["visit_link", *services.PROBLEM_FIELDS, *MetrologyProblem.step_fields]
    readonly_fields = ["visit_link", *MetrologyProblem.step_fields]
    actions = ["export_xlsx"]
    list_per_page = 50

    @admin.display(description=_("问题描述"))
    def description_short(self, obj: MetrologyProblem) -> str:
        return obj.description[:40]

    @admin.display(description=_("服务企业"), ordering="visit__enterprise__name")
    def visit_enterprise(self, obj: MetrologyProblem) -> str:
        return obj.visit.enterprise.name

    @admin.display(description=_("填报单位"), ordering="visit__unit__name")
    def visit_unit(self, obj: MetrologyProblem) -> str:
        return obj.visit.unit.name

    @admin.display(description=_("服务记录"))
    def visit_link(self, obj: MetrologyProblem) -> str:
        return format_html('<a href="{}">{}</a>', obj.visit.get_absolute_url(), obj.visit)

    @admin.action(description=_("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[MetrologyProblem]) -> HttpResponse:
        filename = f"企业计量问题导出-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(importing.problems_export(queryset), filename)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An approved visit's tickets are read-only here, as problem_update would refuse them.
        if obj is not None and obj.visit.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: MetrologyProblem, form: Any, change: bool) -> None:
        # Only category and description are editable here; the service checks scope, permission and
        # the visit's approval lock, and writes the history.
        data = {
            name: form.cleaned_data[name] for name in services.PROBLEM_FIELDS if name in form.cleaned_data
        }
        services.problem_update(actor=cast(Any, request.user), problem=obj, data=data)
        obj.refresh_from_db()


class _ReadOnlyAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, SimpleHistoryAdmin):
    """诚信计量 rows are written on the workbench pages through enterprises.services (which keep the
    history and end superseded entries); the admin lists and reads them within the user's scope."""


@admin.register(IntegrityEntry)
class IntegrityEntryAdmin(_ReadOnlyAdmin):
    list_display = ["enterprise", "kind", "started_on", "ended_on", "unit"]
    list_filter = ["kind", ("unit", admin.RelatedOnlyFieldListFilter), "started_on", "ended_on"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "reason", "end_reason"]
    list_select_related = ["enterprise", "unit"]
    list_per_page = 50


@admin.register(IntegrityCommitment)
class IntegrityCommitmentAdmin(_ReadOnlyAdmin):
    list_display = ["enterprise", "signed_on", "unit", "created_by"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter), "signed_on"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "text"]
    list_select_related = ["enterprise", "unit", "created_by"]
    inlines = [PhotoInline]
    list_per_page = 50
