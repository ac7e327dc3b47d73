from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, FormView, TemplateView

from campaigns.models import Campaign, TaskAssignment
from campaigns.selectors import campaign_current
from core.lists import FilteredListView
from core.spreadsheets import xlsx_response
from evidence.selectors import attach_thumbnails, photos_for
from inspections import exports, selectors, services
from inspections.forms import (
    BaseInstrumentFormSet,
    CaseCloseForm,
    CaseFileForm,
    InspectionFilterForm,
    InspectionForm,
    RectificationOrderForm,
    RectifiedForm,
    StatisticsFilterForm,
    instrument_formset,
)
from inspections.models import FollowUpStatus, InspectionRecord
from inspections.selectors import STATISTICS_COLUMNS
from organizations.access import sees_all_units
from records.views import handle_review_action, review_context

CHANGE_PERMISSION = "inspections.change_inspectionrecord"


class InspectionListView(FilteredListView):
    template_name = "inspections/inspection_list.html"
    context_object_name = "inspections"
    filter_form_class = InspectionFilterForm

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {"show_units": sees_all_units(self.request.user)}

    def get_queryset(self) -> Any:
        self.campaign = campaign_current()
        filters = self.get_filters()
        unit = filters.get("unit")
        return selectors.inspection_list_for_user(
            user=self.request.user,
            campaign=self.campaign,
            domain=filters.get("domain", ""),
            follow_up_status=filters.get("follow_up_status", ""),
            review_status=filters.get("review_status", ""),
            unit_id=unit.pk if unit else None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            search=filters.get("q", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attach_thumbnails(context["inspections"])
        user = self.request.user
        context.update(
            campaign=self.campaign,
            can_add=user.has_perm("inspections.add_inspectionrecord"),
            show_units=sees_all_units(user),
        )
        return context


def _add_errors(form: BaseForm, exc: ValidationError) -> None:
    """A service's errors on the form: on their field when the form has it, above the form otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, messages_ in exc.message_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages_)


class InspectionFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """The record form with its instrument rows (a formset) and domain sections; saving goes through
    the service, which validates the record and its instruments together and saves all or nothing."""

    form_class = InspectionForm
    template_name = "inspections/inspection_form.html"
    inspection: InspectionRecord | None = None

    def get_campaign(self) -> Campaign | None:
        if not hasattr(self, "_campaign"):
            self._campaign = self.inspection.campaign if self.inspection else campaign_current()
        return self._campaign

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["campaign"] = self.get_campaign()
        if self.inspection is not None:
            kwargs["instance"] = self.inspection
        return kwargs

    def get_formset(self) -> BaseInstrumentFormSet:
        data = self.request.POST if self.request.method == "POST" else None
        return instrument_formset(data=data, inspection=self.inspection)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        context.update(
            inspection=self.inspection,
            campaign=self.get_campaign(),
            photos=photos_for(self.inspection) if self.inspection else [],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        formset = self.get_formset()
        formset_ok = formset.is_valid()
        assert isinstance(form, InspectionForm)  # noqa: S101 (narrowing for the type checker)
        form.set_instruments(formset.rows() if formset_ok else [])
        form_ok = form.is_valid()
        if self.get_campaign() is None:
            form.add_error(None, _("尚未建立活动，不能登记检查记录。"))
            form_ok = False
        if not (form_ok and formset_ok):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        submit = request.POST.get("action") == "submit"
        try:
            saved = self.save(form, formset, submit)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(
            request,
            _("检查记录已保存并提交审核。") if submit else _("检查记录已保存为草稿，提交后县局才能审核。"),
        )
        return redirect(saved.get_absolute_url())

    def save(self, form: InspectionForm, formset: BaseInstrumentFormSet, submit: bool) -> InspectionRecord:
        raise NotImplementedError


class InspectionCreateView(InspectionFormView):
    permission_required = "inspections.add_inspectionrecord"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        initial["date"] = timezone.localdate()
        if self.request.GET.get("domain"):
            initial["domain"] = self.request.GET["domain"]
        return initial

    def save(self, form: InspectionForm, formset: BaseInstrumentFormSet, submit: bool) -> InspectionRecord:
        campaign = self.get_campaign()
        assert campaign is not None  # noqa: S101 (checked in post)
        return services.inspection_create(
            actor=self.request.user,
            campaign=campaign,
            data=form.record_data(),
            instruments=formset.rows(),
            photos=form.cleaned_data["photos"],
            submit=submit,
        )


class InspectionUpdateView(InspectionFormView):
    permission_required = CHANGE_PERMISSION

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.inspection = selectors.inspection_get_for_user(user=request.user, pk=kwargs["pk"])
            if self.inspection.is_locked:
                messages.error(request, _("该记录已审核通过，不能再修改。"))
                return redirect(self.inspection.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def save(self, form: InspectionForm, formset: BaseInstrumentFormSet, submit: bool) -> InspectionRecord:
        assert self.inspection is not None  # noqa: S101 (set in dispatch)
        return services.inspection_update(
            actor=self.request.user,
            inspection=self.inspection,
            data=form.record_data(),
            instruments=formset.rows(),
            photos=form.cleaned_data["photos"],
            submit=submit,
        )


class InspectionDetailView(LoginRequiredMixin, DetailView):
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"

    def get_object(self, queryset: Any = None) -> InspectionRecord:
        return selectors.inspection_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record: InspectionRecord = self.object
        instruments = record.listed_instruments()
        for instrument in instruments:
            instrument.status = instrument.status_on(record.date)  # type: ignore[attr-defined]
        user = self.request.user
        can_follow_up = user.has_perm(CHANGE_PERMISSION)
        status = record.follow_up_status
        follow_up_forms: dict[str, Form] = {}
        if can_follow_up:
            if status == FollowUpStatus.CHECKED:
                follow_up_forms["order"] = RectificationOrderForm(initial={"ordered_on": record.date})
            if status == FollowUpStatus.RECTIFYING:
                follow_up_forms["rectified"] = RectifiedForm(initial={"rectified_on": timezone.localdate()})
            if status in (FollowUpStatus.CHECKED, FollowUpStatus.RECTIFYING, FollowUpStatus.RECTIFIED):
                follow_up_forms["case"] = CaseFileForm(initial={"filed_on": timezone.localdate()})
            if status == FollowUpStatus.CASE_FILED:
                follow_up_forms["close"] = CaseCloseForm(initial={"closed_on": timezone.localdate()})
        assignment = None
        if record.follow_up_task_id:
            assignment = (
                TaskAssignment.objects.select_related("task")
                .filter(task_id=record.follow_up_task_id, unit_id=record.unit_id)
                .first()
            )
        context.update(review_context(user=user, record=record))
        context.update(
            record=record,
            instruments=instruments,
            figures=record.figures_from(instruments),
            photos=photos_for(record),
            follow_up_forms=follow_up_forms,
            follow_up_assignment=assignment,
            edit_url=reverse("inspections:inspection_edit", args=[record.pk]),
            submit_url=reverse("inspections:inspection_review", args=[record.pk, "submit"]),
            approve_url=reverse("inspections:inspection_review", args=[record.pk, "approve"]),
            return_url=reverse("inspections:inspection_review", args=[record.pk, "return"]),
        )
        return context


@login_required
@require_POST
def inspection_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    return handle_review_action(request, record=inspection, action=action)


FOLLOW_UP_ACTIONS: dict[str, tuple[type[Form], Any]] = {
    "order": (RectificationOrderForm, gettext_lazy("已下达责令整改，整改复查任务已列入本单位工作台。")),
    "rectified": (RectifiedForm, gettext_lazy("已登记整改完成，整改复查任务已办结。")),
    "case": (CaseFileForm, gettext_lazy("已登记立案。")),
    "close": (CaseCloseForm, gettext_lazy("已登记结案。")),
}


@login_required
@require_POST
def inspection_follow_up(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """责令整改 / 整改完成 / 立案 / 结案 buttons of the detail page."""
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    if action not in FOLLOW_UP_ACTIONS or not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    form_class, success = FOLLOW_UP_ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}：{error}" for name, errors in form.errors.items() for error in errors
        ]
        messages.error(request, "；".join(problems))
        return redirect(inspection.get_absolute_url())
    data = form.cleaned_data
    actor = request.user
    try:
        if action == "order":
            services.inspection_order_rectification(
                actor=actor,
                inspection=inspection,
                notice_no=data["notice_no"],
                deadline=data["deadline"],
                ordered_on=data["ordered_on"],
            )
        elif action == "rectified":
            services.inspection_record_rectified(
                actor=actor, inspection=inspection, rectified_on=data["rectified_on"]
            )
        elif action == "case":
            services.inspection_file_case(
                actor=actor, inspection=inspection, case_no=data["case_no"], filed_on=data["filed_on"]
            )
        else:
            services.inspection_close_case(actor=actor, inspection=inspection, closed_on=data["closed_on"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(inspection.get_absolute_url())


class StatisticsMixin:
    """Reads the statistics filters; an office always gets its own unit, whatever the query string says."""

    request: HttpRequest

    def statistics_scope(self) -> dict[str, Any]:
        user: Any = self.request.user
        show_units = sees_all_units(user)
        form = StatisticsFilterForm(self.request.GET or None, show_units=show_units)
        filters: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
        campaign = campaign_current()
        if show_units:
            unit, by_unit = filters.get("unit"), bool(filters.get("by_unit"))
        else:
            unit, by_unit = user.unit, False
        rows = []
        # Without a unit, someone who does not see all units has no figures to see (never everyone's).
        if campaign is not None and (show_units or unit is not None):
            rows = selectors.inspection_statistics(
                campaign=campaign,
                date_from=filters.get("date_from"),
                date_to=filters.get("date_to"),
                unit=unit,
                by_unit=by_unit,
            )
        return {
            "filter_form": form,
            "campaign": campaign,
            "unit": unit,
            "by_unit": by_unit,
            "date_from": filters.get("date_from"),
            "date_to": filters.get("date_to"),
            "rows": rows,
            "show_units": show_units,
        }


class StatisticsView(LoginRequiredMixin, PermissionRequiredMixin, StatisticsMixin, TemplateView):
    """民生计量专项检查情况统计表 on a page, with its .xlsx download."""

    template_name = "inspections/statistics.html"
    permission_required = "inspections.view_inspectionrecord"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.statistics_scope())
        context.update(columns=STATISTICS_COLUMNS, querystring=self.request.GET.urlencode())
        return context


class StatisticsExportView(LoginRequiredMixin, PermissionRequiredMixin, StatisticsMixin, TemplateView):
    permission_required = "inspections.view_inspectionrecord"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = self.statistics_scope()
        if scope["campaign"] is None or not scope["rows"]:
            messages.error(request, _("没有可导出的统计数据。"))
            return redirect("inspections:statistics")
        content = exports.statistics_workbook(
            scope["rows"],
            campaign=scope["campaign"],
            date_from=scope["date_from"],
            date_to=scope["date_to"],
            unit=scope["unit"],
            by_unit=scope["by_unit"],
        )
        filename = _("民生计量专项检查情况统计表-%(day)s.xlsx") % {"day": f"{timezone.localdate():%Y%m%d}"}
        return xlsx_response(content, filename)


statistics_export = require_GET(StatisticsExportView.as_view())
