from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from campaigns.selectors import campaign_current
from dashboard import selectors
from dashboard.forms import DashboardFilterForm
from organizations.roles import VIEW_ALL_PERMISSION
from reports.forms import ReportRequestForm
from reports.models import Report


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Leadership's read-only picture of the campaign; offices get 403 (they have the workbench)."""

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
        timeliness = selectors.timeliness(filters, today)
        statistics = selectors.inspection_rows(filters)
        pending = selectors.pending_counts(filters)
        context.update(
            filters=filters,
            header=selectors.header(campaign, today),
            cards=selectors.workstream_cards(
                filters, today, user=self.request.user, statistics=statistics, pending=pending
            ),
            newest_incidents=selectors.newest_incidents(filters, timezone.now()),
            timeliness=timeliness,
            chart_data={
                "activity": selectors.activity_series(filters, pending),
                "opinion": selectors.opinion_chart(filters),
                "inspections": selectors.inspection_chart(statistics, pending),
                "timeliness": [
                    {
                        "unit": row["unit__name"],
                        "values": [
                            row["done_on_time"],
                            row["done_late"],
                            row["overdue"],
                            row["open"],
                            row["unacknowledged"],
                        ],
                    }
                    for row in timeliness
                ],
            },
            latest_activities=selectors.latest_activities(filters),
            overdue_followups=selectors.overdue_followups(filters, today),
            report_form=ReportRequestForm(
                initial={"campaign": campaign, "date_from": filters.date_from, "date_to": filters.date_to}
            ),
            can_request_report=self.request.user.has_perm("reports.add_report"),
            recent_reports=list(
                Report.objects.filter(campaign=campaign)
                .select_related("campaign")
                .order_by("-created_at")[:3]
            ),
        )
        return context
