from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import ListView

from campaigns.selectors import campaign_current
from organizations.models import SecurityEvent
from organizations.security import security_event_log
from reports import selectors, services
from reports.forms import ReportRequestForm
from reports.models import Report


class ReportListView(LoginRequiredMixin, ListView):
    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.report_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        initial = ReportRequestForm.initial_from(self.request.GET, campaign=campaign_current())
        context["form"] = ReportRequestForm(initial=initial)
        context["can_request"] = self.request.user.has_perm("reports.add_report")
        return context


@login_required
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.add_report"):
        raise PermissionDenied
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        # Every field's error, named: the form is not shown again, so a message is all the user sees.
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else str(error))
        return redirect("reports:list")
    services.report_request(
        actor=request.user,
        campaign=form.cleaned_data["campaign"],
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
        unit=form.cleaned_data["unit"],
        format=form.cleaned_data["format"],
    )
    messages.success(request, _("已提交生成请求，完成后可在下方下载。"))
    return redirect("reports:list")


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_display": report.get_status_display(),
            "progress": report.progress,
            "failure_reason": report.failure_reason,
            "download_url": report.get_absolute_url() if report.status == Report.Status.DONE else "",
        }
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    security_event_log(kind=SecurityEvent.Kind.REPORT_DOWNLOAD, request=request, detail=report.filename)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename)


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.report_retry(actor=request.user, pk=pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已重新排队生成，完成后可在下方下载。"))
    return redirect("reports:list")
