from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from campaigns.models import Campaign, TaskAssignment
from campaigns.selectors import campaign_current
from core.lists import FilteredListView
from core.spreadsheets import xlsx_response
from evidence.selectors import attach_thumbnails
from inspections import exports, selectors, services
from inspections.filters import API_ONLY_FILTERS, InspectionFilterSet
from inspections.forms import (
    BaseInstrumentFormSet,
    CaseCloseForm,
    CaseFileForm,
    InspectionForm,
    RectificationOrderForm,
    RectifiedForm,
    StatisticsFilterForm,
    initial_from_providers,
    instrument_formset,
)
from inspections.models import FollowUpStatus, InspectionRecord, PlannedInspection
from inspections.selectors import STATISTICS_COLUMNS, STATISTICS_FOOTNOTE
from organizations.access import get_for_user, sees_all_units
from records import services as record_services
from records.views import RecordDetailView, RecordFormView, review_action_view


class InspectionListView(FilteredListView):
    """The user's records of the current campaign (any campaign when one is chosen), narrowed by the
    FilterSet the API uses too."""

    template_name = "inspections/inspection_list.html"
    context_object_name = "inspections"
    filterset_class = InspectionFilterSet

    def get_base_queryset(self) -> QuerySet[InspectionRecord]:
        self.campaign = campaign_current()
        chosen = self.request.GET.get("campaign")
        return selectors.inspection_list_for_user(
            user=self.request.user, campaign=None if chosen else self.campaign
        )

    def get_queryset(self) -> QuerySet[InspectionRecord]:
        queryset = super().get_queryset()
        for name in API_ONLY_FILTERS:
            self.filter_form.fields.pop(name, None)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attach_thumbnails(context["inspections"])
        user = self.request.user
        context.update(
            campaign=self.campaign,
            can_add=record_services.may_add(user, InspectionRecord),
            show_units=sees_all_units(user),
        )
        return context


class InspectionFormView(RecordFormView[InspectionRecord]):
    """Create (no pk) or edit a record with its instrument rows (a formset) and domain sections.

    The record kit does the gate (404 / 403 / locked), the double-submit key and the save through
    `record_save`; this view adds the rows, checked with the record so that every problem shows at
    once, and written in the record's transaction (inspections.services.InstrumentRows).
    """

    model = InspectionRecord
    form_class = InspectionForm
    template_name = "inspections/inspection_form.html"
    context_record_name = "inspection"
    # Lazy, translated per request; the kit's attribute is typed str.
    saved_message = gettext_lazy("检查记录已保存为草稿，提交后{reviewer}才能审核。")
    submitted_message = gettext_lazy("检查记录已保存并提交{reviewer}审核。")
    formset: BaseInstrumentFormSet | None = None

    def get_campaign(self) -> Campaign | None:
        if not hasattr(self, "_campaign"):
            self._campaign = self.record.campaign if self.record else campaign_current()
        return self._campaign

    def get_plan(self) -> PlannedInspection | None:
        """The planned inspection this new record carries out (?plan=<id>, in the user's scope)."""
        if not hasattr(self, "_plan"):
            raw = self.request.GET.get("plan", "")
            self._plan = None
            if self.record is None and raw.isdigit():
                self._plan = get_for_user(
                    PlannedInspection.objects.filter(status=PlannedInspection.Status.PLANNED),
                    self.request.user,
                    pk=int(raw),
                )
        return self._plan

    def get_prefill(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Header values and instrument rows a new record starts with (from the register, a plan)."""
        if not hasattr(self, "_prefill"):
            self._prefill: tuple[dict[str, Any], list[dict[str, Any]]] = (
                initial_from_providers(self.request.user, self.request.GET)
                if self.record is None
                else ({}, [])
            )
        return self._prefill

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.record is None and self.request.GET.get("domain"):
            initial["domain"] = self.request.GET["domain"]
        plan = self.get_plan()
        if plan is not None:
            initial.update(domain=plan.domain, inspected_party=plan.party_id)
        initial.update(self.get_prefill()[0])
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["campaign"] = self.get_campaign()
        return kwargs

    def get_formset(self) -> BaseInstrumentFormSet:
        if self.formset is None:
            data = self.request.POST if self.request.method == "POST" else None
            self.formset = instrument_formset(data=data, inspection=self.record, rows=self.get_prefill()[1])
        return self.formset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(formset=self.get_formset(), campaign=self.get_campaign())
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
        if form_ok and formset_ok:
            return self.form_valid(form)
        return self.form_invalid(form)

    def save_kwargs(self, form: BaseForm) -> dict[str, Any]:
        rows = services.InstrumentRows(actor=self.request.user, rows=self.get_formset().rows())  # type: ignore[arg-type]
        kwargs = rows.save_kwargs()
        plan = self.get_plan()
        if plan is not None:
            actor: Any = self.request.user

            def after_save(record: InspectionRecord) -> None:
                rows.after_save(record)
                services.plan_mark_done(actor=actor, plan=plan, inspection=record)

            kwargs["after_save"] = after_save
        return kwargs


class InspectionDetailView(RecordDetailView[InspectionRecord]):
    """A record with its instruments, figures, follow-up forms and review panel; 404 out of scope."""

    model = InspectionRecord
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"
    edit_url_name = "inspections:inspection_edit"
    review_url_name = "inspections:inspection_review"

    def get_queryset(self) -> QuerySet[InspectionRecord]:
        return selectors.inspection_detail_queryset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record: InspectionRecord = self.object
        instruments = record.listed_instruments()
        for instrument in instruments:
            instrument.status = instrument.status_on(record.date)  # type: ignore[attr-defined]
        can_follow_up = record_services.may_change(self.request.user, InspectionRecord)
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
        context.update(
            instruments=instruments,
            figures=record.figures_from(instruments),
            follow_up_forms=follow_up_forms,
            follow_up_assignment=assignment,
        )
        return context


inspection_review = review_action_view(InspectionRecord)


FOLLOW_UP_ACTIONS: dict[str, tuple[type[Form], Any]] = {
    "order": (RectificationOrderForm, gettext_lazy("已下达责令整改，整改复查任务已列入本单位工作台。")),
    "rectified": (RectifiedForm, gettext_lazy("已登记整改完成，整改复查任务已办结。")),
    "case": (CaseFileForm, gettext_lazy("已登记立案。")),
    "close": (CaseCloseForm, gettext_lazy("已登记结案。")),
}


@login_required
@require_POST
def inspection_follow_up(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """责令整改 / 整改完成 / 立案 / 结案 buttons of the detail page; the services check scope (404) and
    permission (403)."""
    inspection = get_for_user(InspectionRecord.objects.all(), request.user, pk=pk)
    if action not in FOLLOW_UP_ACTIONS:
        raise PermissionDenied
    form_class, success = FOLLOW_UP_ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        # The gate first, so that a read-only user gets 403 whatever was posted.
        record_services.record_get_for_change(actor=request.user, model=InspectionRecord, pk=pk, lock=False)
        problems = [
            f"{form.fields[name].label}：{error}" for name, errors in form.errors.items() for error in errors
        ]
        messages.error(request, "；".join(problems))
        return redirect(inspection.get_absolute_url())
    data = form.cleaned_data
    actor: Any = request.user
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
        pending = 0
        # Without a unit, someone who does not see all units has no figures to see (never everyone's).
        if campaign is not None and (show_units or unit is not None):
            rows = selectors.inspection_statistics(
                campaign=campaign,
                date_from=filters.get("date_from"),
                date_to=filters.get("date_to"),
                unit=unit,
                by_unit=by_unit,
            )
            pending = selectors.inspection_pending_count(
                campaign=campaign,
                date_from=filters.get("date_from"),
                date_to=filters.get("date_to"),
                unit=unit,
            )
        return {
            "filter_form": form,
            "campaign": campaign,
            "unit": unit,
            "by_unit": by_unit,
            "date_from": filters.get("date_from"),
            "date_to": filters.get("date_to"),
            "rows": rows,
            "pending": pending,
            "show_units": show_units,
        }


class StatisticsView(LoginRequiredMixin, PermissionRequiredMixin, StatisticsMixin, TemplateView):
    """民生计量专项检查情况统计表 on a page, with its .xlsx download."""

    template_name = "inspections/statistics.html"
    permission_required = "inspections.view_inspectionrecord"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.statistics_scope())
        context.update(
            columns=STATISTICS_COLUMNS,
            footnote=STATISTICS_FOOTNOTE,
            querystring=self.request.GET.urlencode(),
        )
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
            pending=scope["pending"],
        )
        filename = _("民生计量专项检查情况统计表-%(day)s.xlsx") % {"day": f"{timezone.localdate():%Y%m%d}"}
        return xlsx_response(content, filename)


statistics_export = require_GET(StatisticsExportView.as_view())
