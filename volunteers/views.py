from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from campaigns.selectors import campaign_current
from core.lists import FilteredListView
from organizations.models import User
from organizations.privacy import VIEW_FULL_PHONE_PERMISSION, phone_for
from records.services import (
    may_add,
    may_change,
    submission_key_claim,
    submission_key_find,
    submission_key_new,
)
from records.views import RecordDetailView, review_action_view
from volunteers import selectors, services
from volunteers.filters import VolunteerPageFilterSet
from volunteers.forms import VolunteerForm
from volunteers.models import Volunteer, VolunteerAct


class VolunteerListView(FilteredListView):
    template_name = "volunteers/volunteer_list.html"
    context_object_name = "volunteers"
    filterset_class = VolunteerPageFilterSet

    def get_base_queryset(self) -> QuerySet[Volunteer]:
        self.campaign = campaign_current()
        return selectors.volunteer_list_for_user(user=self.request.user, campaign=self.campaign)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for volunteer in context["volunteers"]:
            volunteer.phone_shown = phone_for(self.request.user, volunteer.phone)
        context["counts"] = selectors.volunteer_counts(
            selectors.volunteer_list_for_user(user=self.request.user, campaign=self.campaign)
        )
        context["can_add"] = may_add(self.request.user, Volunteer)
        context["can_change"] = may_change(self.request.user, Volunteer)
        return context


class VolunteerFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    form_class = VolunteerForm
    template_name = "volunteers/volunteer_form.html"
    volunteer: Volunteer | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.volunteer
        kwargs["mask_phones"] = not self.request.user.has_perm(VIEW_FULL_PHONE_PERMISSION)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["volunteer"] = self.volunteer
        if self.volunteer is not None:
            now = timezone.now()
            links = selectors.volunteer_links(volunteer=self.volunteer)
            context["active_link"] = next((link for link in links if link.is_usable(now)), None)
            context["can_manage_links"] = may_change(self.request.user, Volunteer)
        context["submission_key"] = self.request.POST.get("submission_key") or submission_key_new()
        return context

    def form_valid(self, form: VolunteerForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in Volunteer.editable_fields}
        actor = cast(User, self.request.user)
        key = self.request.POST.get("submission_key", "") if self.volunteer is None else ""
        if submission_key_find(actor=actor, key=key, model=Volunteer) is not None:
            messages.info(self.request, _("该表单已提交过，未重复保存。"))
            return redirect(reverse("volunteers:volunteer_list"))
        try:
            if self.volunteer is None:
                station = data.pop("station")
                with transaction.atomic():
                    volunteer = services.volunteer_create(actor=actor, station=station, data=data)
                    submission_key_claim(actor=actor, key=key, record=volunteer)
                messages.success(self.request, _("宣传员已登记。"))
            else:
                services.volunteer_update(actor=actor, volunteer=self.volunteer, data=data)
                messages.success(self.request, _("宣传员信息已更新。"))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(reverse("volunteers:volunteer_list"))


class VolunteerCreateView(VolunteerFormView):
    permission_required = "volunteers.add_volunteer"


class VolunteerUpdateView(VolunteerFormView):
    permission_required = "volunteers.change_volunteer"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.volunteer = selectors.volunteer_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


@login_required
@require_POST
def link_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a personal link; its address is shown this once (only a hash of the token is kept)."""
    volunteer = selectors.volunteer_get_for_user(user=request.user, pk=pk)
    try:
        _link, token = services.volunteer_link_issue(actor=cast(User, request.user), volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        address = request.build_absolute_uri(reverse("volunteer_self:page", args=[token]))
        messages.success(
            request, _("新链接已生成（仅显示这一次，请发送给宣传员或其监护人）：%(url)s") % {"url": address}
        )
    return redirect("volunteers:volunteer_edit", pk=volunteer.pk)


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get_for_user(user=request.user, pk=pk)
    services.volunteer_link_revoke(actor=cast(User, request.user), volunteer=volunteer)
    messages.success(request, _("该宣传员的自助链接已作废。"))
    return redirect("volunteers:volunteer_edit", pk=volunteer.pk)


class ActDetailView(RecordDetailView[VolunteerAct]):
    model = VolunteerAct
    template_name = "volunteers/act_detail.html"
    context_object_name = "act"
    review_url_name = "volunteers:act_review"

    def get_queryset(self) -> QuerySet[VolunteerAct]:
        return VolunteerAct.objects.select_related(
            "volunteer__station", "unit", "campaign", "created_by", "reviewed_by"
        )


act_review = review_action_view(VolunteerAct)
