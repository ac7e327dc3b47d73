from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from dashboard import selectors
from dashboard.forms import DashboardFilterForm
from dashboard.panels import dashboard_page
from organizations.roles import VIEW_ALL_PERMISSION
from reports.forms import ReportRequestForm


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Leadership's read-only picture of the campaign; offices get 403 (they have the workbench).

    The panels are rendered by dashboard.panels (reused from the cache while the official figures do
    not change), and so are the filter and report forms' fields; the 舆情 banner stays live.
    """

    template_name = "dashboard/index.html"
    permission_required = VIEW_ALL_PERMISSION

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = DashboardFilterForm(self.request.GET or None)
        cleaned = form.cleaned_data if form.is_valid() else {}
        context.update(filter_form=form, today=today)
        state = selectors.page_state(cleaned.get("campaign"))
        if state is None:
            return context
        campaign = state.campaign
        filters = selectors.Filters(
            campaign=campaign,
            date_from=cleaned.get("date_from"),
            date_to=cleaned.get("date_to"),
            unit=cleaned.get("unit"),
        )
        report_form = ReportRequestForm(
            initial={
                "campaign": campaign,
                "date_from": filters.date_from,
                "date_to": filters.date_to,
                "unit": filters.unit,
            }
        )
        page = dashboard_page(self.request, filters, today, state, {"filter": form, "report": report_form})
        context.update(
            filters=filters,
            header=selectors.header(campaign, today),
            figures_computed_at=state.figures_at,
            panels=page.panels,
            panels_generated_at=page.made_at,
            panels_cache_seconds=settings.DASHBOARD_CACHE_SECONDS,
            serious_incidents=selectors.open_serious_incidents(filters),
            report_form=report_form,
            can_request_report=self.request.user.has_perm("reports.add_report"),
            recent_reports=page.recent_reports,
            forms_html=page.forms_html,
        )
        return context
