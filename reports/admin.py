from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reports import services
from reports.models import Report, SummaryTemplate


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "format",
        "campaign",
        "unit",
        "status",
        "progress",
        "requested_by",
        "finished_at",
        "failure_reason",
        "download",
    ]
    list_filter = ["kind", "format", "status", "campaign"]
    search_fields = ["campaign__name", "error", "key"]
    list_select_related = ["campaign", "requested_by", "unit"]
    autocomplete_fields = ["unit"]
    fields = ["campaign", "kind", "format", "date_from", "date_to", "unit"]
    actions = ["retry"]

    @admin.display(description=_("下载"))
    def download(self, obj: Report) -> str:
        if obj.status != Report.Status.DONE:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("下载"))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A request names six fields; an existing report shows everything, its failure reason included.
        if obj is not None:
            return [f.name for f in Report._meta.fields if f.name != "id"]
        return super().get_fields(request, obj)

    @admin.action(description=_("重试所选的失败报表"), permissions=["add"])
    def retry(self, request: HttpRequest, queryset: Any) -> None:
        retried = 0
        for report in queryset.filter(status=Report.Status.FAILED):
            services.report_retry(actor=request.user, pk=report.pk)
            retried += 1
        self.message_user(request, _("已重新排队 %(count)d 份报表。") % {"count": retried})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None:
            return [f.name for f in Report._meta.fields]
        return []

    def save_model(self, request: HttpRequest, obj: Report, form: Any, change: bool) -> None:
        # An admin-made report is a request like any other: the row plus a queued build.
        if change:
            return
        created = services.report_request(
            actor=request.user,
            campaign=obj.campaign,
            kind=obj.kind,
            date_from=obj.date_from,
            date_to=obj.date_to,
            unit=obj.unit,
            format=obj.format,
        )
        # The admin logs and names the object it saved: give it the row the service made.
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(SummaryTemplate)
class SummaryTemplateAdmin(SimpleHistoryAdmin):
    """The 工作总结's wording: the bureau edits the sentences, the figures fill the {placeholders}.
    Saved and deleted through reports.services (permission, check, history)."""

    list_display = ["sort_order", "heading", "key", "updated_at"]
    list_display_links = ["heading"]
    search_fields = ["heading", "text", "key"]
    readonly_fields = ["updated_at", "placeholders"]
    fields = ["key", "heading", "text", "sort_order", "placeholders", "updated_at"]

    @admin.display(description=_("可用的名称"))
    def placeholders(self, obj: SummaryTemplate | None) -> str:
        from reports.summary import TEMPLATE_KEYS

        return "、".join("{%s}" % key for key in sorted(TEMPLATE_KEYS))  # noqa: UP031 (braces shown as is)

    def save_model(self, request: HttpRequest, obj: SummaryTemplate, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in SummaryTemplate.editable_fields}
        saved = services.summary_template_save(
            actor=request.user, template=obj if change else None, data=data
        )
        # The admin logs and names the object it saved: give it the row the service made.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: SummaryTemplate) -> None:
        services.summary_template_delete(actor=request.user, template=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SummaryTemplate]) -> None:
        for template in queryset:
            services.summary_template_delete(actor=request.user, template=template)
