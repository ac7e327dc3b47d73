"""The submit / approve / return buttons every submitted record shares.

Each workstream's view fetches its record through its own scoped selector (404 out of scope) and
hands it here; permissions are model permissions, so leadership gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from records import services
from records.models import SubmittedRecord


def change_permission(record: SubmittedRecord) -> str:
    meta = record._meta
    return f"{meta.app_label}.change_{meta.model_name}"


def review_context(*, user: Any, record: SubmittedRecord) -> dict[str, Any]:
    """What the shared review panel template needs."""
    can_change = user.has_perm(change_permission(record))
    return {
        "review_log": services.review_log_for(record),
        "can_edit": can_change and not record.is_locked,
        "can_submit": can_change and record.can_submit,
        "can_review": user.has_perm(services.REVIEW_PERMISSION) and record.awaiting_review,
    }


def handle_review_action(request: HttpRequest, *, record: SubmittedRecord, action: str) -> HttpResponse:
    user: Any = request.user
    try:
        if action == "submit":
            if not user.has_perm(change_permission(record)):
                raise PermissionDenied
            services.record_submit(actor=user, record=record)
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
    return redirect(record.get_absolute_url())  # type: ignore[attr-defined]
