"""/api/v1/instruments/ (each line with its `code`), /api/v1/inspection-leads/ and
/api/v1/instrument-problems/: scoped by the selectors (404 out of scope), writes through
instruments.services (403 without permission, 409 when the line's state refuses a step)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_catalogs import MayAdd, MayChange
from core.api_errors import raise_as_api_error
from core.api_fields import StrictModelSerializer
from inspections.verification import VerificationStatus
from instruments import selectors, services
from instruments.filters import LeadFilterSet, RegisteredInstrumentFilterSet
from instruments.models import INSTRUMENT_FIELDS, InspectionLead, ProblemReport, RegisteredInstrument
from organizations.models import Unit

OFFICE_KINDS = (Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT, Unit.Kind.SECTION)


class RegisteredInstrumentSerializer(StrictModelSerializer):
    # The status today, computed (its codes are those of `inspection_status`).
    current_status = serializers.CharField(read_only=True)
    current_status_display = serializers.CharField(source="current_status.label", read_only=True)
    # Empty until an approved inspection has checked the line (a read-only model field would lose
    # its blank choice in the schema).
    inspection_status = serializers.ChoiceField(
        choices=VerificationStatus.choices, allow_blank=True, read_only=True
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    # The supervising office: the bureau names it on create (an office's lines are its own).
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(kind__in=OFFICE_KINDS), required=False
    )

    class Meta:
        model = RegisteredInstrument
        fields = [
            "id",
            "code",
            *INSTRUMENT_FIELDS,
            "owner_name",
            "unit",
            "entry_status",
            "return_reason",
            "current_status",
            "current_status_display",
            "inspection_status",
            "last_inspection",
            "last_inspected_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "code",
            "entry_status",
            "return_reason",
            "inspection_status",
            "last_inspection",
            "last_inspected_on",
            "created_at",
            "updated_at",
        ]


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RegisteredInstrumentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The register in the user's scope; `code` is the label's code (filter `?code=`)."""

    serializer_class = RegisteredInstrumentSerializer
    permission_classes = [IsAuthenticated, MayAdd, MayChange]
    filterset_class = RegisteredInstrumentFilterSet
    ordering_fields = ["created_at", "valid_until", "name"]
    # A change, 确认 or 退回 that the line's state refuses answers 409 (documented on each).
    conflict_actions = ("update", "partial_update", "confirm", "return_entry")

    def get_queryset(self) -> QuerySet[RegisteredInstrument]:
        return selectors.instrument_list_for_user(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        try:
            serializer.instance = services.instrument_create(
                actor=cast(Any, self.request.user), data=data, unit=unit
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("unit", None)  # a line's office does not move by an edit
        try:
            serializer.instance = services.instrument_update(
                actor=cast(Any, self.request.user), instrument=serializer.instance, data=data
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)

    @extend_schema(request=None, responses=RegisteredInstrumentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """确认 a market operator's line (its supervising office or the bureau); 409 unless 待审核."""
        try:
            line = services.instrument_confirm(actor=cast(Any, request.user), instrument=self.get_object())
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(line).data)

    @extend_schema(request=ReturnSerializer, responses=RegisteredInstrumentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_entry(self, request: Request, pk: Any = None) -> Response:
        """退回 a market operator's line with the reason; 409 unless 待审核."""
        line = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            line = services.instrument_return(
                actor=cast(Any, request.user), instrument=line, reason=body.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(line).data)


class InspectionLeadSerializer(StrictModelSerializer):
    class Meta:
        model = InspectionLead
        fields = [
            "id",
            "unit",
            "instrument",
            "owner",
            "incident",
            "problem_report",
            "summary",
            "status",
            "planned_inspection",
            "closed_reason",
            "created_at",
        ]
        read_only_fields = fields


class LeadPlanSerializer(serializers.Serializer):
    planned_for = serializers.DateField()
    domain = serializers.CharField(required=False, allow_blank=True, default="")


class LeadDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class InspectionLeadViewSet(viewsets.ReadOnlyModelViewSet):
    """The office's inspection leads; `plan` and `dismiss` are its steps (409 once handled)."""

    serializer_class = InspectionLeadSerializer
    permission_classes = [IsAuthenticated, MayChange]
    filterset_class = LeadFilterSet
    conflict_actions = ("plan", "dismiss")  # a lead already handled answers 409

    def get_queryset(self) -> QuerySet[InspectionLead]:
        return selectors.lead_list_for_user(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=LeadPlanSerializer, responses=InspectionLeadSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: Any = None) -> Response:
        lead = self.get_object()
        body = LeadPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.lead_plan(actor=cast(Any, request.user), lead=lead, **body.validated_data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=LeadDismissSerializer, responses=InspectionLeadSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: Any = None) -> Response:
        lead = self.get_object()
        body = LeadDismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            lead = services.lead_dismiss(
                actor=cast(Any, request.user), lead=lead, reason=body.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(lead).data)


class ProblemReportSerializer(StrictModelSerializer):
    instrument_code = serializers.CharField(source="instrument.code", read_only=True)

    class Meta:
        model = ProblemReport
        fields = ["id", "instrument", "instrument_code", "text", "incident", "created_at"]
        read_only_fields = fields


class ProblemReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Problems the public reported from scan pages, for the instruments' offices (contact withheld)."""

    serializer_class = ProblemReportSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["instrument"]

    def get_queryset(self) -> QuerySet[ProblemReport]:
        return selectors.problem_reports_for_user(user=self.request.user)
