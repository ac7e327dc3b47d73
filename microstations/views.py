from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from campaigns.selectors import campaign_current, target_progress
from core.lists import FilteredListView
from evidence.selectors import attach_thumbnails, photos_for
from microstations import selectors, services
from microstations.filters import ActivityFilterSet, StationFilterSet
from microstations.forms import StationActivityForm, StationStageForm
from microstations.models import MicroStation, StationActivity
from organizations.models import User
from records.lists import list_facts
from records.services import may_add, may_change
from records.views import RecordDetailView, RecordFormView, review_action_view


class StationListView(FilteredListView):
    """Every station in the user's scope, whatever year it was entered (a standing registry); a chosen
    year lists those in the registry by then and counts that campaign's activities (default: all)."""

    template_name = "microstations/station_list.html"
    context_object_name = "stations"
    filterset_class = StationFilterSet

    def get_base_queryset(self) -> QuerySet[MicroStation]:
        return selectors.station_choices_for_user(user=self.request.user)

    def get_queryset(self) -> QuerySet[MicroStation]:
        stations = super().get_queryset()  # scoped, then narrowed by the FilterSet
        # A valid year counts its campaign's activities; none (or an invalid one, shown on the form) all.
        self.chosen_campaign = getattr(self.filter_form, "cleaned_data", {}).get("campaign")
        return selectors.station_list_counts(stations, campaign=self.chosen_campaign)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Targets and the map are a campaign's: the chosen one, else the current one.
        campaign = self.chosen_campaign or campaign_current()
        context.update(
            campaign=campaign,
            chosen_campaign=self.chosen_campaign,
            progress=target_progress(
                campaign=campaign, metrics_keys=["microstations.stations_opened", "volunteers.recruited"]
            ),
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
            can_set_stage=may_change(self.request.user, MicroStation),
            stage_form=StationStageForm(initial={"stage": station.stage, "opened_on": station.opened_on}),
            can_add_activity=may_add(self.request.user, StationActivity),
        )
        return context


@login_required
@require_POST
def station_set_stage(request: HttpRequest, pk: int) -> HttpResponse:
    # Scope (404), then the permission the service asks (403), before the form is read.
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    if not may_change(request.user, MicroStation):
        raise PermissionDenied
    form = StationStageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效的建设进度。"))
        return redirect(station.get_absolute_url())
    try:
        # The service checks scope (404) and permission (403) again with the row locked.
        services.station_set_stage(
            actor=cast(User, request.user),
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
    filterset_class = ActivityFilterSet

    def get_base_queryset(self) -> QuerySet[StationActivity]:
        return selectors.activity_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attach_thumbnails(context["activities"])
        context["totals"] = selectors.activity_totals(
            cast(QuerySet[StationActivity], self.object_list),
            facts=list_facts(self.filterset, user=self.request.user),
        )
        context["can_add"] = may_add(self.request.user, StationActivity)
        return context


class ActivityFormView(RecordFormView[StationActivity]):
    """Create (`activities/new/`) or edit (`activities/<pk>/edit/`) an activity."""

    model = StationActivity
    form_class = StationActivityForm
    template_name = "microstations/activity_form.html"
    context_record_name = "activity"
    saved_message = gettext_lazy("活动已保存为草稿，提交后{reviewer}才能审核。")
    submitted_message = gettext_lazy("活动已保存并提交{reviewer}审核。")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.record is None and "station" in self.request.GET:
            initial["station"] = self.request.GET["station"]
        return initial


class ActivityDetailView(RecordDetailView[StationActivity]):
    model = StationActivity
    template_name = "microstations/activity_detail.html"
    context_object_name = "activity"
    edit_url_name = "microstations:activity_edit"
    review_url_name = "microstations:activity_review"

    def get_queryset(self) -> QuerySet[StationActivity]:
        return StationActivity.objects.select_related(
            "station", "unit", "campaign", "created_by", "reviewed_by"
        )


activity_review = review_action_view(StationActivity)
