from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
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
from volunteers import selectors, services
from volunteers.filters import VolunteerPageFilterSet
from volunteers.forms import VolunteerForm
from volunteers.models import Volunteer


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
