"""Admin plumbing shared by the workstream apps: .xlsx import (all or nothing) and export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from core import spreadsheets as xl
from organizations.security import security_event_log


class ImportForm(forms.Form):
    campaign = forms.ModelChoiceField(label=gettext_lazy("活动"), queryset=Campaign.objects.all())
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))


class XlsxImportExportMixin:
    """Adds 下载模板 / 导入 buttons to the changelist and an 导出为 Excel action.

    Subclasses implement `xlsx_template`, `xlsx_import` and `xlsx_export`, and name the sheet in
    `xlsx_title`.
    """

    change_list_template = "admin/xlsx_change_list.html"
    xlsx_title = ""
    actions = ["export_xlsx"]

    def xlsx_template(self, campaign: Campaign) -> bytes:
        raise NotImplementedError

    def xlsx_import(self, *, request: HttpRequest, campaign: Campaign, upload: Any) -> list[Any]:
        raise NotImplementedError

    def xlsx_export(self, queryset: QuerySet[Any]) -> bytes:
        raise NotImplementedError

    def get_urls(self) -> list[Any]:
        opts = self.model._meta  # type: ignore[attr-defined]
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("import/", wrap(self.import_view), name=f"{opts.app_label}_{opts.model_name}_import"),
            path(
                "import/template/",
                wrap(self.template_view),
                name=f"{opts.app_label}_{opts.model_name}_template",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _filename(self, suffix: str) -> str:
        return f"{self.xlsx_title}{suffix}-{timezone.localdate():%Y%m%d}.xlsx"

    def template_view(self, request: HttpRequest) -> HttpResponse:
        campaign = campaign_current()
        if campaign is None:
            messages.error(request, _("请先建立活动。"))
            return redirect("admin:index")
        return xl.xlsx_response(self.xlsx_template(campaign), self._filename(_("导入模板")))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        opts = self.model._meta  # type: ignore[attr-defined]
        errors: list[xl.RowError] = []
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    imported = self.xlsx_import(
                        request=request,
                        campaign=form.cleaned_data["campaign"],
                        upload=form.cleaned_data["file"],
                    )
                except ValidationError as exc:
                    form.add_error("file", exc)
                except xl.ImportFailed as exc:
                    errors = exc.errors
                else:
                    messages.success(request, _("已导入 %(count)d 条。") % {"count": len(imported)})
                    return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        else:
            form = ImportForm(initial={"campaign": campaign_current()})
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": opts,
            "title": _("从 Excel 导入%(name)s") % {"name": opts.verbose_name},
            "form": form,
            "row_errors": errors,
            "template_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_template"),
        }
        return TemplateResponse(request, "admin/xlsx_import.html", context)

    @admin.action(description=gettext_lazy("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        security_event_log(kind="export", request=request, detail=str(opts.verbose_name_plural))
        return xl.xlsx_response(self.xlsx_export(queryset), self._filename(_("导出")))
