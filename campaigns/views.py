from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from campaigns import reporting, selectors, services
from campaigns.forms import AssignmentFilterForm, AssignmentNoteForm
from campaigns.models import TaskAssignment
from core.lists import FilteredListView
from organizations.access import sees_all_units


def mark_timing(assignment: TaskAssignment, today: Any) -> None:
    """Attach the derived due/overdue facts the templates show."""
    assignment.overdue = assignment.is_overdue(today)  # type: ignore[attr-defined]
    days = assignment.days_left(today)
    assignment.days_remaining = days  # type: ignore[attr-defined]
    assignment.days_overdue = -days if days is not None and days < 0 else 0  # type: ignore[attr-defined]


class WorkbenchView(FilteredListView):
    """The office's tasks: what it must sign for, what is due and what is overdue. Leadership reads all."""

    template_name = "campaigns/workbench.html"
    context_object_name = "assignments"
    filter_form_class = AssignmentFilterForm

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {"show_units": sees_all_units(self.request.user)}

    def get_queryset(self) -> Any:
        self.today = timezone.localdate()
        data = self.get_filters()
        self.campaign = data.get("campaign") or selectors.campaign_current()
        workstream, unit = data.get("workstream"), data.get("unit")
        return selectors.assignment_list_for_user(
            user=self.request.user,
            campaign=self.campaign,
            status=data.get("status", ""),
            workstream_id=workstream.pk if workstream else None,
            unit_id=unit.pk if unit else None,
            timing=data.get("timing", ""),
            search=data.get("q", ""),
            today=self.today,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for assignment in context["assignments"]:
            mark_timing(assignment, self.today)
        context.update(
            summary=selectors.assignment_summary(
                selectors.assignment_list_for_user(
                    user=self.request.user, campaign=self.campaign, today=self.today
                ),
                today=self.today,
            ),
            campaign=self.campaign,
            progress=selectors.target_progress(campaign=self.campaign),
            today=self.today,
            can_act=self.request.user.has_perm("campaigns.change_taskassignment"),
            show_units=sees_all_units(self.request.user),
            # The 工作要求 the user's own unit answers for (the bureau admin finds them all on the plan).
            requirements=None
            if self.campaign is None or sees_all_units(self.request.user)
            else list(
                selectors.requirements_for_unit(
                    campaign=self.campaign, unit_id=getattr(self.request.user, "unit_id", None)
                )
            ),
            # An office sees its own row of the reporting grid; who sees all reads it on the dashboard.
            reporting=None
            if self.campaign is None or sees_all_units(self.request.user)
            else reporting.reporting_grid(campaign=self.campaign, today=self.today, user=self.request.user),
        )
        return context


class AssignmentDetailView(LoginRequiredMixin, DetailView):
    template_name = "campaigns/assignment_detail.html"
    context_object_name = "assignment"

    def get_object(self, queryset: Any = None) -> TaskAssignment:
        return selectors.assignment_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assignment = self.object
        mark_timing(assignment, timezone.localdate())
        context.update(
            a=assignment,
            can_act=self.request.user.has_perm("campaigns.change_taskassignment"),
            next_statuses=sorted(services.ALLOWED_TRANSITIONS[assignment.status]),
            note_form=AssignmentNoteForm(initial={"note": assignment.note}),
            history=assignment.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context


@login_required
@require_POST
def assignment_transition(request: HttpRequest, pk: int, to_status: str) -> HttpResponse:
    """签收 / 开始办理 / 办结 buttons on the workbench and the task page."""
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("campaigns.change_taskassignment"):
        raise PermissionDenied
    if to_status not in TaskAssignment.Status.values:
        raise PermissionDenied
    note_form = AssignmentNoteForm(request.POST)
    note = note_form.cleaned_data["note"] if note_form.is_valid() else ""
    try:
        services.assignment_transition(
            actor=request.user, assignment=assignment, to_status=to_status, note=note
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(task)s”已标记为%(status)s。")
            % {"task": assignment.task.title, "status": TaskAssignment.Status(to_status).label},
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(assignment.get_absolute_url())
