from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from campaigns.selectors import campaign_current, target_progress
from core.lists import FilteredListView
from evidence.selectors import attach_thumbnails, photos_for
from microstations import selectors, services
from microstations.forms import ActivityFilterForm, StationActivityForm, StationFilterForm, StationStageForm
from microstations.models import MicroStation, StationActivity
from records.views import handle_review_action, review_context


class StationListView(FilteredListView):
    template_name = "microstations/station_list.html"
    context_object_name = "stations"
    filter_form_class = StationFilterForm

    def get_queryset(self) -> Any:
        self.campaign = campaign_current()
        filters = self.get_filters()
        return selectors.station_list_for_user(
            user=self.request.user,
            campaign=self.campaign,
            stage=filters.get("stage", ""),
            station_type=filters.get("station_type", ""),
            township=filters.get("township", ""),
            search=filters.get("q", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["campaign"] = self.campaign
        context["progress"] = target_progress(
            campaign=self.campaign, metrics_keys=["microstations.stations_opened", "volunteers.recruited"]
        )
        return context


class StationDetailView(LoginRequiredMixin, DetailView):
    template_name = "microstations/station_detail.html"
    context_object_name = "station"

    def get_object(self, queryset: Any = None) -> MicroStation:
        return selectors.station_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        station = self.object
        context.update(
            photos=photos_for(station),
            recent_activities=station.activities.select_related("unit").order_by("-date", "-pk")[:10],
            can_set_stage=self.request.user.has_perm("microstations.change_microstation"),
            stage_form=StationStageForm(initial={"stage": station.stage, "opened_on": station.opened_on}),
            can_add_activity=self.request.user.has_perm("microstations.add_stationactivity"),
        )
        return context


@login_required
@require_POST
def station_set_stage(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("microstations.change_microstation"):
        raise PermissionDenied
    form = StationStageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效的建设进度。"))
        return redirect(station.get_absolute_url())
    try:
        services.station_set_stage(
            actor=request.user,
            station=station,
            stage=form.cleaned_data["stage"],
            opened_on=form.cleaned_data["opened_on"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("建设进度已更新。"))
    return redirect(station.get_absolute_url())


class ActivityListView(FilteredListView):
    template_name = "microstations/activity_list.html"
    context_object_name = "activities"
    filter_form_class = ActivityFilterForm

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_queryset(self) -> Any:
        filters = self.get_filters()
        station = filters.get("station")
        return selectors.activity_list_for_user(
            user=self.request.user,
            station_id=station.pk if station else None,
            topic=filters.get("topic", ""),
            review_status=filters.get("review_status", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            search=filters.get("q", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attach_thumbnails(context["activities"])
        context["totals"] = selectors.activity_totals(cast(QuerySet[StationActivity], self.object_list))
        context["can_add"] = self.request.user.has_perm("microstations.add_stationactivity")
        return context


class ActivityFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    form_class = StationActivityForm
    template_name = "microstations/activity_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form: StationActivityForm, data: dict[str, Any], submit: bool) -> StationActivity:
        raise NotImplementedError

    def form_valid(self, form: StationActivityForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        submit = self.request.POST.get("action") == "submit"
        try:
            self.saved = self.save(form, data, submit)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("活动已保存并提交审核。") if submit else _("活动已保存为草稿，提交后县局才能审核。"),
        )
        return redirect(self.saved.get_absolute_url())


class ActivityCreateView(ActivityFormView):
    permission_required = "microstations.add_stationactivity"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if "station" in self.request.GET:
            initial["station"] = self.request.GET["station"]
        return initial

    def save(self, form: StationActivityForm, data: dict[str, Any], submit: bool) -> StationActivity:
        station = data.pop("station")
        return services.activity_create(
            actor=self.request.user,
            station=station,
            data=data,
            photos=form.cleaned_data["photos"],
            submit=submit,
        )


class ActivityUpdateView(ActivityFormView):
    permission_required = "microstations.change_stationactivity"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.activity = selectors.activity_get_for_user(user=request.user, pk=kwargs["pk"])
            if self.activity.is_locked:
                messages.error(request, _("该记录已审核通过，不能再修改。"))
                return redirect(self.activity.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.activity
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(activity=self.activity, photos=photos_for(self.activity))
        return context

    def save(self, form: StationActivityForm, data: dict[str, Any], submit: bool) -> StationActivity:
        return services.activity_update(
            actor=self.request.user,
            activity=self.activity,
            data=data,
            photos=form.cleaned_data["photos"],
            submit=submit,
        )


class ActivityDetailView(LoginRequiredMixin, DetailView):
    template_name = "microstations/activity_detail.html"
    context_object_name = "activity"

    def get_object(self, queryset: Any = None) -> StationActivity:
        return selectors.activity_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activity = self.object
        context.update(review_context(user=self.request.user, record=activity))
        context.update(
            record=activity,
            photos=photos_for(activity),
            edit_url=reverse("microstations:activity_edit", args=[activity.pk]),
            submit_url=reverse("microstations:activity_review", args=[activity.pk, "submit"]),
            approve_url=reverse("microstations:activity_review", args=[activity.pk, "approve"]),
            return_url=reverse("microstations:activity_review", args=[activity.pk, "return"]),
        )
        return context


@login_required
@require_POST
def activity_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    return handle_review_action(request, record=activity, action=action)
