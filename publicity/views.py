"""Office workbench pages for publicity activities and 信息报送: the record kit's list, form, detail and
review views over publicity's selectors, filter sets and services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from campaigns.selectors import campaign_current, target_progress
from core.forms import add_service_errors
from core.lists import FilteredListView
from evidence.selectors import attach_thumbnails
from publicity import selectors, services
from publicity.filters import ActivityFilterSet, NewsFilterSet
from publicity.forms import AdoptionForm, NewsItemForm, PublicityActivityForm
from publicity.models import NewsItem, PublicityActivity
from records.lists import list_facts
from records.services import may_review
from records.views import RecordDetailView, RecordFormView, review_action_view

PROGRESS_METRICS = [
    "publicity.offline_activities",
    "publicity.online_posts",
    "publicity.online_views",
    "publicity.participants",
    "publicity.materials",
    "publicity.adopted_news",
]


# --- Publicity activities --------------------------------------------------------------------------


class ActivityListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "publicity.view_publicityactivity"
    template_name = "publicity/activity_list.html"
    context_object_name = "activities"
    filterset_class = ActivityFilterSet

    def get_base_queryset(self) -> QuerySet[PublicityActivity]:
        return selectors.activity_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attach_thumbnails(context["activities"])
        context["totals"] = selectors.activity_totals(
            cast(QuerySet[PublicityActivity], self.object_list),
            facts=list_facts(self.filterset, user=self.request.user),
        )
        context["can_add"] = self.request.user.has_perm("publicity.add_publicityactivity")
        return context


class ActivityFormView(RecordFormView[PublicityActivity]):
    model = PublicityActivity
    form_class = PublicityActivityForm
    template_name = "publicity/activity_form.html"
    context_record_name = "activity"
    saved_message = gettext_lazy("宣传活动已保存为草稿，提交后{reviewer}才能审核。")
    submitted_message = gettext_lazy("宣传活动已保存并提交{reviewer}审核。")

    def save_kwargs(self, form: BaseForm) -> dict[str, Any]:
        return {"validate": services.activity_checks(self.request.user)}


class ActivityDetailView(PermissionRequiredMixin, RecordDetailView[PublicityActivity]):
    model = PublicityActivity
    permission_required = "publicity.view_publicityactivity"
    template_name = "publicity/activity_detail.html"
    context_object_name = "activity"
    edit_url_name = "publicity:activity_edit"
    review_url_name = "publicity:activity_review"

    def get_queryset(self) -> QuerySet[PublicityActivity]:
        return PublicityActivity.objects.select_related(
            "unit", "station", "campaign", "created_by", "reviewed_by"
        ).prefetch_related("partner_units")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["news_items"] = self.object.news_items.order_by("-created_at")
        return context


activity_review = review_action_view(PublicityActivity)


# --- 信息报送 -----------------------------------------------------------------------------------------


class NewsListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "publicity.view_newsitem"
    template_name = "publicity/news_list.html"
    context_object_name = "news_items"
    filterset_class = NewsFilterSet

    def get_base_queryset(self) -> QuerySet[NewsItem]:
        return selectors.news_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("publicity.add_newsitem")
        return context


class NewsFormView(RecordFormView[NewsItem]):
    model = NewsItem
    form_class = NewsItemForm
    template_name = "publicity/news_form.html"
    context_record_name = "item"
    saved_message = gettext_lazy("信息已保存为草稿，提交后县局才能审核。")
    submitted_message = gettext_lazy("信息已保存并报送县局。")

    def get_initial(self) -> dict[str, Any]:
        if self.record is None and "activity" in self.request.GET:
            return {"activity": self.request.GET.get("activity")}
        return {}


class NewsDetailView(PermissionRequiredMixin, RecordDetailView[NewsItem]):
    model = NewsItem
    permission_required = "publicity.view_newsitem"
    template_name = "publicity/news_detail.html"
    context_object_name = "item"
    edit_url_name = "publicity:news_edit"
    review_url_name = "publicity:news_review"
    adoption_form: AdoptionForm | None = None

    def get_queryset(self) -> QuerySet[NewsItem]:
        return NewsItem.objects.select_related("unit", "activity", "campaign", "created_by", "reviewed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item = self.object
        can_adopt = item.is_locked and may_review(self.request.user)
        context.update(
            adoptions=selectors.adoptions_for(item),
            can_adopt=can_adopt,
            adoption_form=(self.adoption_form or AdoptionForm()) if can_adopt else None,
        )
        return context


class NewsAdoptView(NewsDetailView):
    """POST only: the item's page with the adoption form bound, or back to the page once recorded."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The bureau records an adoption (采用) of an approved item; the service refuses anyone else."""
        self.object = item = self.get_object()
        if not may_review(request.user):
            raise PermissionDenied
        form = AdoptionForm(request.POST)
        if form.is_valid():
            try:
                services.adoption_record(actor=request.user, item=item, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
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
        self.adoption_form = form
        return self.render_to_response(self.get_context_data(object=item))


news_review = review_action_view(NewsItem)


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


# --- Progress ------------------------------------------------------------------------------------------


class ProgressView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Publicity progress computed from approved records, in the user's scope; pending ones beside."""

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
