from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns import metrics, reporting, selectors, services
from campaigns.models import (
    Campaign,
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
from core.api_catalogs import CatalogViewSet
from core.api_errors import raise_as_api_error
from core.api_fields import StrictCharField, StrictModelSerializer
from evidence.forms import PhotoField
from organizations.access import scope_to_user
from organizations.models import Unit


class MayPlan(BasePermission):
    """Writes to the plan (campaign dates, task deadlines, groups) are the bureau admin's: the planner's
    permission, checked before the row is looked up or the input read, so that every other role gets
    403 whatever it sent (the services check it again)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or bool(request.user.has_perm("campaigns.change_campaign"))


class TargetSerializer(StrictModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "workstream", "metric", "label", "goal", "unit_label"]


class CampaignSerializer(StrictModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "year",
            "name",
            "theme",
            "metrology_day",
            "start_date",
            "end_date",
            "notice_title",
            "notice_issuer",
            "reminder_days_ahead",
            "escalation_days",
            "cost_flag_threshold",
            "targets",
        ]
        # Only the plan's dates and reminder settings are written (services.campaign_update_plan).
        read_only_fields = [
            name for name in fields if name not in services.CAMPAIGN_PLAN_FIELDS and name != "targets"
        ]


class WorkstreamSerializer(StrictModelSerializer):
    class Meta:
        model = Workstream
        fields = ["id", "campaign", "number", "notice_ref", "title", "description"]


class PartySerializer(StrictModelSerializer):
    class Meta:
        model = TaskParty
        fields = ["role", "label", "unit", "unit_kinds"]


class AssignmentSerializer(StrictModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    # The deadline that holds for this unit (its own, else the task's); `own_due_date` is the unit's own.
    due_date = serializers.DateField(source="due", read_only=True, allow_null=True)
    task_due_date = serializers.DateField(source="task.due_date", read_only=True, allow_null=True)
    own_due_date = serializers.DateField(source="due_date", read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "task",
            "task_title",
            "due_date",
            "task_due_date",
            "own_due_date",
            "unit",
            "unit_name",
            "status",
            "status_display",
            "is_overdue",
            "acknowledged_at",
            "acknowledged_by",
            "started_at",
            "completed_at",
            "note",
        ]
        read_only_fields = fields

    def get_is_overdue(self, obj: TaskAssignment) -> bool:
        return obj.is_overdue(self.context["today"])


class TaskSerializer(StrictModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True, source="visible_assignments")
    # Written only: each responsible unit's own deadline by unit id (null: the task's holds).
    unit_due_dates = serializers.DictField(
        child=serializers.DateField(allow_null=True), write_only=True, required=False
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "campaign",
            "workstream",
            "notice_ref",
            "title",
            "description",
            "due_date",
            "unit_due_dates",
            "parties",
            "assignments",
        ]
        # Only the deadlines are written (services.task_set_deadlines); the rest is the notice's.
        read_only_fields = ["campaign", "workstream", "notice_ref", "title", "description"]

    def validate_unit_due_dates(self, value: dict[str, Any]) -> dict[int, Any]:
        days: dict[int, Any] = {}
        for key, day in value.items():
            if not (key.isascii() and key.isdigit()) or str(int(key)) != key:
                raise ValidationError(_("单位须以编号（正整数）指定：%(key)s") % {"key": key})
            days[int(key)] = day
        return days


class PartyGroupSerializer(StrictModelSerializer):
    # The kinds are checked by the model's clean (in group_save), with its message naming the unknown.
    unit_kinds = serializers.ListField(
        child=StrictCharField(),
        required=False,
        help_text="单位类型：" + "、".join(f"{value}（{label}）" for value, label in Unit.Kind.choices),
    )
    added_units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.all(), required=False)
    excluded_units = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Unit.objects.all(), required=False
    )

    class Meta:
        model = PartyGroup
        fields = ["id", "campaign", "label", "unit_kinds", "added_units", "excluded_units"]


class TodayContextMixin:
    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["today"] = timezone.localdate()
        return context


CAMPAIGN_PLAN_EXAMPLE = OpenApiExample(
    "活动日期与提醒设置",
    value={
        "start_date": "2025-04-20",
        "end_date": "2025-06-30",
        "reminder_days_ahead": 3,
        "escalation_days": 3,
    },
    request_only=True,
)


@extend_schema_view(
    update=extend_schema(summary="设定活动日期与提醒（县局管理员）", examples=[CAMPAIGN_PLAN_EXAMPLE]),
    partial_update=extend_schema(
        summary="设定活动日期与提醒（县局管理员）", examples=[CAMPAIGN_PLAN_EXAMPLE]
    ),
)
class CampaignViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns are public within the bureau: every signed-in user reads them. The bureau admin sets
    their dates and reminder settings through campaigns.services.campaign_update_plan; others get 403."""

    serializer_class = CampaignSerializer
    permission_classes = [IsAuthenticated, MayPlan]
    filterset_fields = ["year"]
    search_fields = ["name", "theme"]
    queryset = Campaign.objects.prefetch_related("targets").order_by("-year")

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.campaign_update_plan(
                actor=self.request.user,  # type: ignore[arg-type]
                campaign=serializer.instance,
                data=dict(serializer.validated_data),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)


class WorkstreamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WorkstreamSerializer
    filterset_fields = ["campaign", "number"]
    search_fields = ["title", "description"]
    queryset = Workstream.objects.order_by("campaign", "number")


TASK_DEADLINE_EXAMPLE = OpenApiExample(
    "任务完成时限与某单位的时限",
    value={"due_date": "2025-05-20", "unit_due_dates": {"3": "2025-05-25", "4": None}},
    request_only=True,
)


@extend_schema_view(
    update=extend_schema(summary="设定任务完成时限（县局管理员）", examples=[TASK_DEADLINE_EXAMPLE]),
    partial_update=extend_schema(summary="设定任务完成时限（县局管理员）", examples=[TASK_DEADLINE_EXAMPLE]),
)
class TaskViewSet(TodayContextMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks the user's unit answers for, each with the assignments the user may see. The bureau admin
    sets a task's deadline and each responsible unit's own (campaigns.services.task_set_deadlines)."""

    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, MayPlan]
    filterset_fields = ["campaign", "workstream", "notice_ref", "due_date"]
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "sort_order"]

    def get_queryset(self) -> QuerySet[Task]:
        return selectors.task_list_for_user(user=self.request.user).order_by("campaign", "sort_order", "pk")

    def perform_update(self, serializer: Any) -> None:
        task = serializer.instance
        data = serializer.validated_data
        try:
            services.task_set_deadlines(
                actor=self.request.user,  # type: ignore[arg-type]
                task=task,
                due_date=data.get("due_date", task.due_date),
                unit_due_dates=data.get("unit_due_dates", {}),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        serializer.instance = self.get_queryset().get(pk=task.pk)


GROUP_EXAMPLE = OpenApiExample(
    "各相关科所队",
    value={
        "campaign": 1,
        "label": "各相关科所队",
        "unit_kinds": ["office", "section"],
        "excluded_units": [7],
    },
    request_only=True,
)


@extend_schema_view(
    create=extend_schema(summary="新建单位组（县局管理员）", examples=[GROUP_EXAMPLE]),
    update=extend_schema(summary="修改单位组（县局管理员）", examples=[GROUP_EXAMPLE]),
    partial_update=extend_schema(summary="修改单位组（县局管理员）", examples=[GROUP_EXAMPLE]),
)
class PartyGroupViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The groups a campaign's tasks name ("各相关科所队"): every signed-in user reads them; the bureau
    admin creates and changes them through campaigns.services.group_save, and the tasks naming a group
    follow at once (units that leave lose what they have not signed for)."""

    serializer_class = PartyGroupSerializer
    permission_classes = [IsAuthenticated, MayPlan]
    filterset_fields = ["campaign"]
    search_fields = ["label"]

    def get_queryset(self) -> QuerySet[PartyGroup]:
        return PartyGroup.objects.prefetch_related("added_units", "excluded_units").order_by(
            "campaign", "label", "pk"
        )

    def _save(self, serializer: Any, group: PartyGroup | None) -> None:
        data = dict(serializer.validated_data)
        added = data.pop("added_units", None)
        excluded = data.pop("excluded_units", None)
        campaign = data.pop("campaign", None) or group.campaign  # type: ignore[union-attr]
        try:
            saved = services.group_save(
                actor=self.request.user,  # type: ignore[arg-type]
                campaign=campaign,
                group=group,
                data=data,
                # A PATCH without them keeps the group's units.
                added_unit_ids=[u.pk for u in added]
                if added is not None
                else self._ids(group, "added_units"),
                excluded_unit_ids=(
                    [u.pk for u in excluded] if excluded is not None else self._ids(group, "excluded_units")
                ),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    @staticmethod
    def _ids(group: PartyGroup | None, name: str) -> list[int]:
        return [] if group is None else [unit.pk for unit in getattr(group, name).all()]

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)


class AssignmentViewSet(TodayContextMixin, viewsets.ReadOnlyModelViewSet):
    """A unit's share of a task; POST to acknowledge/start/complete moves it on (offices and admins only)."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["status", "unit", "task", "task__campaign", "task__workstream"]
    search_fields = ["task__title"]
    ordering_fields = ["effective_due", "task__due_date", "status"]

    def get_queryset(self) -> QuerySet[TaskAssignment]:
        return scope_to_user(selectors.assignments_with_due(), self.request.user).select_related(
            "task", "unit"
        )

    def _transition(self, request: Request, to_status: str) -> Response:
        assignment = self.get_object()
        try:
            updated = services.assignment_transition(
                actor=request.user,
                assignment=assignment,
                to_status=to_status,
                note=str(request.data.get("note", "")) if isinstance(request.data, dict) else "",
            )
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        updated.task = assignment.task
        return Response(self.get_serializer(updated).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, TaskAssignment.Status.ACKNOWLEDGED)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, TaskAssignment.Status.IN_PROGRESS)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, TaskAssignment.Status.DONE)


# --- Milestones, reporting windows and 工作要求: the rest of the planning pages ------------------------


class MilestoneSerializer(StrictModelSerializer):
    # The metrics the apps register, as the page's choice (empty: the date alone counts).
    metric = serializers.ChoiceField(choices=[], required=False, allow_blank=True)

    class Meta:
        model = Milestone
        fields = ["id", "task", "title", "due_date", "metric", "goal"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        metric = self.fields["metric"]
        metric.choices = sorted(metrics.registered())  # type: ignore[attr-defined]
        # The task is named when the milestone is added; a milestone stays with its task.
        if self.instance is not None:
            self.fields["task"].read_only = True


MILESTONE_EXAMPLE = OpenApiExample(
    "5·20 前开放微站",
    value={"task": 1, "title": "微站开放", "due_date": "2025-05-20", "metric": "", "goal": None},
    request_only=True,
)


@extend_schema_view(
    create=extend_schema(summary="添加任务节点（县局管理员）", examples=[MILESTONE_EXAMPLE]),
    update=extend_schema(summary="修改任务节点（县局管理员）", examples=[MILESTONE_EXAMPLE]),
    partial_update=extend_schema(summary="修改任务节点（县局管理员）", examples=[MILESTONE_EXAMPLE]),
    destroy=extend_schema(summary="删除任务节点（县局管理员）"),
)
class MilestoneViewSet(CatalogViewSet):
    """The milestones of the tasks the user's unit answers for (all of them for leadership and the
    bureau); the bureau admin adds, changes and deletes them (campaigns.services.milestone_save and
    milestone_delete), as on the task's planning page. Others get 403 whatever they send."""

    serializer_class = MilestoneSerializer
    permission_classes = [IsAuthenticated, MayPlan]
    conflict_actions = ()  # a milestone is nobody's parent: its delete never answers 409
    filterset_fields = ["task", "task__campaign"]
    search_fields = ["title"]

    def get_queryset(self) -> QuerySet[Milestone]:
        tasks = selectors.task_list_for_user(user=self.request.user)
        return Milestone.objects.filter(task__in=tasks.values("pk")).order_by("task", "due_date", "pk")

    def save_row(self, *, instance: Milestone | None, data: dict[str, Any]) -> Milestone:
        task = data.pop("task", None) or instance.task  # type: ignore[union-attr]
        return services.milestone_save(
            actor=self.request.user,  # type: ignore[arg-type]
            task=task,
            milestone=instance,
            data=data,
        )

    def delete_row(self, *, instance: Milestone) -> None:
        services.milestone_delete(actor=self.request.user, milestone=instance)  # type: ignore[arg-type]


class ReportingWindowSerializer(StrictModelSerializer):
    class Meta:
        model = ReportingWindow
        fields = ["id", "campaign", "group", "label", "start_date", "end_date", "due_date", "record_types"]
        read_only_fields = fields


class WindowsGenerateSerializer(serializers.Serializer):
    """What the plan page's 生成报送期 form takes: weekly windows from the campaign's start to
    `weekly_until`, then monthly ones to `monthly_until`, each due `due_days` after it ends."""

    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    group = serializers.PrimaryKeyRelatedField(queryset=PartyGroup.objects.all(), help_text="本活动的单位组")
    record_types = serializers.ListField(
        child=serializers.ChoiceField(choices=[]), allow_empty=False, help_text="报送内容（记录类型）"
    )
    weekly_until = serializers.DateField()
    monthly_until = serializers.DateField(required=False, allow_null=True)
    due_days = serializers.IntegerField(min_value=0, max_value=31, default=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record_types = self.fields["record_types"]
        record_types.child.choices = [key for key, _label in reporting.record_type_choices()]  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The page's form checks (WindowsGenerateForm.clean), with its messages.
        campaign, errors = attrs["campaign"], {}
        weekly, monthly = attrs["weekly_until"], attrs.get("monthly_until")
        for name, day in (("weekly_until", weekly), ("monthly_until", monthly)):
            if day and not campaign.covers(day):
                errors[name] = [_("日期须在活动期间内。")]
        if monthly and monthly < weekly:
            errors.setdefault("monthly_until", []).append(_("不能早于每周报送的截止日期。"))
        if errors:
            raise ValidationError(errors)
        return attrs


WINDOWS_EXAMPLE = OpenApiExample(
    "5·20 前每周、此后每月报送",
    value={
        "campaign": 1,
        "group": 2,
        "record_types": ["inspections.inspectionrecord"],
        "weekly_until": "2025-05-20",
        "monthly_until": "2025-06-30",
        "due_days": 1,
    },
    request_only=True,
)


@extend_schema_view(destroy=extend_schema(summary="删除报送期（县局管理员）"))
class ReportingWindowViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """The periods each group reports for: every signed-in user reads them; the bureau admin generates
    them (campaigns.services.reporting_windows_generate) and deletes one (reporting_window_delete)."""

    serializer_class = ReportingWindowSerializer
    permission_classes = [IsAuthenticated, MayPlan]
    filterset_fields = ["campaign", "group"]
    search_fields = ["label"]
    queryset = ReportingWindow.objects.order_by("campaign", "group", "start_date", "pk")

    @extend_schema(
        request=WindowsGenerateSerializer,
        responses={201: ReportingWindowSerializer(many=True)},
        examples=[WINDOWS_EXAMPLE],
        summary="生成报送期（县局管理员；已有的同一起始日期不重复生成）",
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def generate(self, request: Request) -> Response:
        """The windows added (none when a rerun finds them all): 201 with the list."""
        form = WindowsGenerateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            created = services.reporting_windows_generate(
                actor=request.user,  # type: ignore[arg-type]
                campaign=data["campaign"],
                group=data["group"],
                record_types=data["record_types"],
                weekly_until=data["weekly_until"],
                monthly_until=data.get("monthly_until"),
                due_days=data["due_days"],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(ReportingWindowSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ReportingWindow) -> None:
        services.reporting_window_delete(actor=self.request.user, window=instance)  # type: ignore[arg-type]


class RequirementSerializer(StrictModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True), allow_null=True, required=False
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True, allow_null=True)
    progress_display = serializers.CharField(source="get_progress_display", read_only=True)
    met = serializers.BooleanField(source="is_met", required=False, help_text="确认（或撤回）已落实")

    class Meta:
        model = WorkRequirement
        fields = [
            "id",
            "campaign",
            "notice_ref",
            "title",
            "owner",
            "owner_name",
            "progress",
            "progress_display",
            "met",
            "met_at",
            "evidence",
        ]
        # The bureau admin sets the owner and the evidence and confirms it met (requirement_update).
        read_only_fields = ["campaign", "notice_ref", "title", "progress", "met_at"]
        extra_kwargs = {"evidence": {"max_length": 4000}}


class RequirementReportSerializer(serializers.Serializer):
    """What the owning unit reports (the 工作要求 page's form): JSON, or multipart with photos."""

    progress = serializers.ChoiceField(choices=WorkRequirement.Progress.choices)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False),
        required=False,
        help_text="佐证照片（multipart），与表单相同的大小与像素限制",
    )

    def validate_photos(self, files: list[Any]) -> list[Any]:
        try:
            return PhotoField(required=False).clean(files)
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc


class MayReport(BasePermission):
    """Reporting on a 工作要求 is its owning unit's staff's (and the bureau's): the permission is asked
    before the row or the input, so leadership gets 403 whatever it sent (a GET is 405, as to any
    POST-only action)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or bool(
            request.user.has_perm("campaigns.change_workrequirement")
        )


REQUIREMENT_EXAMPLE = OpenApiExample(
    "确认已落实",
    value={"owner": 3, "evidence": "已印发节俭办活动通知", "met": True},
    request_only=True,
)


@extend_schema_view(
    update=extend_schema(
        summary="设定工作要求的负责单位与落实情况（县局管理员）", examples=[REQUIREMENT_EXAMPLE]
    ),
    partial_update=extend_schema(
        summary="设定工作要求的负责单位与落实情况（县局管理员）", examples=[REQUIREMENT_EXAMPLE]
    ),
)
class RequirementViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The notice's 工作要求 in the user's scope (its owner is the user's unit, or the user sees all).
    The bureau admin sets owner and evidence and confirms it met (campaigns.services.requirement_update);
    the owning unit reports progress with evidence and photos (`report`, requirement_report)."""

    serializer_class = RequirementSerializer
    permission_classes = [IsAuthenticated, MayPlan]
    filterset_fields = ["campaign", "owner", "progress"]
    search_fields = ["title", "evidence"]

    def get_queryset(self) -> QuerySet[WorkRequirement]:
        queryset = WorkRequirement.objects.select_related("owner").order_by("campaign", "pk")
        return scope_to_user(queryset, self.request.user, unit_field=WorkRequirement.unit_scope_field)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "is_met" in data:
            data["met"] = data.pop("is_met")
        try:
            serializer.instance = services.requirement_update(
                actor=self.request.user,  # type: ignore[arg-type]
                requirement=serializer.instance,
                data=data,
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    @extend_schema(
        request={
            "application/json": RequirementReportSerializer,
            "multipart/form-data": RequirementReportSerializer,
        },
        responses=RequirementSerializer,
        examples=[
            OpenApiExample(
                "推进中",
                value={"progress": "in_progress", "evidence": "已召开协调会"},
                request_only=True,
            )
        ],
        summary="填报工作要求落实情况（负责单位；可附照片）",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, MayReport],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def report(self, request: Request, pk: Any = None) -> Response:
        """404 outside the user's scope, 403 without the permission (before the body is read), 400 in
        Chinese with nothing saved (已落实 needs the evidence text or a photo)."""
        item = self.get_object()
        form = RequirementReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            services.requirement_report(
                actor=request.user,  # type: ignore[arg-type]
                pk=item.pk,
                progress=data["progress"],
                evidence=data["evidence"],
                photos=data.get("photos", []),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)
