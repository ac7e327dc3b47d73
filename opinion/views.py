"""The 舆情 desk's pages: interfaces over opinion.selectors (scoped reads, 404 out of scope) and
opinion.services (every write, with its own scope and permission checks)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from core.forms import add_service_errors, label_blank_choices
from core.lists import FilteredListView
from evidence.forms import bind_photo_uploader
from evidence.selectors import photos_for
from opinion import selectors, services
from opinion.filters import IncidentFilterSet
from opinion.forms import IncidentAssessForm, IncidentCloseForm, OpinionIncidentForm
from opinion.models import OpinionIncident
from records.services import submission_key_claim, submission_key_new


def _with_deadline_states(incidents: list[OpinionIncident]) -> list[OpinionIncident]:
    now = timezone.now()
    for incident in incidents:
        incident.report_state_value = incident.report_state(now)  # type: ignore[attr-defined]
        incident.response_state_value = incident.response_state(now)  # type: ignore[attr-defined]
    return incidents


class IncidentListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "opinion.view_opinionincident"
    template_name = "opinion/incident_list.html"
    context_object_name = "incidents"
    filterset_class = IncidentFilterSet

    def get_base_queryset(self) -> QuerySet[OpinionIncident]:
        return selectors.incident_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        _with_deadline_states(list(context["incidents"]))
        context["counts"] = selectors.incident_counts(
            cast(QuerySet[OpinionIncident], self.object_list), now=timezone.now()
        )
        context["can_add"] = self.request.user.has_perm(services.ADD_PERMISSION)
        return context


class IncidentFormView(LoginRequiredMixin, FormView):
    """Log an incident (no `pk`) or edit an open one: 404 out of scope, 403 read-only, closed → its page."""

    form_class = OpinionIncidentForm
    template_name = "opinion/incident_form.html"
    incident: OpinionIncident | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            # The service's own gate, so that the page and the save refuse alike.
            self.incident = services.incident_get_for_change(actor=request.user, pk=kwargs["pk"], lock=False)
            if self.incident.is_closed:
                messages.error(request, _("该舆情已办结，不能再修改。"))
                return redirect(self.incident.get_absolute_url())
        elif not request.user.has_perm(services.ADD_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.incident)
        return kwargs

    def get_form(self, form_class: Any = None) -> BaseForm:
        form = super().get_form(form_class)
        # As the record kit's forms (records.views.RecordFormView): screenshots upload as soon as they
        # are picked and survive a validation error (evidence.pending), and choices say 请选择.
        bind_photo_uploader(form, self.request.user)
        label_blank_choices(form)
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["record"] = self.incident
        context["photos"] = photos_for(self.incident) if self.incident is not None else []
        context["submission_key"] = self.request.POST.get("submission_key") or submission_key_new()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in OpinionIncident.record_fields}
        actor: Any = self.request.user
        key = self.request.POST.get("submission_key", "") if self.incident is None else ""
        earlier = selectors.incident_for_submission_key(user=actor, key=key)
        if earlier is not None:
            # A double tap or a resent form: the first POST logged the incident already.
            messages.info(self.request, _("该表单已提交过，未重复保存。"))
            return redirect(earlier.get_absolute_url())
        try:
            if self.incident is None:
                with transaction.atomic():
                    saved = services.incident_create(
                        actor=actor, data=data, photos=form.cleaned_data["photos"]
                    )
                    submission_key_claim(actor=actor, key=key, record=saved)
                message = _("舆情已登记，请及时研判处置。")
            else:
                saved = services.incident_update(
                    actor=actor, incident=self.incident, data=data, photos=form.cleaned_data["photos"]
                )
                message = _("舆情信息已更新。")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(saved.get_absolute_url())


def _incident_detail(
    request: HttpRequest,
    incident: OpinionIncident,
    *,
    assess_form: IncidentAssessForm | None = None,
    close_form: IncidentCloseForm | None = None,
) -> HttpResponse:
    _with_deadline_states([incident])
    can_handle = services.may_handle(request.user) and not incident.is_closed
    next_status = services.NEXT_STATUS.get(incident.status)
    context = {
        "incident": incident,
        "photos": photos_for(incident),
        "can_handle": can_handle,
        "next_status": next_status,
        "next_status_label": OpinionIncident.Status(next_status).label if next_status else "",
        "assess_form": assess_form
        or IncidentAssessForm(initial={"assessment": incident.assessment, "actions": incident.actions}),
        "close_form": close_form
        or IncidentCloseForm(
            initial={
                "response": incident.response,
                "responded_at": incident.responded_at,
                "handling_summary": incident.handling_summary,
            }
        ),
        "history": incident.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "opinion/incident_detail.html", context)


@login_required
@permission_required("opinion.view_opinionincident", raise_exception=True)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_detail(request, selectors.incident_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def incident_transition(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get_for_user(user=request.user, pk=pk)
    if not services.may_handle(request.user):
        raise PermissionDenied
    to_status = request.POST.get("status", "")
    form: forms.Form | None = None
    if to_status == OpinionIncident.Status.HANDLING:
        form = IncidentAssessForm(request.POST)
    elif to_status == OpinionIncident.Status.CLOSED:
        form = IncidentCloseForm(request.POST)
    if form is not None and not form.is_valid():
        return _rerender_incident(request, incident, to_status, form)
    data = {k: v for k, v in (form.cleaned_data if form else {}).items() if v not in (None, "")}
    try:
        services.incident_transition(actor=request.user, incident=incident, to_status=to_status, data=data)  # type: ignore[arg-type]
    except ValidationError as exc:
        if form is None or not hasattr(exc, "error_dict"):
            # Not about what was typed (e.g. a step out of order): say it above the page.
            messages.error(request, "；".join(exc.messages))
            return redirect(incident.get_absolute_url())
        add_service_errors(form, exc)
        return _rerender_incident(request, incident, to_status, form)
    messages.success(
        request, _("舆情已转为“%(status)s”。") % {"status": OpinionIncident.Status(to_status).label}
    )
    return redirect(incident.get_absolute_url())


def _rerender_incident(
    request: HttpRequest, incident: OpinionIncident, to_status: str, form: forms.Form
) -> HttpResponse:
    if to_status == OpinionIncident.Status.CLOSED:
        return _incident_detail(request, incident, close_form=cast(IncidentCloseForm, form))
    return _incident_detail(request, incident, assess_form=cast(IncidentAssessForm, form))


@login_required
@require_POST
def incident_report(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get_for_user(user=request.user, pk=pk)
    try:
        services.incident_report_to_county(actor=request.user, incident=incident)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已记录向县局报告的时间。"))
    return redirect(incident.get_absolute_url())
