from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from campaigns import metrics, services
from campaigns.forms import TaskPartyForm
from campaigns.models import (
    EFFECTIVE_DUE,
    Campaign,
    ImportJob,
    Milestone,
    PartyGroup,
    ReportingWindow,
    Target,
    Task,
    TaskAssignment,
    TaskParty,
    WorkRequirement,
    Workstream,
)
from organizations.admin_scoping import UnitScopedAdminMixin
from organizations.models import Unit, User


class WorkstreamInline(admin.TabularInline):
    model = Workstream
    extra = 0
    fields = ["number", "notice_ref", "title"]
    show_change_link = True


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["workstream", "metric", "label", "goal", "unit_label", "actual"]
    readonly_fields = ["actual"]

    @admin.display(description=_("当前完成"))
    def actual(self, obj: Target) -> str:
        if obj.pk is None:
            return "—"
        value = metrics.actual_for(obj)
        return str(_("未接入统计")) if value is None else f"{value}/{obj.goal}"


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["year", "name", "theme", "metrology_day", "start_date", "end_date"]
    search_fields = ["name", "theme", "notice_title"]
    list_filter = ["year"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [WorkstreamInline, TargetInline]


@admin.register(Workstream)
class WorkstreamAdmin(SimpleHistoryAdmin):
    list_display = ["notice_ref", "title", "campaign", "number"]
    list_filter = ["campaign"]
    search_fields = ["title", "description"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["label", "goal", "unit_label", "metric", "campaign", "workstream"]
    list_filter = ["campaign", "workstream"]
    search_fields = ["label", "metric"]
    list_select_related = ["campaign", "workstream"]
    autocomplete_fields = ["campaign", "workstream"]


class TaskPartyInline(admin.StackedInline):
    model = TaskParty
    form = TaskPartyForm
    extra = 0
    fields = ["role", "label", "unit", "group", "unit_kinds", "sort_order"]
    autocomplete_fields = ["unit", "group"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "metric", "goal"]


@admin.register(PartyGroup)
class PartyGroupAdmin(SimpleHistoryAdmin):
    """A fallback: the planning pages edit membership through the service (which also re-syncs)."""

    list_display = ["label", "campaign"]
    list_filter = ["campaign"]
    search_fields = ["label"]
    list_select_related = ["campaign"]
    filter_horizontal = ["excluded_units", "added_units"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        group = form.instance
        members = [unit.pk for unit in Unit.objects.all() if group.includes(unit)]
        services.group_set_members(actor=cast(User, request.user), group=group, unit_ids=members)


class TaskAssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    fields = ["unit", "status", "due_date", "acknowledged_at", "acknowledged_by", "completed_at"]
    readonly_fields = ["unit", "status", "acknowledged_at", "acknowledged_by", "completed_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # assignments come from the responsible parties (save or the action below)


@admin.register(Task)
class TaskAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    unit_scope_field = "assignments__unit"
    list_display = ["title", "notice_ref", "workstream", "due_date", "campaign"]
    list_filter = ["campaign", "workstream", "due_date"]
    search_fields = ["title", "description", "parties__label"]
    list_select_related = ["campaign", "workstream"]
    autocomplete_fields = ["campaign", "workstream"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [TaskPartyInline, MilestoneInline, TaskAssignmentInline]
    actions = ["sync_assignments"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        created = services.task_sync_assignments(task=form.instance)
        if created:
            self.message_user(request, _("已为 %d 个责任单位生成签收任务。") % created)

    @admin.action(description=_("按单位名录补齐责任单位的签收任务"), permissions=["change"])
    def sync_assignments(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        created = sum(services.task_sync_assignments(task=task) for task in queryset)
        self.message_user(
            request,
            ngettext("已生成 %d 条签收任务。", "已生成 %d 条签收任务。", created) % created,
            messages.SUCCESS,
        )


class OverdueFilter(admin.SimpleListFilter):
    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", str(_("已逾期"))), ("no", str(_("未逾期")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[TaskAssignment]) -> QuerySet[TaskAssignment]:
        overdue = queryset.overdue(timezone.localdate())  # type: ignore[attr-defined]
        if self.value() == "yes":
            return overdue
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "task",
        "unit",
        "status",
        "effective_due",
        "acknowledged_at",
        "acknowledged_by",
        "completed_at",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        "task__campaign",
        "task__workstream",
        "unit__kind",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["task__title", "unit__name", "note"]
    list_select_related = ["task", "unit", "acknowledged_by"]
    autocomplete_fields = ["task", "unit", "acknowledged_by"]
    readonly_fields = [
        "acknowledged_at",
        "acknowledged_by",
        "started_at",
        "completed_at",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("完成时限"), ordering=EFFECTIVE_DUE)
    def effective_due(self, obj: TaskAssignment) -> Any:
        return obj.due


@admin.register(ReportingWindow)
class ReportingWindowAdmin(SimpleHistoryAdmin):
    """A fallback: the planning page generates windows (weekly, then monthly) and shows the grid."""

    list_display = ["label", "start_date", "end_date", "due_date", "group", "campaign"]
    list_filter = ["campaign", "group"]
    search_fields = ["label"]
    list_select_related = ["campaign", "group"]
    autocomplete_fields = ["campaign", "group"]
    date_hierarchy = "start_date"


@admin.register(WorkRequirement)
class WorkRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["notice_ref", "title", "owner", "progress", "met_at", "campaign"]
    list_filter = ["campaign", "progress", ("owner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "evidence"]
    list_select_related = ["campaign", "owner"]
    autocomplete_fields = ["campaign", "owner"]
    # Progress and its time move together through the services (the planning page, the item's page).
    readonly_fields = ["progress", "met_at"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by an import and changed only by their worker. Each requester follows
    their own job on its import page (XlsxImportExportMixin); this list is for superusers."""

    list_display = [
        "original_name",
        "importer",
        "campaign",
        "requested_by",
        "status",
        "progress",
        "created_count",
        "updated_count",
        "unchanged_count",
        "created_at",
    ]
    list_filter = ["status", "importer", "campaign"]
    search_fields = ["original_name", "requested_by__username", "requested_by__name"]
    list_select_related = ["campaign", "requested_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        jobs = super().get_queryset(request)
        return jobs if request.user.is_superuser else jobs.filter(requested_by=request.user.pk)
