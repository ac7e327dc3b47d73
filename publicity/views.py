"""Office workbench pages for publicity activities, 信息报送 and the 舆情 desk: interfaces over the
selectors (scoped reads, 404 out of scope) and the services (every write)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView

from campaigns.selectors import campaign_current, target_progress
from core.lists import FilteredListView
from evidence.selectors import attach_thumbnails, photos_for
from publicity import selectors, services
from publicity.forms import (
    ActivityFilterForm,
    AdoptionForm,
    IncidentAssessForm,
    IncidentCloseForm,
    IncidentFilterForm,
    NewsFilterForm,
    NewsItemForm,
    OpinionIncidentForm,
    PublicityActivityForm,
)
from publicity.models import NewsItem, OpinionIncident, PublicityActivity
from records.services import REVIEW_PERMISSION
from records.views import handle_review_action, review_context

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PROGRESS_METRICS = [
    "publicity.offline_activities",
    "publicity.online_posts",
    "publicity.online_views",
    "publicity.participants",
    "publicity.materials",
    "publicity.adopted_news",
]


def _add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors on the form: on their field when the form has it, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RecordFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Create or edit a record of the user's unit with photos; "保存草稿" or "保存并提交审核"."""

    record: Any = None
    saved_message: StrOrPromise = ""
    submitted_message: StrOrPromise = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.record)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["record"] = self.record
        if self.record is not None:
            context["photos"] = photos_for(self.record)
        return context

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        submit = self.request.POST.get("action") == "submit"
        try:
            saved = self.save(form, data, submit)
        except ValidationError as exc:
            _add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.submitted_message if submit else self.saved_message)
        return redirect(saved.get_absolute_url())  # type: ignore[attr-defined]


class LockedRecordMixin:
    """Fetch the record through its scoped selector (404 out of scope) and refuse edits once locked."""

    def load(self, request: HttpRequest, pk: Any) -> Any:
        raise NotImplementedError

    def is_locked(self, record: Any) -> bool:
        return bool(record.is_locked)

    locked_message: StrOrPromise = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.record = self.load(request, kwargs["pk"])
            if self.is_locked(self.record):
                messages.error(request, self.locked_message)
                return redirect(self.record.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# --- Publicity activities --------------------------------------------------------------------------


class ActivityListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "publicity.view_publicityactivity"
    template_name = "publicity/activity_list.html"
    context_object_name = "activities"
    filter_form_class = ActivityFilterForm

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_queryset(self) -> Any:
        filters = self.get_filters()
        unit = filters.get("unit")
        return selectors.activity_list_for_user(
            user=self.request.user,
            channel=filters.get("channel", ""),
            form=filters.get("form", ""),
            review_status=filters.get("review_status", ""),
            unit_id=unit.pk if unit else None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            search=filters.get("q", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attach_thumbnails(context["activities"])
        context["totals"] = selectors.activity_totals(cast(QuerySet[PublicityActivity], self.object_list))
        context["can_add"] = self.request.user.has_perm("publicity.add_publicityactivity")
        return context


class ActivityCreateView(RecordFormView):
    permission_required = "publicity.add_publicityactivity"
    form_class = PublicityActivityForm
    template_name = "publicity/activity_form.html"
    saved_message = gettext_lazy("宣传活动已保存为草稿，提交后县局才能审核。")
    submitted_message = gettext_lazy("宣传活动已保存并提交审核。")

    def get_initial(self) -> dict[str, Any]:
        return {"date": timezone.localdate()}

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        return services.activity_create(
            actor=self.request.user, data=data, photos=form.cleaned_data["photos"], submit=submit
        )


class ActivityUpdateView(LockedRecordMixin, ActivityCreateView):
    permission_required = "publicity.change_publicityactivity"
    locked_message = gettext_lazy("该记录已审核通过，不能再修改。")

    def load(self, request: HttpRequest, pk: Any) -> Any:
        return selectors.activity_get_for_user(user=request.user, pk=pk)

    def get_initial(self) -> dict[str, Any]:
        return {}

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        return services.activity_update(
            actor=self.request.user,
            activity=self.record,
            data=data,
            photos=form.cleaned_data["photos"],
            submit=submit,
        )


class ActivityDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "publicity.view_publicityactivity"
    template_name = "publicity/activity_detail.html"
    context_object_name = "activity"

    def get_object(self, queryset: Any = None) -> PublicityActivity:
        return selectors.activity_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activity = self.object
        context.update(review_context(user=self.request.user, record=activity))
        context.update(
            record=activity,
            photos=photos_for(activity),
            news_items=activity.news_items.order_by("-created_at"),
            edit_url=reverse("publicity:activity_edit", args=[activity.pk]),
            submit_url=reverse("publicity:activity_review", args=[activity.pk, "submit"]),
            approve_url=reverse("publicity:activity_review", args=[activity.pk, "approve"]),
            return_url=reverse("publicity:activity_review", args=[activity.pk, "return"]),
        )
        return context


@login_required
@require_POST
def activity_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    return handle_review_action(request, record=activity, action=action)


# --- 信息报送 -----------------------------------------------------------------------------------------


class NewsListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "publicity.view_newsitem"
    template_name = "publicity/news_list.html"
    context_object_name = "news_items"
    filter_form_class = NewsFilterForm

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_queryset(self) -> Any:
        filters = self.get_filters()
        unit = filters.get("unit")
        adopted = filters.get("adopted", "")
        return selectors.news_list_for_user(
            user=self.request.user,
            review_status=filters.get("review_status", ""),
            adopted=None if adopted == "" else adopted == "1",
            unit_id=unit.pk if unit else None,
            search=filters.get("q", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("publicity.add_newsitem")
        return context


class NewsCreateView(RecordFormView):
    permission_required = "publicity.add_newsitem"
    form_class = NewsItemForm
    template_name = "publicity/news_form.html"
    saved_message = gettext_lazy("信息已保存为草稿，提交后县局才能审核。")
    submitted_message = gettext_lazy("信息已保存并报送县局。")

    def get_initial(self) -> dict[str, Any]:
        return {"activity": self.request.GET.get("activity")} if "activity" in self.request.GET else {}

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        return services.news_create(
            actor=self.request.user, data=data, photos=form.cleaned_data["photos"], submit=submit
        )


class NewsUpdateView(LockedRecordMixin, NewsCreateView):
    permission_required = "publicity.change_newsitem"
    locked_message = gettext_lazy("该记录已审核通过，不能再修改。")

    def load(self, request: HttpRequest, pk: Any) -> Any:
        return selectors.news_get_for_user(user=request.user, pk=pk)

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        return services.news_update(
            actor=self.request.user,
            item=self.record,
            data=data,
            photos=form.cleaned_data["photos"],
            submit=submit,
        )


def _news_detail(
    request: HttpRequest, item: NewsItem, adoption_form: AdoptionForm | None = None
) -> HttpResponse:
    user: Any = request.user
    can_adopt = item.is_locked and user.has_perm(REVIEW_PERMISSION)
    context = {
        "item": item,
        "record": item,
        **review_context(user=user, record=item),
        "photos": photos_for(item),
        "adoptions": selectors.adoptions_for(item),
        "can_adopt": can_adopt,
        "adoption_form": (adoption_form or AdoptionForm()) if can_adopt else None,
        "edit_url": reverse("publicity:news_edit", args=[item.pk]),
        "submit_url": reverse("publicity:news_review", args=[item.pk, "submit"]),
        "approve_url": reverse("publicity:news_review", args=[item.pk, "approve"]),
        "return_url": reverse("publicity:news_review", args=[item.pk, "return"]),
    }
    return render(request, "publicity/news_detail.html", context)


@login_required
@permission_required("publicity.view_newsitem", raise_exception=True)
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _news_detail(request, selectors.news_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def news_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.news_get_for_user(user=request.user, pk=pk)
    return handle_review_action(request, record=item, action=action)


@login_required
@require_POST
def news_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau records an adoption (采用) of an approved item; anything else is refused."""
    item = selectors.news_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            services.adoption_record(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记采用。"))
            return redirect(item.get_absolute_url())
    if not item.is_locked:
        # No adoption form is shown for an item that is not approved: say why on the page.
        messages.error(
            request,
            "；".join(str(e) for e in form.non_field_errors()) or _("只有审核通过的信息才能登记采用。"),
        )
        return redirect(item.get_absolute_url())
    return _news_detail(request, item, adoption_form=form)


class NewsRankingView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "publicity.view_newsitem"
    template_name = "publicity/news_ranking.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = campaign_current()
        ranking: list[Any] = list(selectors.news_ranking(campaign=campaign))
        # Ties share a rank (1, 2, 2, 4), as a published league table does.
        previous, rank = None, 0
        for position, unit in enumerate(ranking, start=1):
            key = (unit.adopted_items, unit.adoptions_total)
            if key != previous:
                rank, previous = position, key
            unit.rank = rank
        context.update(
            campaign=campaign, ranking=ranking, own_unit_id=getattr(self.request.user, "unit_id", None)
        )
        return context


# --- 舆情 ----------------------------------------------------------------------------------------------


def _with_deadline_states(incidents: list[OpinionIncident]) -> list[OpinionIncident]:
    now = timezone.now()
    for incident in incidents:
        incident.report_state_value = incident.report_state(now)  # type: ignore[attr-defined]
        incident.response_state_value = incident.response_state(now)  # type: ignore[attr-defined]
    return incidents


class IncidentListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "publicity.view_opinionincident"
    template_name = "publicity/incident_list.html"
    context_object_name = "incidents"
    filter_form_class = IncidentFilterForm

    def get_queryset(self) -> Any:
        filters = self.get_filters()
        level = filters.get("level")
        self.now = timezone.now()
        return selectors.incident_list_for_user(
            user=self.request.user,
            status=filters.get("status", ""),
            level_id=level.pk if level else None,
            source=filters.get("source", ""),
            domain=filters.get("domain", ""),
            timing=filters.get("timing", ""),
            search=filters.get("q", ""),
            now=self.now,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        _with_deadline_states(list(context["incidents"]))
        context["counts"] = selectors.incident_counts(
            cast(QuerySet[OpinionIncident], self.object_list), now=self.now
        )
        context["can_add"] = self.request.user.has_perm("publicity.add_opinionincident")
        return context


class IncidentCreateView(RecordFormView):
    permission_required = "publicity.add_opinionincident"
    form_class = OpinionIncidentForm
    template_name = "publicity/incident_form.html"
    saved_message = gettext_lazy("舆情已登记，请及时研判处置。")

    def form_valid(self, form: Any) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = self.save(form, data, False)
        except ValidationError as exc:
            _add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message)
        return redirect(saved.get_absolute_url())  # type: ignore[attr-defined]

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        return services.incident_create(
            actor=self.request.user, data=data, photos=form.cleaned_data["photos"]
        )


class IncidentUpdateView(LockedRecordMixin, IncidentCreateView):
    permission_required = "publicity.change_opinionincident"
    locked_message = gettext_lazy("该舆情已办结，不能再修改。")
    saved_message = gettext_lazy("舆情信息已更新。")

    def load(self, request: HttpRequest, pk: Any) -> Any:
        return selectors.incident_get_for_user(user=request.user, pk=pk)

    def is_locked(self, record: Any) -> bool:
        return bool(record.is_closed)

    def save(self, form: Any, data: dict[str, Any], submit: bool) -> Model:
        return services.incident_update(
            actor=self.request.user, incident=self.record, data=data, photos=form.cleaned_data["photos"]
        )


def _incident_detail(
    request: HttpRequest,
    incident: OpinionIncident,
    *,
    assess_form: IncidentAssessForm | None = None,
    close_form: IncidentCloseForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    _with_deadline_states([incident])
    can_handle = user.has_perm("publicity.change_opinionincident") and not incident.is_closed
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
    return render(request, "publicity/incident_detail.html", context)


@login_required
@permission_required("publicity.view_opinionincident", raise_exception=True)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_detail(request, selectors.incident_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def incident_transition(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("publicity.change_opinionincident"):
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
        services.incident_transition(actor=request.user, incident=incident, to_status=to_status, data=data)
    except ValidationError as exc:
        if form is None or not hasattr(exc, "error_dict"):
            # Not about what was typed (e.g. a step out of order): say it above the page.
            messages.error(request, "；".join(exc.messages))
            return redirect(incident.get_absolute_url())
        _add_service_errors(form, exc)
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
    if not request.user.has_perm("publicity.change_opinionincident"):
        raise PermissionDenied
    try:
        services.incident_report_to_county(actor=request.user, incident=incident)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已记录向县局报告的时间。"))
    return redirect(incident.get_absolute_url())


# --- Progress ------------------------------------------------------------------------------------------


class ProgressView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Publicity progress computed from approved records, in the user's scope."""

    permission_required = "publicity.view_publicityactivity"
    template_name = "publicity/progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = campaign_current()
        context.update(
            campaign=campaign,
            targets=target_progress(campaign=campaign, metrics_keys=PROGRESS_METRICS),
            totals=selectors.publicity_progress(user=user, campaign=campaign),
            by_unit=selectors.publicity_progress_by_unit(user=user, campaign=campaign),
        )
        return context
