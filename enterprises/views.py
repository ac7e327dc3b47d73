from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from campaigns.selectors import campaign_current, target_progress
from core.lists import FilteredListView
from enterprises import selectors, services
from enterprises.filters import EnterpriseFilterSet, VisitFilterSet
from enterprises.forms import (
    EnterpriseForm,
    EnterpriseVisitForm,
    ProblemAssignForm,
    ProblemConfirmForm,
    ProblemRaiseForm,
    ProblemSolveForm,
)
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem
from records.lists import list_facts
from records.views import RecordDetailView, RecordFormView, review_action_view

METRICS = [
    "enterprises.visits",
    "enterprises.enterprises_served",
    "enterprises.problems_solved",
    "enterprises.instruments_serviced",
]


# --- Enterprises -----------------------------------------------------------------------------------


class EnterpriseListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "enterprises.view_enterprise"
    template_name = "enterprises/enterprise_list.html"
    context_object_name = "enterprises"
    filterset_class = EnterpriseFilterSet

    def get_base_queryset(self) -> QuerySet[Enterprise]:
        return selectors.enterprise_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("enterprises.add_enterprise")
        return context


class EnterpriseDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "enterprises.view_enterprise"
    template_name = "enterprises/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_object(self, queryset: Any = None) -> Enterprise:
        return selectors.enterprise_get(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        user = self.request.user
        visits = selectors.visit_list_for_user(user=user).filter(enterprise=enterprise)
        context.update(
            recent_visits=visits[:10],
            partnerships=selectors.partnerships_of(enterprise),
            can_change=user.has_perm("enterprises.change_enterprise"),
            can_add_visit=user.has_perm("enterprises.add_enterprisevisit"),
            can_add_integrity=user.has_perm("enterprises.add_integrityentry"),
            can_add_commitment=user.has_perm("enterprises.add_integritycommitment"),
            can_end_integrity=user.has_perm("enterprises.change_integrityentry"),
        )
        if user.has_perm("enterprises.view_integrityentry"):
            context["integrity"] = selectors.integrity_of(enterprise=enterprise, user=user)
        return context


class EnterpriseFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """The registry's form; the services check the permission again and set only the allow-listed fields."""

    form_class = EnterpriseForm
    template_name = "enterprises/enterprise_form.html"
    enterprise: Enterprise | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.enterprise
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(enterprise=self.enterprise, heading=getattr(self, "heading", ""))
        return context

    def form_valid(self, form: EnterpriseForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in Enterprise.registry_fields}
        user: Any = self.request.user
        try:
            if self.enterprise is None:
                saved = services.enterprise_create(actor=user, data=data)
                messages.success(self.request, _("企业已登记。"))
            else:
                saved = services.enterprise_update(actor=user, enterprise=self.enterprise, data=data)
                messages.success(self.request, _("企业信息已更新。"))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(saved.get_absolute_url())


class EnterpriseCreateView(EnterpriseFormView):
    permission_required = "enterprises.add_enterprise"


class EnterpriseUpdateView(EnterpriseFormView):
    permission_required = "enterprises.change_enterprise"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.enterprise = selectors.enterprise_get(pk=kwargs["pk"])
            # A ModelForm changes its instance while validating: keep the page's heading intact.
            self.heading = self.enterprise.name
        return super().dispatch(request, *args, **kwargs)


# --- Visits ----------------------------------------------------------------------------------------


class VisitListView(FilteredListView):
    """Visits in the user's scope, narrowed by the FilterSet the API shares; the figures above the list
    count the approved ones among them, with those awaiting review beside."""

    template_name = "enterprises/visit_list.html"
    context_object_name = "visits"
    filterset_class = VisitFilterSet

    def get_base_queryset(self) -> QuerySet[EnterpriseVisit]:
        return selectors.visit_list_for_user(user=self.request.user)

    def enterprise_filter(self) -> Enterprise | None:
        """The enterprise whose visits alone are listed (?enterprise=, from its page), for the banner."""
        raw = self.request.GET.get("enterprise", "")
        if not raw.isdigit():
            return None
        return Enterprise.objects.filter(pk=int(raw)).only("pk", "name").first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enterprise"] = self.enterprise_filter()
        context["totals"] = selectors.visit_totals(
            cast(QuerySet[EnterpriseVisit], self.object_list),
            facts=list_facts(self.filterset, user=self.request.user),
        )
        context["progress"] = target_progress(campaign=campaign_current(), metrics_keys=METRICS)
        context["can_add"] = self.request.user.has_perm("enterprises.add_enterprisevisit")
        return context


class VisitFormView(RecordFormView[EnterpriseVisit]):
    """Create (no pk) or change a visit through record_save; a new one is logged under the visiting unit."""

    model = EnterpriseVisit
    form_class = EnterpriseVisitForm
    template_name = "enterprises/visit_form.html"
    context_record_name = "visit"
    saved_message = gettext_lazy("服务记录已保存为草稿，提交后{reviewer}才能审核。")
    submitted_message = gettext_lazy("服务记录已保存并提交{reviewer}审核。")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.record is None and "enterprise" in self.request.GET:
            initial["enterprise"] = self.request.GET["enterprise"]
        return initial

    def save_kwargs(self, form: BaseForm) -> dict[str, Any]:
        # The visit form writes no nested rows (problems are tickets with their own steps). A date no
        # campaign covers is a ValidationError here, shown on the date field like the service's own.
        return services.visit_owner(actor=self.request.user, data=form.cleaned_data, visit=self.record)


class VisitDetailView(RecordDetailView[EnterpriseVisit]):
    model = EnterpriseVisit
    template_name = "enterprises/visit_detail.html"
    context_object_name = "visit"
    edit_url_name = "enterprises:visit_edit"
    review_url_name = "enterprises:visit_review"

    def get_queryset(self) -> QuerySet[EnterpriseVisit]:
        return EnterpriseVisit.objects.select_related(
            "enterprise", "unit", "campaign", "technical_partner", "partner_lead", "created_by", "reviewed_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visit = self.object
        user = self.request.user
        can_raise = services.may_raise_problem(user) and not visit.is_locked
        problems = list(selectors.problems_of_visit(visit))
        if services.may_handle_problem(user):
            attach_next_step_forms(problems)
        context.update(
            problems=problems,
            solved_count=sum(1 for problem in problems if problem.is_solved),
            raise_form=ProblemRaiseForm(auto_id="new_problem_%s") if can_raise else None,
        )
        return context


visit_review = review_action_view(EnterpriseVisit)


NEXT_STEP = {
    MetrologyProblem.Status.RAISED: "assign",
    MetrologyProblem.Status.ASSIGNED: "solve",
    MetrologyProblem.Status.SOLVED: "confirm",
}


def attach_next_step_forms(problems: list[MetrologyProblem]) -> None:
    """Give each open ticket the form of its next step (`step`, `step_form`), with ids unique on the page.

    The unit choices are read once and shared, so the page's queries do not grow with its tickets.
    """
    unit_choices: list[Any] | None = None
    for problem in problems:
        step = NEXT_STEP.get(MetrologyProblem.Status(problem.status))
        if step is None:
            continue
        form = TRANSITIONS[step][0](auto_id=f"problem{problem.pk}_%s")
        if "assigned_unit" in form.fields:
            field = cast(forms.ModelChoiceField, form.fields["assigned_unit"])
            if unit_choices is None:
                # Through iter(): list() would first ask the choices for their length, a COUNT query.
                unit_choices = list(iter(cast(Any, field.choices)))
            field.choices = unit_choices
        problem.step, problem.step_form = step, form  # type: ignore[attr-defined]


# --- Problem tickets -------------------------------------------------------------------------------


def _report(request: HttpRequest, form: forms.Form | None = None, exc: ValidationError | None = None) -> None:
    errors = [str(e) for errors in form.errors.values() for e in errors] if form is not None else []
    if exc is not None:
        errors.extend(exc.messages)
    messages.error(request, "；".join(errors))


@login_required
@require_POST
def problem_raise(request: HttpRequest, pk: int) -> HttpResponse:
    # Scope (404), then the service's permission (403), before the form is read; the service asks
    # both again with the visit locked before it writes.
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    if not services.may_raise_problem(request.user):
        raise PermissionDenied
    form = ProblemRaiseForm(request.POST)
    if not form.is_valid():
        _report(request, form)
        return redirect(visit.get_absolute_url())
    try:
        problem = services.problem_raise(actor=cast(Any, request.user), visit=visit, **form.cleaned_data)
    except ValidationError as exc:
        _report(request, exc=exc)
        return redirect(visit.get_absolute_url())
    messages.success(request, _("问题已登记。"))
    return redirect(problem.get_absolute_url())


TRANSITIONS: dict[str, tuple[type[forms.Form], Any, Any]] = {
    "assign": (ProblemAssignForm, services.problem_assign, gettext_lazy("问题已指派。")),
    "solve": (ProblemSolveForm, services.problem_solve, gettext_lazy("问题已标记为已解决。")),
    "confirm": (ProblemConfirmForm, services.problem_confirm, gettext_lazy("已登记企业确认。")),
}


@login_required
@require_POST
def problem_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    if action not in TRANSITIONS or not services.may_handle_problem(request.user):
        raise PermissionDenied
    form_class, service, done = TRANSITIONS[action]
    form = form_class(request.POST)
    url = problem.get_absolute_url()
    if not form.is_valid():
        _report(request, form)
        return redirect(url)
    data = dict(form.cleaned_data)
    if action == "confirm":
        data["note"] = data.pop("confirmation_note")
    try:
        service(actor=request.user, problem=problem, **data)
    except ValidationError as exc:
        _report(request, exc=exc)
    else:
        messages.success(request, done)
    return redirect(url)
