"""诚信计量 pages: commitments and list entries (示范单位, 红名单, 黑名单, 红黄牌), scoped to the recording
office like visits. Writes go through enterprises.services; out of scope is 404, read-only is 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from core.forms import add_service_errors
from core.lists import FilteredListView
from enterprises import selectors, services
from enterprises.filters import CommitmentFilterSet, IntegrityEntryFilterSet
from enterprises.forms import IntegrityCommitmentForm, IntegrityEntryEndForm, IntegrityEntryForm
from enterprises.models import Enterprise, IntegrityCommitment, IntegrityEntry
from evidence.forms import bind_photo_uploader
from evidence.selectors import photos_for


def _enterprise_in_query(request: HttpRequest) -> Enterprise | None:
    """The enterprise a list is narrowed to (?enterprise=, from its page), for the banner."""
    raw = request.GET.get("enterprise", "")
    return Enterprise.objects.filter(pk=int(raw)).only("pk", "name").first() if raw.isdigit() else None


class IntegrityEntryListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "enterprises.view_integrityentry"
    template_name = "enterprises/integrity_list.html"
    context_object_name = "entries"
    filterset_class = IntegrityEntryFilterSet

    def get_base_queryset(self) -> QuerySet[IntegrityEntry]:
        return selectors.integrity_entry_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enterprise"] = _enterprise_in_query(self.request)
        context["can_end"] = self.request.user.has_perm("enterprises.change_integrityentry")
        return context


class CommitmentListView(PermissionRequiredMixin, FilteredListView):
    permission_required = "enterprises.view_integritycommitment"
    template_name = "enterprises/commitment_list.html"
    context_object_name = "commitments"
    filterset_class = CommitmentFilterSet

    def get_base_queryset(self) -> QuerySet[IntegrityCommitment]:
        return selectors.commitment_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enterprise"] = _enterprise_in_query(self.request)
        return context


class CommitmentDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    permission_required = "enterprises.view_integritycommitment"
    template_name = "enterprises/commitment_detail.html"
    context_object_name = "commitment"

    def get_object(self, queryset: Any = None) -> IntegrityCommitment:
        return selectors.commitment_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["photos"] = photos_for(self.object)
        return context


class _ForEnterpriseFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """A form about one enterprise of the shared registry (/enterprises/<pk>/…)."""

    enterprise: Enterprise

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.enterprise = selectors.enterprise_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(enterprise=self.enterprise, **kwargs)


class CommitmentCreateView(_ForEnterpriseFormView):
    permission_required = "enterprises.add_integritycommitment"
    form_class = IntegrityCommitmentForm
    template_name = "enterprises/commitment_form.html"

    def get_initial(self) -> dict[str, Any]:
        return {"signed_on": timezone.localdate()}

    def get_form(self, form_class: Any = None) -> IntegrityCommitmentForm:
        form = super().get_form(form_class)
        bind_photo_uploader(form, self.request.user)
        return form

    def form_valid(self, form: IntegrityCommitmentForm) -> HttpResponse:
        data = {"enterprise": self.enterprise, **{k: form.cleaned_data[k] for k in ("signed_on", "text")}}
        try:
            commitment = services.commitment_create(
                actor=self.request.user,  # type: ignore[arg-type]
                data=data,
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("诚信承诺已登记。"))
        return redirect(commitment.get_absolute_url())


class IntegrityEntryCreateView(_ForEnterpriseFormView):
    permission_required = "enterprises.add_integrityentry"
    form_class = IntegrityEntryForm
    template_name = "enterprises/integrity_form.html"

    def get_initial(self) -> dict[str, Any]:
        return {"started_on": timezone.localdate(), "kind": self.request.GET.get("kind", "")}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "enterprise": self.enterprise}

    def form_valid(self, form: IntegrityEntryForm) -> HttpResponse:
        data = {"enterprise": self.enterprise, **form.cleaned_data}
        try:
            services.integrity_entry_create(actor=self.request.user, data=data)  # type: ignore[arg-type]
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记。"))
        return redirect(self.enterprise.get_absolute_url() + "#integrity")


class IntegrityEntryEndView(LoginRequiredMixin, FormView):
    """End an entry: out of scope is 404 (the fetch), then a read-only role is 403."""

    form_class = IntegrityEntryEndForm
    template_name = "enterprises/integrity_end.html"
    entry: IntegrityEntry

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.entry = selectors.integrity_entry_get_for_user(user=request.user, pk=kwargs["pk"])
            if not request.user.has_perm("enterprises.change_integrityentry"):
                raise PermissionDenied(_("您没有修改诚信名单的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"ended_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(entry=self.entry, **kwargs)

    def form_valid(self, form: IntegrityEntryEndForm) -> HttpResponse:
        try:
            services.integrity_entry_end(
                actor=self.request.user,  # type: ignore[arg-type]
                entry=self.entry,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已终止，记录保留在历史中。"))
        return redirect(self.entry.enterprise.get_absolute_url() + "#integrity")
