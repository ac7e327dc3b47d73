from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_catalogs import CatalogViewSet, MayAdd, MayChange
from core.api_errors import Conflict, raise_as_api_error
from core.api_fields import StrictModelSerializer
from enterprises import selectors, services, uscc
from enterprises.filters import EnterpriseFilterSet, VisitFilterSet
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from organizations.models import Unit
from records.api import RecordViewSet

# --- Enterprises -----------------------------------------------------------------------------------


class EnterpriseSerializer(StrictModelSerializer):
    # Declared, so that the code is normalised before it is checked (and DRF adds no English-style
    # uniqueness message of its own).
    credit_code = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    # Blank for a stall without a code: the schema's enum must allow it.
    registration_authority = serializers.ChoiceField(
        choices=uscc.AUTHORITY_CHOICES, allow_blank=True, read_only=True
    )
    registration_authority_display = serializers.CharField(
        source="get_registration_authority_display", read_only=True
    )
    entity_type_label = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            *Enterprise.registry_fields,
            "registration_authority",
            "registration_authority_display",
            "entity_type_code",
            "entity_type_label",
            "region_code",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "registration_authority",
            "entity_type_code",
            "region_code",
            "created_at",
            "updated_at",
        ]

    def validate_credit_code(self, value: str) -> str:
        code = uscc.normalize(value)
        if not code:
            return code
        try:
            uscc.validate(code)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        duplicates = Enterprise.objects.filter(credit_code=code)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        holder = duplicates.first()
        if holder is not None:
            raise serializers.ValidationError(
                _("该统一社会信用代码已登记为“%(name)s”，请勿重复添加。") % {"name": holder.name}
            )
        return code


class EnterpriseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The shared enterprise registry: every role reads it; offices and the bureau add and change it."""

    serializer_class = EnterpriseSerializer
    # Writes are authorised by the services (403 without add/change), as on the workbench; the same
    # permissions are asked first, so that a read-only role gets 403 whatever it sent.
    permission_classes = [IsAuthenticated, MayAdd, MayChange]
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "credit_code", "address", "contact_name"]
    ordering_fields = ["name", "township", "created_at"]

    def get_queryset(self) -> QuerySet[Enterprise]:
        return Enterprise.objects.order_by("name", "pk")

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.enterprise_create(
                actor=cast(Any, self.request.user), data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.enterprise_update(
                actor=cast(Any, self.request.user),
                enterprise=serializer.instance,
                data=dict(serializer.validated_data),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)


# --- Partnerships ----------------------------------------------------------------------------------


class PartnershipSerializer(StrictModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "campaign", "name", "lead", "lead_name", "partners", "signed_on", "note"]


class PartnershipViewSet(CatalogViewSet):
    """伙伴计划 pairings: every role reads them; the bureau sets them up through
    enterprises.services.partnership_save (the lead a large or medium enterprise, the partners SMEs)."""

    serializer_class = PartnershipSerializer
    filterset_fields = ["campaign", "lead", "partners"]
    search_fields = ["name", "lead__name"]

    def get_queryset(self) -> QuerySet[Partnership]:
        return selectors.partnership_list()

    def save_row(self, *, instance: Partnership | None, data: dict[str, Any]) -> Partnership:
        partners = data.pop("partners", None)
        if partners is None:
            # A PATCH without partners keeps them.
            partners = list(instance.partners.all()) if instance is not None else []
        return services.partnership_save(
            actor=cast(Any, self.request.user), partnership=instance, data=data, partners=partners
        )

    def delete_row(self, *, instance: Partnership) -> None:
        services.partnership_delete(actor=cast(Any, self.request.user), partnership=instance)


# --- Visits ----------------------------------------------------------------------------------------


class VisitSerializer(StrictModelSerializer):
    visit_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EnterpriseVisit.VisitType.choices), allow_empty=False
    )
    technical_partner = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(kind=Unit.Kind.TESTING), allow_null=True, required=False
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)
    problem_count = serializers.IntegerField(read_only=True)
    solved_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = EnterpriseVisit
        fields = [
            "id",
            *EnterpriseVisit.record_fields,
            "enterprise_name",
            "campaign",
            "unit",
            "unit_name",
            "problem_count",
            "solved_count",
            "review_status",
            "review_status_display",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "created_at",
        ]
        # Only record_fields are written (RecordViewSet passes those to record_save); the rest is shown.
        read_only_fields = [
            "campaign",
            "unit",
            "review_status",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "created_at",
        ]


class EnterpriseVisitViewSet(RecordViewSet):
    """SME service visits in the user's scope; writes go through record_save (the unit is the visiting
    unit's, the campaign that of the visit's date), review through the record kit's actions."""

    model = EnterpriseVisit
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    search_fields = ["enterprise__name", "enterprise__credit_code", "needs_identified", "summary", "staff"]
    ordering_fields = ["date", "instruments_serviced", "fees_waived", "estimated_saving"]

    def get_queryset(self) -> QuerySet[EnterpriseVisit]:
        return selectors.visit_list_for_user(user=self.request.user)

    def save_kwargs(self, serializer: Any) -> dict[str, Any]:
        return services.visit_owner(
            actor=self.request.user, data=serializer.validated_data, visit=serializer.instance
        )

    def perform_create(self, serializer: Any) -> None:
        super().perform_create(serializer)
        # Answer with the row as the list shows it (problem counts annotated).
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance: Any) -> None:
        try:
            super().perform_destroy(instance)
        except ProtectedError as exc:
            # Its problem tickets keep a draft visit: the visit's state, not the request, says no.
            raise Conflict(_("该服务记录已登记企业计量问题，不能删除。")) from exc


# --- Problem tickets -------------------------------------------------------------------------------


class ProblemSerializer(StrictModelSerializer):
    visit = serializers.PrimaryKeyRelatedField(queryset=EnterpriseVisit.objects.none())
    enterprise_name = serializers.CharField(source="visit.enterprise.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MetrologyProblem
        fields = [
            "id",
            "visit",
            "enterprise_name",
            *services.PROBLEM_FIELDS,
            *MetrologyProblem.step_fields,
            "status_display",
        ]
        # A POST raises a ticket on a visit; every later field is its steps'.
        read_only_fields = list(MetrologyProblem.step_fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out-of-scope visits are "does not exist", as everywhere else.
            self.fields["visit"].queryset = selectors.visit_list_for_user(user=request.user)  # type: ignore[attr-defined]


class AssignSerializer(serializers.Serializer):
    assigned_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    assignee_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class SolveSerializer(serializers.Serializer):
    solution = serializers.CharField(max_length=2000)


class ConfirmSerializer(serializers.Serializer):
    confirmed_by_name = serializers.CharField(max_length=50)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MetrologyProblemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Problem tickets of the user's unit's visits: POST raises one; …/assign/, …/solve/, …/confirm/ move it on."""

    serializer_class = ProblemSerializer
    # The services check scope (404) and permission (403) themselves, for the workbench and the API
    # alike; MayAdd and MayChange ask the same permissions before the input is read.
    permission_classes = [IsAuthenticated, MayAdd]
    filterset_fields = ["status", "category", "visit", "visit__enterprise", "assigned_unit"]
    search_fields = ["description", "solution", "visit__enterprise__name"]
    ordering_fields = ["raised_at", "solved_at"]

    def get_queryset(self) -> QuerySet[MetrologyProblem]:
        return selectors.problem_list_for_user(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.problem_raise(
                actor=cast(Any, self.request.user),
                visit=data["visit"],
                category=data["category"],
                description=data["description"],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def _step(
        self, request: Request, serializer_class: type[serializers.Serializer], service: Any
    ) -> Response:
        problem = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            service(actor=request.user, problem=problem, **payload.validated_data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=AssignSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, MayChange])
    def assign(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, AssignSerializer, services.problem_assign)

    @extend_schema(request=SolveSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, MayChange])
    def solve(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, SolveSerializer, services.problem_solve)

    @extend_schema(request=ConfirmSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, MayChange])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, ConfirmSerializer, services.problem_confirm)
