"""The planning section's notice import: paste or upload a notice, check the proposal, confirm.

Nothing is written before the admin confirms; the confirmation posts the text it was shown and is
parsed again (the parser is deterministic), so no proposal is kept between the two requests.
Importing needs `campaigns.add_campaign` (403 otherwise).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.notice_forms import NoticeDecisionForm, NoticeSourceForm
from campaigns.notice_import import COOPERATING, RESPONSIBLE, TaskProposal
from campaigns.notice_services import PartyMatch, campaign_import_notice, party_matches
from core.forms import add_service_errors
from organizations.models import User


def _task_row(task: TaskProposal, matches: dict[str, PartyMatch]) -> dict[str, Any]:
    return {
        "task": task,
        "responsible": [matches[party.label] for party in task.role(RESPONSIBLE)],
        "cooperating": [matches[party.label] for party in task.role(COOPERATING)],
    }


@login_required
def notice_import(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    if not actor.has_perm("campaigns.add_campaign"):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "campaigns/notice_import.html", {"form": NoticeSourceForm()})
    form = NoticeSourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "campaigns/notice_import.html", {"form": form})
    proposal = form.proposal
    matches = party_matches(proposal)
    confirming = "confirm" in request.POST
    decision_form = NoticeDecisionForm(request.POST if confirming else None, matches=matches)
    if confirming and decision_form.is_valid():
        try:
            result = campaign_import_notice(
                actor=actor, proposal=proposal, decisions=decision_form.decisions()
            )
        except ValidationError as exc:
            add_service_errors(decision_form, exc)
        else:
            created = result.created
            if result.changed:
                messages.success(
                    request,
                    _(
                        "已导入：新建活动 %(campaign)d 个、专项工作 %(workstreams)d 项、任务 %(tasks)d 项、"
                        "指标 %(targets)d 项、工作要求 %(requirements)d 项。"
                    )
                    % created,
                )
            else:
                messages.info(request, _("该通知已导入过，没有需要新建的内容。"))
            return redirect("campaigns:plan", result.campaign.year)
    context = {
        "form": decision_form,
        "text": form.cleaned_data["text"],
        "proposal": proposal,
        "matches": matches,
        "existing": Campaign.objects.filter(year=proposal.year).first(),
        "workstreams": [
            (
                ws,
                [_task_row(task, matches) for task in proposal.tasks if task.workstream == ws.number],
                [target for target in proposal.targets if target.workstream == ws.number],
            )
            for ws in proposal.workstreams
        ],
        "other_tasks": [_task_row(task, matches) for task in proposal.tasks if task.workstream is None],
    }
    return render(request, "campaigns/notice_import_preview.html", context)
