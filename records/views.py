"""The pages every submitted record shares: the create/update form, the detail page with its review
panel, and the submit / approve / return buttons.

Each workstream subclasses these with its model, form, template and URL names; reads go through
`organizations.access` (404 out of scope), writes through `records.services` (403 read-only, locked
once approved), so a view holds no rule of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from core.forms import add_service_errors, label_blank_choices
from evidence.forms import bind_photo_uploader
from evidence.selectors import photos_for
from organizations.access import get_for_user
from records import services
from records.models import SubmittedRecord

R = TypeVar("R", bound=SubmittedRecord)


def default_record_date(campaign: Campaign | None, today: dt.date) -> dt.date:
    """The date a new record's form starts with: today, or the campaign day nearest to it (a date
    outside the campaign is refused, so "today" after the campaign ended would fail the first submit)."""
    if campaign is None:
        return today
    if campaign.end_date is not None and today > campaign.end_date:
        return campaign.end_date
    if campaign.start_date is not None and today < campaign.start_date:
        return campaign.start_date
    return today


def review_context(*, user: Any, record: SubmittedRecord) -> dict[str, Any]:
    """What the shared review panel template needs."""
    can_change = services.may_change(user, type(record))
    return {
        "review_log": services.review_log_for(record),
        "can_edit": can_change and not record.is_locked,
        "can_submit": can_change and record.can_submit,
        "can_review": record.awaiting_review and services.may_review_record(user, record),
    }


def handle_review_action(request: HttpRequest, *, record: SubmittedRecord, action: str) -> HttpResponse:
    """Run one review button; the services check scope and permission (404 / 403)."""
    user: Any = request.user
    try:
        if action == "submit":
            services.record_submit(actor=user, record=record)
            if services.reviewed_by_office(record):
                messages.success(request, _("已提交，等待市场监管所审核。"))
            else:
                messages.success(request, _("已提交，等待县局审核。"))
        elif action == "approve":
            services.record_approve(actor=user, record=record)
            messages.success(request, _("已审核通过，记录已锁定。"))
        elif action == "return":
            services.record_return(actor=user, record=record, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回，填报单位将看到退回原因。"))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(record.get_absolute_url())  # type: ignore[attr-defined]


def review_action_view(model: type[SubmittedRecord]) -> Any:
    """A POST-only view `<pk>/<action>/` for `model`'s review buttons."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
        record = get_for_user(model._default_manager.all(), request.user, pk=pk)
        return handle_review_action(request, record=record, action=action)

    return view


class RecordFormView(LoginRequiredMixin, FormView, Generic[R]):
    """Create (no `pk` in the URL) or update a submitted record through `records.services.record_save`.

    Out of scope is 404, read-only is 403 (both from the service's gate, before the form is shown),
    an approved record redirects to its page with a message. A per-render key makes a double tap
    create one record. Subclasses set `model`, `form_class`, `template_name` and may override
    `save_kwargs` (unit, campaign, validate, after_save) or `get_initial`.
    """

    model: type[R]
    # Extra context name for the record being edited (templates use e.g. `activity`).
    context_record_name = "record"
    saved_message: Any = gettext_lazy("已保存为草稿，提交后{reviewer}才能审核。")
    submitted_message: Any = gettext_lazy("已保存并提交{reviewer}审核。")

    record: R | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.record = services.record_get_for_change(
                actor=request.user, model=self.model, pk=kwargs["pk"], lock=False
            )
            if self.record.is_locked:
                messages.error(request, _("该记录已审核通过，不能再修改。"))
                return redirect(self.record.get_absolute_url())  # type: ignore[attr-defined]
        elif not services.may_add(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.record is not None:
            kwargs["instance"] = self.record
        return kwargs

    def get_form(self, form_class: Any = None) -> BaseForm:
        form = super().get_form(form_class)
        # Photos upload as soon as they are picked and survive a validation error (evidence.pending).
        bind_photo_uploader(form, self.request.user)
        label_blank_choices(form)
        return form

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        name = self.model.record_date_field
        if self.record is None and name:
            initial.setdefault(name, default_record_date(campaign_current(), timezone.localdate()))
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context[self.context_record_name] = self.record
        context["record"] = self.record
        context["photos"] = photos_for(self.record) if self.record is not None else []
        context["submission_key"] = self.request.POST.get("submission_key") or services.submission_key_new()
        return context

    def form_data(self, form: BaseForm) -> dict[str, Any]:
        """The cleaned fields the model allows a form to set."""
        allowed = set(self.model.record_fields)
        return {name: value for name, value in form.cleaned_data.items() if name in allowed}

    def save_kwargs(self, form: BaseForm) -> dict[str, Any]:
        """Extra arguments for record_save (e.g. `after_save` for nested rows)."""
        return {}

    def form_valid(self, form: BaseForm) -> HttpResponse:
        submit = self.request.POST.get("action") == "submit"
        key = self.request.POST.get("submission_key", "") if self.record is None else ""
        earlier = services.submission_key_find(actor=self.request.user, key=key, model=self.model)
        if earlier is not None:
            messages.info(self.request, _("该表单已提交过，未重复保存。"))
            return redirect(earlier.get_absolute_url())  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                saved = services.record_save(
                    actor=self.request.user,  # type: ignore[arg-type]
                    model=self.model,
                    record=self.record,
                    data=self.form_data(form),
                    photos=form.cleaned_data.get("photos") or [],
                    submit=submit,
                    **self.save_kwargs(form),
                )
                services.submission_key_claim(actor=self.request.user, key=key, record=saved)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(saved, submit=submit))
        return redirect(saved.get_absolute_url())  # type: ignore[attr-defined]

    def success_message(self, saved: R, *, submit: bool) -> str:
        """What the user is told once the record is saved; {reviewer} in the message names who reviews
        it: 县局, or the record's office for a 协办单位's entry (records.services routing)."""
        message = self.submitted_message if submit else self.saved_message
        reviewer = saved.unit.name if services.reviewed_by_office(saved) else _("县局")
        return str(message).format(reviewer=reviewer)


class RecordDetailView(LoginRequiredMixin, DetailView, Generic[R]):
    """A record's page with its photos and review panel; 404 out of scope."""

    model: type[R]
    # URL names: "<app>:<name>" taking the pk; the review URL also takes the action.
    edit_url_name = ""
    review_url_name = ""

    def get_object(self, queryset: Any = None) -> R:
        return get_for_user(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = self.object
        context.update(review_context(user=self.request.user, record=record))
        context.update(record=record, photos=photos_for(record))
        if self.edit_url_name:
            context["edit_url"] = reverse(self.edit_url_name, args=[record.pk])
        if self.review_url_name:
            for action in ("submit", "approve", "return"):
                context[f"{action}_url"] = reverse(self.review_url_name, args=[record.pk, action])
        return context
