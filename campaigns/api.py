from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns import selectors, services
from campaigns.models import Campaign, Target, Task, TaskAssignment, TaskParty, Workstream
from organizations.access import scope_to_user


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "workstream", "metric", "label", "goal", "unit_label"]


class CampaignSerializer(serializers.ModelSerializer):
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
            "targets",
        ]


class WorkstreamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workstream
        fields = ["id", "campaign", "number", "notice_ref", "title", "description"]


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskParty
        fields = ["role", "label", "unit", "unit_kinds"]


class AssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    due_date = serializers.DateField(source="task.due_date", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "task",
            "task_title",
            "due_date",
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


class TaskSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True, source="visible_assignments")

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
            "parties",
            "assignments",
        ]


class TodayContextMixin:
    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["today"] = timezone.localdate()
        return context


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns are public within the bureau: every signed-in user reads them."""

    serializer_class = CampaignSerializer
    filterset_fields = ["year"]
    search_fields = ["name", "theme"]
    queryset = Campaign.objects.prefetch_related("targets").order_by("-year")


class WorkstreamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WorkstreamSerializer
    filterset_fields = ["campaign", "number"]
    search_fields = ["title", "description"]
    queryset = Workstream.objects.order_by("campaign", "number")


class TaskViewSet(TodayContextMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks the user's unit answers for, each with the assignments the user may see."""

    serializer_class = TaskSerializer
    filterset_fields = ["campaign", "workstream", "notice_ref", "due_date"]
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "sort_order"]

    def get_queryset(self) -> QuerySet[Task]:
        return selectors.task_list_for_user(user=self.request.user).order_by("campaign", "sort_order", "pk")


class AssignmentViewSet(TodayContextMixin, viewsets.ReadOnlyModelViewSet):
    """A unit's share of a task; POST to acknowledge/start/complete moves it on (offices and admins only)."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["status", "unit", "task", "task__campaign", "task__workstream"]
    search_fields = ["task__title"]
    ordering_fields = ["task__due_date", "status"]

    def get_queryset(self) -> QuerySet[TaskAssignment]:
        return scope_to_user(TaskAssignment.objects.all(), self.request.user).select_related("task", "unit")

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
