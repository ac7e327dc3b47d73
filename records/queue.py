"""The review queue at /workbench/review/: everything submitted that the user may review, across the
workstreams, with filters, bulk approve and bulk return (one reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from organizations.access import scope_to_user, sees_all_units
from organizations.models import Unit
from records import selectors, services


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("记录类型"), required=False)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("填报单位"), queryset=Unit.objects.none(), required=False
    )
    over_cost = forms.BooleanField(
        label=gettext_lazy("只看经费超过提示线的"),
        required=False,
        help_text=gettext_lazy("单项经费超过本活动经费提示线的记录（通知第三部分：勤俭节约）"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(key, str(model._meta.verbose_name)) for key, model in selectors.review_types().items()]
        self.fields["kind"].choices = [("", _("全部类型")), *kinds]  # type: ignore[attr-defined]
        if sees_all_units(user):
            self.fields["unit"].queryset = scope_to_user(  # type: ignore[attr-defined]
                Unit.objects.filter(is_active=True), user, unit_field="pk"
            ).order_by("sort_order", "name")
        else:
            del self.fields["unit"]


def _ensure_reviewer(request: HttpRequest) -> None:
    if not services.may_review_any(request.user):
        raise PermissionDenied


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _ensure_reviewer(request)
    form = QueueFilterForm(request.GET or None, user=request.user)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {"kind": form.cleaned_data.get("kind") or "", "over_cost": form.cleaned_data["over_cost"]}
        unit = form.cleaned_data.get("unit")
        if unit is not None:
            filters["unit_id"] = unit.pk
    page, items = selectors.review_queue_page(user=request.user, page=request.GET.get("page"), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "records/review_queue.html",
        {
            "filter_form": form,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "items": items,
            "querystring": query.urlencode(),
            "next_url": request.get_full_path(),
        },
    )


@login_required
@require_POST
def review_queue_bulk(request: HttpRequest) -> HttpResponse:
    _ensure_reviewer(request)
    action = request.POST.get("action", "")
    keys = request.POST.getlist("items")
    back = request.POST.get("next", "")
    target = back if back.startswith("/") and not back.startswith("//") else "records:review_queue"
    if action not in ("approve", "return"):
        messages.error(request, _("请选择“审核通过”或“退回修改”。"))
        return redirect(target)
    records = selectors.records_from_keys(user=request.user, keys=keys)
    if not records:
        messages.error(request, _("请先勾选要审核的记录。"))
        return redirect(target)
    try:
        result = services.records_review_bulk(
            actor=request.user, records=records, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(target)
    done = (_("已审核通过 %(count)d 条。") if action == "approve" else _("已退回 %(count)d 条。")) % {
        "count": result.done
    }
    skipped = result.skipped + len(keys) - len(records)
    if skipped:
        done += _("另有 %(count)d 条已不在待审核状态，未处理。") % {"count": skipped}
    messages.success(request, done)
    return redirect(target)


@login_required
@require_GET
def review_queue_count(request: HttpRequest) -> JsonResponse:
    """The header's 待审核 badge asks for this after the page has loaded, so no page pays for it."""
    count = selectors.review_queue_count(user=request.user) if services.may_review_any(request.user) else 0
    response = JsonResponse({"count": count})
    response["Cache-Control"] = "private, no-store"
    return response
