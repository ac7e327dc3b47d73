"""/api/v1/opinion-incidents/ (with status and report actions) and /api/v1/opinion-levels/: scoped
through opinion.selectors, filtered by opinion.filters (as the list page), writes through opinion.services."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_catalogs import CatalogViewSet, MayChange, ModelPermissionsWithView
from core.api_errors import raise_as_api_error
from core.api_fields import StrictModelSerializer
from opinion import selectors, services
from opinion.filters import IncidentFilterSet
from opinion.models import OpinionIncident, OpinionLevel
from organizations.models import User
from publicity.api import HttpUrlField


class OpinionLevelSerializer(StrictModelSerializer):
    class Meta:
        model = OpinionLevel
        fields = ["id", *services.LEVEL_FIELDS]


class OpinionLevelViewSet(CatalogViewSet):
    """The 舆情 levels and their clocks: read by whoever reads 舆情; set by the bureau (403 for the
    others) through opinion.services; a level an incident has is 409 to delete (deactivate it)."""

    serializer_class = OpinionLevelSerializer
    # Deactivated levels too (`?is_active=true` for those in use): the bureau may turn one back on.
    filterset_fields = ["is_active"]

    def get_queryset(self) -> QuerySet[OpinionLevel]:
        return OpinionLevel.objects.order_by("rank", "pk")

    def save_row(self, *, instance: OpinionLevel | None, data: dict[str, Any]) -> OpinionLevel:
        return services.level_save(actor=cast(User, self.request.user), level=instance, data=data)

    def delete_row(self, *, instance: OpinionLevel) -> None:
        services.level_delete(actor=cast(User, self.request.user), level=instance)


class OpinionIncidentSerializer(StrictModelSerializer):
    level = serializers.PrimaryKeyRelatedField(queryset=OpinionLevel.objects.filter(is_active=True))
    url = HttpUrlField(required=False, allow_blank=True, max_length=500)
    handling_unit_name = serializers.CharField(source="handling_unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    report_deadline = serializers.DateTimeField(read_only=True)
    response_deadline = serializers.DateTimeField(read_only=True)
    report_state = serializers.SerializerMethodField()
    response_state = serializers.SerializerMethodField()

    class Meta:
        model = OpinionIncident
        fields = [
            "id",
            "campaign",
            *OpinionIncident.record_fields,
            "handling_unit",
            "handling_unit_name",
            "handling_summary",
            "closed_on",
            "status",
            "status_display",
            "report_deadline",
            "report_state",
            "response_deadline",
            "response_state",
            "created_at",
        ]
        # The status moves through …/transition/ and the closing fields with it; the unit is the user's.
        read_only_fields = [
            "campaign",
            "handling_unit",
            "handling_summary",
            "closed_on",
            "status",
            "created_at",
        ]

    def get_report_state(self, obj: OpinionIncident) -> str:
        return obj.report_state(self.context.get("now"))

    def get_response_state(self, obj: OpinionIncident) -> str:
        return obj.response_state(self.context.get("now"))


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OpinionIncident.Status.choices)
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    actions = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    response = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    responded_at = serializers.DateTimeField(required=False)
    handling_summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    closed_on = serializers.DateField(required=False)


class OpinionIncidentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """舆情 handled by the user's unit; POST …/transition/ moves the status, …/report/ records the report;
    the bureau deletes one.

    Authorisation is the services' (404 out of scope, 403 read-only), as on the pages.
    """

    serializer_class = OpinionIncidentSerializer
    permission_classes = [IsAuthenticated, ModelPermissionsWithView]
    filterset_class = IncidentFilterSet
    ordering_fields = ["discovered_at", "reach"]

    def get_queryset(self) -> QuerySet[OpinionIncident]:
        return selectors.incident_list_for_user(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _actor(self) -> User:
        # IsAuthenticated has run: the user is a real account.
        return cast(User, self.request.user)

    def _data(self, serializer: Any) -> dict[str, Any]:
        allowed = set(OpinionIncident.record_fields)
        return {key: value for key, value in serializer.validated_data.items() if key in allowed}

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.incident_create(actor=self._actor(), data=self._data(serializer))
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.incident_update(
                actor=self._actor(),
                incident=serializer.instance,
                data=self._data(serializer),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_destroy(self, instance: OpinionIncident) -> None:
        # The bureau's (403 for the others, who lack the delete permission), as in the admin.
        services.incident_delete(actor=self._actor(), incident=instance)

    def _refreshed(self, incident: OpinionIncident) -> Response:
        fresh = selectors.incident_get_for_user(user=self.request.user, pk=incident.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=TransitionSerializer, responses=OpinionIncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, MayChange])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """已发现 → 研判 → 处置中 → 已办结; closing needs response, responded_at and handling_summary."""
        incident = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        to_status = data.pop("status")
        try:
            services.incident_transition(
                actor=self._actor(), incident=incident, to_status=to_status, data=data
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._refreshed(incident)

    @extend_schema(
        request=inline_serializer("ReportRequest", {"at": serializers.DateTimeField(required=False)}),
        responses=OpinionIncidentSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, MayChange])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Record when the incident was reported to the county bureau (now unless `at` is given)."""
        incident = self.get_object()
        field = serializers.DateTimeField(required=False)
        raw = request.data.get("at") if isinstance(request.data, dict) else None
        try:
            at = field.run_validation(raw) if raw else None
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"at": exc.detail}) from exc
        try:
            services.incident_report_to_county(actor=self._actor(), incident=incident, at=at)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._refreshed(incident)
