"""The bureau admin's planning pages (the admin site stays as a fallback) and everyone's notice page.

Every page is an interface: forms validate, one service writes, a message says what happened.
Planning needs `campaigns.change_campaign` (403 otherwise); an unknown campaign or task is 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import longterm, reporting, selectors, services, spending
from campaigns.cloning import campaign_clone
from campaigns.forms import (
    CampaignPlanForm,
    CloneForm,
    GroupForm,
    MilestoneForm,
    RequirementForm,
    RequirementReportForm,
    TaskDeadlineForm,
    WindowsGenerateForm,
)
from campaigns.models import Campaign, Milestone, PartyGroup, ReportingWindow
from core.forms import add_service_errors
from evidence.forms import bind_photo_uploader
from evidence.selectors import photos_for
from organizations.models import Unit, User


def _planner(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not user.has_perm("campaigns.change_campaign"):
        raise PermissionDenied
    return user


def _plan_url(campaign: Campaign) -> str:
    return reverse("campaigns:plan", args=[campaign.year])


def _apply(request: HttpRequest, form: BaseForm, write: Any, success: str) -> bool:
    """Run the service; a ValidationError lands on the form (nothing is saved: services are atomic)."""
    try:
        write()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True


@login_required
def plan_index(request: HttpRequest) -> HttpResponse:
    _planner(request)
    campaign = selectors.campaign_current()
    if campaign is None:
        messages.warning(request, _("尚未建立活动。"))
        return redirect("campaigns:workbench")
    return redirect(_plan_url(campaign))


@login_required
def plan_campaign(request: HttpRequest, year: int) -> HttpResponse:
    """Dates and reminder settings, the tasks with their deadlines, groups and reporting windows."""
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "name"))
    new_group = "new_group" in request.POST
    group_form = GroupForm(request.POST if new_group else None, prefix="group", units=units)
    if (
        new_group
        and group_form.is_valid()
        and _apply(
            request,
            group_form,
            lambda: _group_write(actor, campaign, None, group_form),
            _("单位组“%(group)s”已新建，相关任务已同步。") % {"group": group_form.cleaned_data["label"]},
        )
    ):
        return redirect(_plan_url(campaign) + "#groups")
    posted = request.POST if request.method == "POST" and not new_group else None
    form = CampaignPlanForm(posted, instance=Campaign.objects.get(pk=campaign.pk))
    if posted is not None and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if _apply(
            request,
            form,
            lambda: services.campaign_update_plan(actor=actor, campaign=campaign, data=data),
            _("活动日期已保存。"),
        ):
            return redirect(_plan_url(campaign))
    today = timezone.localdate()
    grid = reporting.reporting_grid(campaign=campaign, today=today)
    labels = dict(reporting.record_type_choices())
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.order_by("-year"),
        "form": form,
        "tasks": selectors.plan_tasks(campaign=campaign),
        "groups": selectors.plan_groups(campaign=campaign),
        "group_form": group_form,
        "windows_form": WindowsGenerateForm(
            campaign=campaign,
            initial={
                "weekly_until": campaign.metrology_day,
                "monthly_until": campaign.end_date,
                "due_days": 1,
            },
        ),
        "clone_form": CloneForm(initial={"to_year": campaign.year + 1}),
        "grid": grid,
        "spending": spending.spending(campaign=campaign),
        "stations": longterm.station_activity_counts(today=today),
        "requirements": [
            (
                requirement,
                RequirementForm(
                    units=units,
                    prefix=f"r{requirement.pk}",
                    initial={
                        "owner": requirement.owner_id,
                        "evidence": requirement.evidence,
                        "met": requirement.is_met,
                    },
                ),
            )
            for requirement in campaign.requirements.select_related("owner").order_by("pk")
        ],
        "window_rows": [
            (w, "、".join(str(labels.get(key, key)) for key in w.record_types)) for w in grid.windows
        ],
        "today": today,
    }
    return render(request, "campaigns/plan.html", context)


@login_required
def plan_task(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """One task's deadline, each unit's own deadline, and its milestones."""
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    task = selectors.plan_task_get(campaign=campaign, pk=pk)
    assignments = list(task.assignments.select_related("unit").order_by("unit__sort_order", "unit__name"))
    initial = {"due_date": task.due_date, **{f"unit_{a.unit_id}": a.due_date for a in assignments}}
    posted = request.POST if request.method == "POST" and "deadlines" in request.POST else None
    form = TaskDeadlineForm(posted, initial=initial, assignments=assignments)
    milestone_posted = request.POST if request.method == "POST" and "milestone" in request.POST else None
    milestone_form = MilestoneForm(milestone_posted, prefix="milestone")
    if (
        posted is not None
        and form.is_valid()
        and _apply(
            request,
            form,
            lambda: services.task_set_deadlines(
                actor=actor,
                task=task,
                due_date=form.cleaned_data["due_date"],
                unit_due_dates=form.unit_due_dates(),
            ),
            _("“%(task)s”的完成时限已保存。") % {"task": task.title},
        )
    ):
        return redirect(reverse("campaigns:plan_task", args=[year, task.pk]))
    if milestone_posted is not None and milestone_form.is_valid():
        data = {name: milestone_form.cleaned_data[name] for name in ("title", "due_date", "metric", "goal")}
        if _apply(
            request,
            milestone_form,
            lambda: services.milestone_save(actor=actor, task=task, milestone=None, data=data),
            _("节点已添加。"),
        ):
            return redirect(reverse("campaigns:plan_task", args=[year, task.pk]))
    context = {
        "campaign": campaign,
        "task": task,
        "form": form,
        "milestone_form": milestone_form,
        "milestones": selectors.milestone_progress(task=task, today=timezone.localdate()),
    }
    return render(request, "campaigns/plan_task.html", context)


@login_required
@require_POST
def plan_milestone_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    milestone = Milestone.objects.filter(pk=pk, task__campaign=campaign).select_related("task").first()
    if milestone is None:
        raise Http404
    services.milestone_delete(actor=actor, milestone=milestone)
    messages.success(request, _("节点已删除。"))
    return redirect(reverse("campaigns:plan_task", args=[year, milestone.task_id]))


def _group_write(actor: User, campaign: Campaign, group: PartyGroup | None, form: GroupForm) -> PartyGroup:
    data = form.cleaned_data
    return services.group_save(
        actor=actor,
        campaign=campaign,
        group=group,
        data={"label": data["label"], "unit_kinds": list(data["unit_kinds"])},
        added_unit_ids=data["added_units"],
        excluded_unit_ids=data["excluded_units"],
    )


@login_required
def plan_group(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Which units a group party ("各相关科所队") means: its kinds, and the units added or taken out."""
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    group = selectors.plan_groups(campaign=campaign).filter(pk=pk).first()
    if group is None:
        raise Http404
    initial = {
        "label": group.label,
        "unit_kinds": group.unit_kinds,
        "added_units": [unit.pk for unit in group.added_units.all()],
        "excluded_units": [unit.pk for unit in group.excluded_units.all()],
    }
    units = list(Unit.objects.filter(is_active=True).order_by("kind", "sort_order", "name"))
    form = GroupForm(request.POST or None, initial=initial, units=units)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            request,
            form,
            lambda: _group_write(actor, campaign, group, form),
            _("“%(group)s”已保存，相关任务已同步。") % {"group": form.cleaned_data["label"]},
        )
    ):
        return redirect(_plan_url(campaign) + "#groups")
    context = {
        "campaign": campaign,
        "group": group,
        "form": form,
        "members": selectors.group_members(group=group),
    }
    return render(request, "campaigns/plan_group.html", context)


@login_required
@require_POST
def plan_windows_generate(request: HttpRequest, year: int) -> HttpResponse:
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    form = WindowsGenerateForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.reporting_windows_generate(
                actor=actor,
                campaign=campaign,
                group=data["group"],
                record_types=data["record_types"],
                weekly_until=data["weekly_until"],
                monthly_until=data["monthly_until"],
                due_days=data["due_days"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已新增 %(count)d 个报送期。") % {"count": len(created)})
    else:
        errors = [
            f"{form.fields[name].label if name in form.fields else ''}：{'；'.join(str(m) for m in problems)}"
            for name, problems in form.errors.items()
        ]
        messages.error(request, _("报送期未生成：%(errors)s") % {"errors": " ".join(errors)})
    return redirect(_plan_url(campaign) + "#windows")


@login_required
@require_POST
def plan_window_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    window = ReportingWindow.objects.filter(pk=pk, campaign=campaign).first()
    if window is None:
        raise Http404
    services.reporting_window_delete(actor=actor, window=window)
    messages.success(request, _("报送期“%(window)s”已删除。") % {"window": window.label})
    return redirect(_plan_url(campaign) + "#windows")


@login_required
@require_POST
def plan_requirement(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """One 工作要求: its owner, the evidence, and whether it is met."""
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    requirement = campaign.requirements.filter(pk=pk).first()
    if requirement is None:
        raise Http404
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "name"))
    form = RequirementForm(request.POST, units=units, prefix=f"r{requirement.pk}")
    if form.is_valid():
        try:
            services.requirement_update(actor=actor, requirement=requirement, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("“%(title)s”已保存。") % {"title": requirement.title})
    else:
        messages.error(request, _("工作要求未保存，请检查填写的内容。"))
    return redirect(_plan_url(campaign) + "#requirements")


@login_required
@require_POST
def plan_clone(request: HttpRequest, year: int) -> HttpResponse:
    actor = _planner(request)
    campaign = selectors.campaign_get_by_year(year=year)
    form = CloneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的年度。"))
        return redirect(_plan_url(campaign))
    try:
        result = campaign_clone(
            actor=actor,
            from_year=campaign.year,
            to_year=form.cleaned_data["to_year"],
            shift_days=form.cleaned_data["shift_days"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(_plan_url(campaign))
    if result.created:
        messages.success(
            request, _("已复制为“%(name)s”，各单位任务均为待签收。") % {"name": result.campaign.name}
        )
    else:
        messages.info(request, _("%(year)d 年度的活动已存在，未作改动。") % {"year": result.campaign.year})
    return redirect(_plan_url(result.campaign))


@login_required
def requirement(request: HttpRequest, pk: int) -> HttpResponse:
    """One 工作要求: its evidence and photos for whoever may see the owner's rows; the owning unit's
    staff (and the bureau admin) report progress and attach photos here. Another unit's item is 404."""
    user = cast(User, request.user)
    item = selectors.requirement_get_for_user(user=user, pk=pk)
    may_report = user.has_perm("campaigns.change_workrequirement")
    form = RequirementReportForm(
        request.POST or None,
        request.FILES or None,
        initial={"progress": item.progress, "evidence": item.evidence},
    )
    bind_photo_uploader(form, user)
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        if form.is_valid() and _apply(
            request,
            form,
            lambda: services.requirement_report(
                actor=user,
                pk=item.pk,
                progress=form.cleaned_data["progress"],
                evidence=form.cleaned_data["evidence"],
                photos=form.cleaned_data["photos"],
            ),
            _("“%(title)s”的落实情况已保存。") % {"title": item.title},
        ):
            return redirect(item.get_absolute_url())
    context = {
        "requirement": item,
        "form": form if may_report else None,
        "photos": photos_for(item),
        "history": item.history.select_related("history_user").order_by("-history_date")[:10],
    }
    return render(request, "campaigns/requirement.html", context)


@login_required
def notice(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The notice in full for every user, each numbered item with its tasks and their progress."""
    campaign = selectors.campaign_get_by_year(year=year) if year else selectors.campaign_current()
    if campaign is None:
        raise Http404
    context = {
        "campaign": campaign,
        "sections": selectors.notice_sections(campaign=campaign, user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/notice.html", context)
