"""The risk-ranked inspection targets page (instruments.risk) and its one button: plan an inspection of
a listed owner, through inspections.services.inspection_plan (which checks permission and scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from inspections.models import Domain
from inspections.services import inspection_plan, may_plan_inspection
from instruments import risk
from organizations.models import Unit

PAGE_SIZE = 20


class RiskFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, max_length=100, help_text=gettext_lazy("使用单位名称")
    )
    domain = forms.ChoiceField(
        label=gettext_lazy("检查领域"), required=False, choices=[("", gettext_lazy("全部")), *Domain.choices]
    )


class RiskPlanForm(forms.Form):
    planned_for = forms.DateField(
        label=gettext_lazy("计划检查日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("请填写计划检查日期。"),
            "invalid": gettext_lazy("请输入有效的日期。"),
        },
    )

    def clean_planned_for(self) -> dt.date:
        day: dt.date = self.cleaned_data["planned_for"]
        if day < timezone.localdate():
            raise ValidationError(_("计划检查日期不能早于今天。"))
        return day


def _filtered(entries: list[risk.RiskEntry], form: RiskFilterForm) -> list[risk.RiskEntry]:
    if not form.is_valid():
        return entries
    query = form.cleaned_data["q"].strip()
    domain = form.cleaned_data["domain"]
    return [e for e in entries if (not query or query in e.owner.name) and (not domain or e.domain == domain)]


@login_required
@permission_required("instruments.view_registeredinstrument", raise_exception=True)
@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    entries = risk.risk_ranking(user=request.user)
    ranks = {id(entry): number for number, entry in enumerate(entries, start=1)}
    form = RiskFilterForm(request.GET or None)
    page = Paginator(_filtered(entries, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "filter_form": form,
        "rows": [(ranks[id(entry)], entry) for entry in page.object_list],
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.paginator.num_pages > 1,
        "querystring": query.urlencode(),
        "can_plan": may_plan_inspection(request.user),
        "plan_form": RiskPlanForm(initial={"planned_for": timezone.localdate() + dt.timedelta(days=7)}),
    }
    return render(request, "instruments/risk_list.html", context)


@login_required
@require_POST
def risk_plan(request: HttpRequest, owner_pk: int) -> HttpResponse:
    """Plan an inspection of a ranked owner; its reasons become the plan's 计划理由. An owner not in the
    user's ranking is 404; a role that may not plan is 403 (asked of the service before the form is
    read, and again by the service)."""
    entry = next((e for e in risk.risk_ranking(user=request.user) if e.owner.pk == owner_pk), None)
    if entry is None:
        raise Http404
    if not may_plan_inspection(request.user):  # 403 before the form is read
        raise PermissionDenied
    form = RiskPlanForm(request.POST)
    if form.is_valid():
        try:
            inspection_plan(
                actor=request.user,  # type: ignore[arg-type]
                data={
                    "party": entry.owner,
                    "domain": entry.domain,
                    "planned_for": form.cleaned_data["planned_for"],
                    "reason": risk.reasons_text(entry),
                },
                unit=Unit.objects.get(pk=entry.unit_id),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已将“%(name)s”列入计划检查。") % {"name": entry.owner.name})
    else:
        for error_list in form.errors.values():
            for text in error_list:
                messages.error(request, str(text))
    return redirect("instruments_risk:risk_list")
