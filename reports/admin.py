from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports import services
from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "campaign",
        "status",
        "progress",
        "requested_by",
        "finished_at",
        "failure_reason",
        "download",
    ]
    list_filter = ["kind", "status", "campaign"]
    search_fields = ["campaign__name", "error", "key"]
    list_select_related = ["campaign", "requested_by"]
    fields = ["campaign", "kind", "date_from", "date_to"]
    actions = ["retry"]

    @admin.display(description=_("下载"))
    def download(self, obj: Report) -> str:
        if obj.status != Report.Status.DONE:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("下载"))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A request names four fields; an existing report shows everything, its failure reason included.
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
        )
        # The admin logs and names the object it saved: give it the row the service made.
        obj.pk = created.pk
        obj.refresh_from_db()
