"""The register's office pages: thin views over instruments.selectors and instruments.services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from core import spreadsheets as xl
from core.forms import add_service_errors
from core.lists import FilteredListView
from enterprises.models import Enterprise
from instruments import importing, selectors, services
from instruments.filters import LeadFilterSet, RegisteredInstrumentFilterSet
from instruments.forms import (
    ImportForm,
    LeadDismissForm,
    LeadPlanForm,
    OwnerContactForm,
    RegisteredInstrumentForm,
    ReturnForm,
)
from instruments.models import EntryStatus, InspectionLead, OwnerContact, RegisteredInstrument
from opinion.models import OpinionIncident
from organizations.access import get_for_user, sees_all_units


class InstrumentListView(PermissionRequiredMixin, FilteredListView):
    """The register in the user's scope, filtered by the FilterSet the API shares; ?export=xlsx gives
    the filtered lines as an e-CQS-order workbook."""

    permission_required = "instruments.view_registeredinstrument"
    template_name = "instruments/instrument_list.html"
    context_object_name = "instruments"
    filterset_class = RegisteredInstrumentFilterSet

    def get_base_queryset(self) -> QuerySet[RegisteredInstrument]:
        return selectors.instrument_list_for_user(user=self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return xl.xlsx_response(importing.instruments_export(self.get_queryset()), "计量器具台账.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        user = self.request.user
        context.update(
            export_query=query.urlencode(),
            can_add=user.has_perm("instruments.add_registeredinstrument"),
            pending_count=selectors.instruments_pending_review(user=user).count(),
        )
        return context


class InstrumentFormView(LoginRequiredMixin, FormView):
    form_class = RegisteredInstrumentForm
    template_name = "instruments/instrument_form.html"
    instrument: RegisteredInstrument | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.instrument = services.instrument_get_for_change(
                actor=request.user, pk=kwargs["pk"], lock=False
            )
        elif not request.user.has_perm("instruments.add_registeredinstrument"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.instrument is None and self.request.GET.get("owner", "").isdigit():
            initial["owner"] = int(self.request.GET["owner"])
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.instrument
        kwargs["choose_unit"] = self.instrument is None and sees_all_units(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["instrument"] = self.instrument
        return context

    def form_valid(self, form: RegisteredInstrumentForm) -> HttpResponse:
        user: Any = self.request.user
        try:
            if self.instrument is None:
                saved = services.instrument_create(
                    actor=user, data=form.service_data(), unit=form.cleaned_data.get("unit")
                )
                messages.success(self.request, _("器具已登记，器具码 %(code)s。") % {"code": saved.code})
            else:
                saved = services.instrument_update(
                    actor=user, instrument=self.instrument, data=form.service_data()
                )
                messages.success(self.request, _("台账已更新。"))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(saved.get_absolute_url())


class InstrumentDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "instruments.view_registeredinstrument"
    template_name = "instruments/instrument_detail.html"
    context_object_name = "instrument"

    def get_object(self, queryset: Any = None) -> RegisteredInstrument:
        return selectors.instrument_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        instrument = cast(RegisteredInstrument, self.object)
        user = self.request.user
        ratings = instrument.ratings.aggregate(average=Avg("score"), count=Count("pk"))
        context.update(
            ratings=ratings,
            problems=instrument.problem_reports.select_related("incident").order_by("-created_at")[:10],
            inspections=instrument.inspected_rows.select_related("inspection").order_by("-inspection__date")[
                :10
            ],
            contact=OwnerContact.objects.filter(owner_id=instrument.owner_id).select_related("robot").first(),
            can_change=user.has_perm("instruments.change_registeredinstrument"),
            can_review=instrument.entry_status == EntryStatus.PENDING
            and services.may_review_entries(user, instrument),
            can_inspect=user.has_perm("inspections.add_inspectionrecord"),
            return_form=ReturnForm(),
        )
        return context


@login_required
@require_POST
def instrument_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """确认 or 退回 a market operator's line (its supervising office, or the bureau)."""
    instrument = get_for_user(RegisteredInstrument.objects.all(), request.user, pk=pk)
    user: Any = request.user
    try:
        if action == "confirm":
            services.instrument_confirm(actor=user, instrument=instrument)
            messages.success(request, _("已确认该台账记录。"))
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("退回须填写原因。"))
                return redirect(instrument.get_absolute_url())
            services.instrument_return(actor=user, instrument=instrument, reason=form.cleaned_data["reason"])
            messages.success(request, _("已退回，市场开办者可修改后重新提交。"))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(instrument.get_absolute_url())


class InstrumentImportView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    permission_required = "instruments.add_registeredinstrument"
    form_class = ImportForm
    template_name = "instruments/instrument_import.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("template"):
            return xl.xlsx_response(importing.instruments_template(), "计量器具台账导入模板.xlsx")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["choose_unit"] = sees_all_units(self.request.user)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("owner", "").isdigit():
            initial["owner"] = int(self.request.GET["owner"])
        return initial

    def form_valid(self, form: ImportForm) -> HttpResponse:
        owner: Enterprise = form.cleaned_data["owner"]
        try:
            outcome = importing.instruments_import(
                actor=self.request.user,
                upload=form.cleaned_data["file"],
                owner=owner,
                unit=form.cleaned_data.get("unit"),
            )
        except xl.ImportFailed as exc:
            return self.render_to_response(self.get_context_data(form=form, row_errors=exc.errors))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("导入完成：新登记 %(created)d 台，修改 %(updated)d 台，未变 %(unchanged)d 台。")
            % {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged},
        )
        return redirect(f"{_list_url()}?owner={owner.pk}")


def _list_url() -> str:
    return reverse("instruments:instrument_list")


@login_required
def owner_contact(request: HttpRequest, owner_pk: int) -> HttpResponse:
    """Where an owner gets its reminders (e-mail, robot); saved through owner_contact_save."""
    owner = get_object_or_404(Enterprise, pk=owner_pk)
    existing = OwnerContact.objects.filter(owner=owner).select_related("robot").first()
    if existing is not None:
        existing = get_for_user(OwnerContact.objects.select_related("robot"), request.user, pk=existing.pk)
    permission = "instruments.change_ownercontact" if existing else "instruments.add_ownercontact"
    if not request.user.has_perm(permission):
        raise PermissionDenied
    form = OwnerContactForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("name", "email", "reminders_enabled")}
        try:
            services.owner_contact_save(
                actor=cast(Any, request.user),
                owner=owner,
                data=data,
                robot_kind=form.cleaned_data["robot_kind"],
                robot_url=form.cleaned_data["robot_url"],
                robot_secret=form.cleaned_data["robot_secret"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("提醒联系人已保存。"))
            return redirect(f"{_list_url()}?owner={owner.pk}")
    return render(request, "instruments/contact_form.html", {"form": form, "owner": owner})


# --- Leads -------------------------------------------------------------------------------------------


class LeadListView(PermissionRequiredMixin, FilteredListView):
    """The office's inspection leads, and the problems reported from scan pages not yet made leads."""

    permission_required = "instruments.view_inspectionlead"
    template_name = "instruments/lead_list.html"
    context_object_name = "leads"
    filterset_class = LeadFilterSet

    def get_base_queryset(self) -> QuerySet[InspectionLead]:
        return selectors.lead_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            new_reports=selectors.problem_reports_for_user(user=user).filter(lead__isnull=True)[:20],
            can_handle=services.may_handle_leads(user),
            can_add=user.has_perm("instruments.add_inspectionlead"),
        )
        # Each lead has its own two forms: their fields' ids name the lead, so that no id repeats on
        # the page and every label points at its own lead's input (the names stay what the views read).
        for lead in context["leads"]:
            lead.plan_form = LeadPlanForm(auto_id=f"id_lead{lead.pk}_plan_%s")
            lead.dismiss_form = LeadDismissForm(auto_id=f"id_lead{lead.pk}_dismiss_%s")
        return context


@login_required
@require_POST
def lead_from_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(
        selectors.problem_reports_for_user(user=request.user),
        request.user,
        pk=pk,
        unit_field="instrument__unit",
    )
    lead = services.lead_from_problem_report(actor=cast(Any, request.user), report=report)
    messages.success(request, _("已转为检查线索。"))
    return redirect(lead.get_absolute_url())


@login_required
@require_POST
def lead_from_incident(request: HttpRequest, pk: int) -> HttpResponse:
    """The 舆情 desk's button: an incident becomes an inspection lead for its handling office."""
    incident = get_for_user(OpinionIncident.objects.all(), request.user, pk=pk, unit_field="handling_unit")
    lead = services.lead_from_incident(actor=cast(Any, request.user), incident=incident)
    messages.success(request, _("已转为检查线索。"))
    return redirect(lead.get_absolute_url())


@login_required
@require_POST
def lead_plan(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get_for_user(user=request.user, pk=pk)
    if not services.may_handle_leads(request.user):  # 403 before the form is read
        raise PermissionDenied
    form = LeadPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写计划检查日期。"))
        return redirect(lead.get_absolute_url())
    try:
        plan = services.lead_plan(
            actor=cast(Any, request.user),
            lead=lead,
            planned_for=form.cleaned_data["planned_for"],
            domain=form.cleaned_data["domain"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(lead.get_absolute_url())
    messages.success(
        request,
        _("已安排 %(day)s 检查%(party)s。") % {"day": f"{plan.planned_for:%Y-%m-%d}", "party": plan.party},
    )
    return redirect(lead.get_absolute_url())


@login_required
@require_POST
def lead_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get_for_user(user=request.user, pk=pk)
    if not services.may_handle_leads(request.user):  # 403 before the form is read
        raise PermissionDenied
    form = LeadDismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写不予处理的理由。"))
        return redirect(lead.get_absolute_url())
    try:
        services.lead_dismiss(actor=cast(Any, request.user), lead=lead, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("线索已标记为不予处理。"))
    return redirect(lead.get_absolute_url())
