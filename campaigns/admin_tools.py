"""Admin plumbing shared by the workstream apps: .xlsx import (all or nothing) and export."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from campaigns import imports
from campaigns.models import Campaign, ImportJob
from campaigns.selectors import campaign_current
from core import spreadsheets as xl
from organizations.models import User
from organizations.security import security_event_log


class ImportForm(forms.Form):
    campaign = forms.ModelChoiceField(label=gettext_lazy("活动"), queryset=Campaign.objects.all())
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))
    preview = forms.BooleanField(
        label=gettext_lazy("只检查，不导入"),
        required=False,
        help_text=gettext_lazy("检查每一行并显示将新增、更新多少条，不保存任何数据。"),
    )


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
                "import/jobs/<int:pk>/",
                wrap(self.import_job_view),
                name=f"{opts.app_label}_{opts.model_name}_import_job",
            ),
            path(
                "import/jobs/<int:pk>/status/",
                wrap(require_GET(self.import_job_status_view)),
                name=f"{opts.app_label}_{opts.model_name}_import_job_status",
            ),
            path(
                "import/jobs/<int:pk>/errors.xlsx",
                wrap(require_GET(self.import_job_receipt_view)),
                name=f"{opts.app_label}_{opts.model_name}_import_job_receipt",
            ),
            path(
                "import/errors.xlsx",
                wrap(require_GET(self.import_receipt_view)),
                name=f"{opts.app_label}_{opts.model_name}_import_receipt",
            ),
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
        preview = ""
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            previewing = form.is_valid() and form.cleaned_data["preview"]
            if form.is_valid() and not previewing and (job := self._import_as_job(request, form)):
                messages.success(request, _("文件较大，已转入后台导入，本页显示进度。"))
                return redirect(job.get_absolute_url())
            if form.is_valid():
                try:
                    imported = self._run_import(request, form, previewing=previewing)
                except ValidationError as exc:
                    form.add_error("file", exc)
                except xl.ImportFailed as exc:
                    errors = exc.errors
                    # Kept for the error receipt (the last failed import of this list, per session).
                    request.session[self._receipt_key()] = [
                        {"row": e.row, "messages": e.messages} for e in errors
                    ]
                else:
                    if previewing:
                        preview = self._imported_message(imported, preview=True)
                    else:
                        messages.success(request, self._imported_message(imported))
                        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        else:
            form = ImportForm(initial={"campaign": campaign_current()})
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": opts,
            "title": _("从 Excel 导入%(name)s") % {"name": opts.verbose_name},
            "form": form,
            "row_errors": errors,
            "preview": preview,
            "receipt_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import_receipt"),
            "template_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_template"),
        }
        return TemplateResponse(request, "admin/xlsx_import.html", context)

    def _run_import(self, request: HttpRequest, form: ImportForm, *, previewing: bool) -> list[Any]:
        def run() -> list[Any]:
            return self.xlsx_import(
                request=request, campaign=form.cleaned_data["campaign"], upload=form.cleaned_data["file"]
            )

        if not previewing:
            # The importer holds its own transaction for the writes only (validating takes longer, and
            # SQLite's IMMEDIATE transactions would keep the worker and beat waiting meanwhile).
            return run()
        # A preview runs the very import (services, rules, scope) and then undoes it.
        with transaction.atomic():
            imported = run()
            transaction.set_rollback(True)
        return imported

    @staticmethod
    def _imported_message(imported: list[Any], *, preview: bool = False) -> str:
        if isinstance(imported, xl.ImportOutcome):
            counts = {
                "created": imported.created,
                "updated": imported.updated,
                "unchanged": imported.unchanged,
            }
            if preview:
                return (
                    _(
                        "检查通过，尚未导入：将新增 %(created)d 条，更新 %(updated)d 条，%(unchanged)d 条无变化。"
                    )
                    % counts
                )
            return _("导入完成：新增 %(created)d 条，更新 %(updated)d 条，%(unchanged)d 条无变化。") % counts
        if preview:
            return _("检查通过，尚未导入：将导入 %(count)d 条。") % {"count": len(imported)}
        return _("已导入 %(count)d 条。") % {"count": len(imported)}

    def _receipt_key(self) -> str:
        return f"xlsx_import_errors:{self._importer_key()}"

    def import_receipt_view(self, request: HttpRequest) -> HttpResponse:
        """The row errors of this user's last failed import of this list, as a workbook (404 if none)."""
        errors = request.session.get(self._receipt_key())
        if not errors:
            raise Http404
        return xl.xlsx_response(xl.error_receipt_bytes(errors), self._filename(_("导入错误")))

    def import_job_receipt_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(request, pk)
        if not job.row_errors:
            raise Http404
        return xl.xlsx_response(xl.error_receipt_bytes(job.row_errors), self._filename(_("导入错误")))

    def _importer_key(self) -> str:
        opts = self.model._meta  # type: ignore[attr-defined]
        return f"{opts.app_label}.{opts.model_name}"

    def _import_as_job(self, request: HttpRequest, form: ImportForm) -> ImportJob | None:
        """A job for a file of more than IMPORT_INLINE_MAX_ROWS data rows; None to import it here.

        A file the count cannot read, or of more rows than an import allows, is imported here too: the
        importer refuses it at once, on this page.
        """
        key = self._importer_key()
        if imports.get_importer(key) is None:
            return None
        upload = form.cleaned_data["file"]
        inline_max = int(settings.IMPORT_INLINE_MAX_ROWS)
        try:
            rows = xl.count_data_rows(upload, stop_after=xl.max_import_rows())
        except ValidationError:
            return None
        if rows <= inline_max or rows > xl.max_import_rows():
            return None
        return imports.import_job_create(
            actor=cast(User, request.user),
            importer=key,
            campaign=form.cleaned_data["campaign"],
            upload=upload,
            total_rows=rows,
        )

    def _job(self, request: HttpRequest, pk: int) -> ImportJob:
        job = imports.import_job_get_for_user(user=cast(User, request.user), pk=pk)
        if job.importer != self._importer_key():
            raise Http404
        return job

    def import_job_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(request, pk)
        opts = self.model._meta  # type: ignore[attr-defined]
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": opts,
            "title": _("导入%(name)s：%(file)s") % {"name": opts.verbose_name, "file": job.original_name},
            "job": job,
            "row_errors": job.row_errors,
            "receipt_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import_job_receipt", args=[pk]),
            "status_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import_job_status", args=[pk]),
            "import_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
        }
        return TemplateResponse(request, "admin/xlsx_import_job.html", context)

    def import_job_status_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = self._job(request, pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress,
                "finished": job.is_finished,
            }
        )

    @admin.action(description=gettext_lazy("导出为 Excel"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        security_event_log(kind="export", request=request, detail=str(opts.verbose_name_plural))
        return xl.xlsx_response(self.xlsx_export(queryset), self._filename(_("导出")))
