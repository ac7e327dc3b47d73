from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from campaigns.selectors import campaign_current
from dashboard import selectors
from dashboard.forms import DashboardFilterForm
from dashboard.panels import panels_html
from organizations.roles import VIEW_ALL_PERMISSION
from reports.forms import ReportRequestForm
from reports.models import Report


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Leadership's read-only picture of the campaign; offices get 403 (they have the workbench).

    The panels are rendered by dashboard.panels (reused from the cache while the official figures do
    not change); the 舆情 banner, the filter and the report form stay live on every request.
    """

    template_name = "dashboard/index.html"
    permission_required = VIEW_ALL_PERMISSION

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = DashboardFilterForm(self.request.GET or None)
        cleaned = form.cleaned_data if form.is_valid() else {}
        campaign = cleaned.get("campaign") or campaign_current()
        context.update(filter_form=form, today=today)
        if campaign is None:
            return context
        filters = selectors.Filters(
            campaign=campaign,
            date_from=cleaned.get("date_from"),
            date_to=cleaned.get("date_to"),
            unit=cleaned.get("unit"),
        )
        figures_at = selectors.figures_computed_at(filters)
        panels, panels_generated_at = panels_html(self.request, filters, today, figures_at)
        context.update(
            filters=filters,
            header=selectors.header(campaign, today),
            figures_computed_at=figures_at,
            panels=panels,
            panels_generated_at=panels_generated_at,
            panels_cache_seconds=settings.DASHBOARD_CACHE_SECONDS,
            serious_incidents=selectors.open_serious_incidents(filters),
            report_form=ReportRequestForm(
                initial={
                    "campaign": campaign,
                    "date_from": filters.date_from,
                    "date_to": filters.date_to,
                    "unit": filters.unit,
                }
            ),
            can_request_report=self.request.user.has_perm("reports.add_report"),
            recent_reports=list(
                Report.objects.filter(campaign=campaign)
                .select_related("campaign")
                .order_by("-created_at")[:3]
            ),
        )
        return context
