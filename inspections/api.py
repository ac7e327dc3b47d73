from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_catalogs import CatalogViewSet
from core.api_errors import raise_as_api_error
from core.api_fields import StrictIntegerField, StrictModelSerializer
from inspections import selectors, services
from inspections.filters import InspectionFilterSet
from inspections.models import INSTRUMENT_FIELDS, InspectedInstrument, InspectionRecord, InstrumentType
from organizations.models import User
from records import services as record_services
from records.api import RecordViewSet


class InstrumentTypeSerializer(StrictModelSerializer):
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)

    class Meta:
        model = InstrumentType
        fields = ["id", *services.INSTRUMENT_TYPE_FIELDS, "domain_display"]


class InstrumentTypeViewSet(CatalogViewSet):
    """The instrument types and their verification rules (the same for every unit): set by the bureau
    (403 for the others) through inspections.services; a type an inspection lists is 409 to delete."""

    serializer_class = InstrumentTypeSerializer
    filterset_fields = ["domain", "mandatory", "first_verification_only", "is_active"]
    search_fields = ["name", "code", "basis"]
    ordering_fields = ["sort_order", "name"]

    def get_queryset(self) -> QuerySet[InstrumentType]:
        return selectors.instrument_types(active_only=False)

    def save_row(self, *, instance: InstrumentType | None, data: dict[str, Any]) -> InstrumentType:
        return services.instrument_type_save(
            actor=cast(User, self.request.user), instrument_type=instance, data=data
        )

    def delete_row(self, *, instance: InstrumentType) -> None:
        services.instrument_type_delete(actor=cast(User, self.request.user), instrument_type=instance)


class InspectedInstrumentSerializer(StrictModelSerializer):
    instrument_type = serializers.PrimaryKeyRelatedField(
        queryset=InstrumentType.objects.filter(is_active=True)
    )
    instrument_type_name = serializers.CharField(source="instrument_type.name", read_only=True)
    verification_status = serializers.SerializerMethodField(help_text="检定状态（按检查日期计算）")
    verification_status_display = serializers.SerializerMethodField()
    # The register's line for this instrument, by id. Only a line in the user's scope is taken, and each
    # line once per inspection: inspection_save checks it (one message for a line out of scope or none).
    registered = StrictIntegerField(
        source="registered_id",
        allow_null=True,
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="器具台账中的该器具（/api/v1/instruments/ 的 id），须在本单位台账内；审核通过后台账据此更新",
    )

    class Meta:
        model = InspectedInstrument
        fields = [
            "id",
            "instrument_type_name",
            *INSTRUMENT_FIELDS,
            "registered",
            "verification_status",
            "verification_status_display",
        ]

    def get_verification_status(self, obj: InspectedInstrument) -> str:
        return str(obj.verification_status.value)

    def get_verification_status_display(self, obj: InspectedInstrument) -> str:
        return str(obj.verification_status.label)


class FiguresSerializer(serializers.Serializer):
    """The record's instrument figures: from its listed instruments, else from its entered counts."""

    instruments = serializers.IntegerField()
    mandatory = serializers.IntegerField()
    unverified = serializers.IntegerField()
    overdue = serializers.IntegerField()
    failed = serializers.IntegerField()
    life_expired = serializers.IntegerField()
    passing = serializers.IntegerField()
    broken_seals = serializers.IntegerField()
    inspected_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    pass_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class InspectionSerializer(StrictModelSerializer):
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)
    inspected_party_name = serializers.CharField(source="inspected_party.name", read_only=True)
    # Method fields, not source="market.name" with a default: DRF leaves a defaulted field out of a
    # PATCH's answer, which the schema lists as always present.
    market_name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    joint_unit_name = serializers.SerializerMethodField()
    instruments = InspectedInstrumentSerializer(
        many=True,
        required=False,
        help_text="逐台登记的器具；提交时整体替换原有清单，不提交则保留",
    )
    figures = serializers.SerializerMethodField()
    penalty_total = serializers.SerializerMethodField()
    follow_up_status_display = serializers.CharField(source="get_follow_up_status_display", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = InspectionRecord
        # The allow-listed (writable) fields, then what the server derives or owns (read-only).
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            *InspectionRecord.record_fields,
            "domain_display",
            "inspected_party_name",
            "market_name",
            "joint_unit_name",
            "instruments",
            "figures",
            "penalty_total",
            "follow_up_status",
            "follow_up_status_display",
            "review_status",
            "review_status_display",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "created_at",
        ]
        # The header is writable within the model's allow-list; everything else is derived or owned
        # by the services (unit, campaign, review and follow-up). The instruments are nested rows.
        read_only_fields = [
            name for name in fields if name not in (*InspectionRecord.record_fields, "instruments")
        ]
        extra_kwargs = {"problem_types": {"required": False}}

    def get_market_name(self, obj: InspectionRecord) -> str:
        return obj.market.name if obj.market else ""

    def get_joint_unit_name(self, obj: InspectionRecord) -> str:
        return obj.joint_unit.name if obj.joint_unit else ""

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, obj: InspectionRecord) -> dict[str, Any]:
        figures = obj.figures_from(list(obj.instruments.all()))
        return FiguresSerializer(
            {
                **{name: getattr(figures, name) for name in figures.__dataclass_fields__},
                "inspected_rate": figures.inspected_rate,
                "pass_rate": figures.pass_rate,
            }
        ).data

    @extend_schema_field(serializers.DecimalField(max_digits=13, decimal_places=2))
    def get_penalty_total(self, obj: InspectionRecord) -> str:
        return f"{obj.penalty_total.quantize(Decimal('0.01'))}"


class RectificationOrderSerializer(serializers.Serializer):
    notice_no = serializers.CharField(max_length=60, help_text="责令整改通知书编号")
    deadline = serializers.DateField(help_text="整改期限")
    ordered_on = serializers.DateField(required=False, help_text="责令整改日期（默认检查日期）")


class RectifiedSerializer(serializers.Serializer):
    rectified_on = serializers.DateField(help_text="整改完成日期")


class CaseFileSerializer(serializers.Serializer):
    case_no = serializers.CharField(max_length=60, help_text="立案号")
    filed_on = serializers.DateField(required=False, help_text="立案日期（默认检查日期）")


class CaseCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(help_text="结案日期")


# action -> (its request's serializer, the follow-up service taking the request's fields)
FOLLOW_UP: dict[str, tuple[type[serializers.Serializer], Any]] = {
    "order_rectification": (RectificationOrderSerializer, services.inspection_order_rectification),
    "record_rectified": (RectifiedSerializer, services.inspection_record_rectified),
    "file_case": (CaseFileSerializer, services.inspection_file_case),
    "close_case": (CaseCloseSerializer, services.inspection_close_case),
}


class InspectionViewSet(RecordViewSet):
    """The user's unit's inspections (every unit's for the bureau and leadership) with their listed
    instruments and derived figures. Writes go through `inspection_save` (404 out of scope, 403
    read-only, 409 once approved) with the record's rules: `instruments`, when sent, replaces the
    listed instruments in the same transaction; left out, they stay. submit / approve / return as
    review actions, photos as multipart. Follow-up (责令整改 → 整改完成, 立案 → 结案) through the
    inspections follow-up services, also once approved; a step the record's state refuses is 409.
    """

    model = InspectionRecord
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    search_fields = ["inspected_party__name", "inspectors", "rectification_notice_no", "case_no", "findings"]
    ordering_fields = ["date", "problems_found", "fine_amount"]

    def get_queryset(self) -> QuerySet[InspectionRecord]:
        return selectors.inspection_api_list_for_user(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        self._save_inspection(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save_inspection(serializer, serializer.instance)

    def _save_inspection(self, serializer: Any, record: InspectionRecord | None) -> None:
        # inspection_save (not plain record_save): the record's canonical shape and its follow-up.
        data = dict(serializer.validated_data)
        rows = data.pop("instruments", None)
        try:
            serializer.instance = services.inspection_save(
                actor=self.request.user,  # type: ignore[arg-type]
                record=record,
                data=data,
                instruments=None if rows is None else [dict(row) for row in rows],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=record is not None and record.is_locked)
        # The response shows the saved record with its instruments, as a read does.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def _follow_up(self, request: Request, action: str) -> Response:
        record = self.get_object()
        # The gate first, so that a read-only role gets 403 whatever it sent (as the page's buttons).
        record_services.record_get_for_change(
            actor=request.user, model=InspectionRecord, pk=record.pk, lock=False
        )
        serializer_class, service = FOLLOW_UP[action]
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            service(actor=request.user, inspection=record, **payload.validated_data)
        except DjangoValidationError as exc:
            # Already ordered, not yet filed …: the record's follow-up state refuses the step.
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(request=RectificationOrderSerializer, responses=InspectionSerializer, summary="责令整改")
    @action(detail=True, methods=["post"], url_path="rectification-order")
    def order_rectification(self, request: Request, pk: Any = None) -> Response:
        """已检查 → 整改中, with a follow-up task for the record's unit due on the deadline."""
        return self._follow_up(request, "order_rectification")

    @extend_schema(request=RectifiedSerializer, responses=InspectionSerializer, summary="登记整改完成")
    @action(detail=True, methods=["post"], url_path="rectified")
    def record_rectified(self, request: Request, pk: Any = None) -> Response:
        """整改中 → 已整改; the follow-up task is completed."""
        return self._follow_up(request, "record_rectified")

    @extend_schema(request=CaseFileSerializer, responses=InspectionSerializer, summary="立案")
    @action(detail=True, methods=["post"], url_path="case")
    def file_case(self, request: Request, pk: Any = None) -> Response:
        """→ 已立案 (also while rectification is under way)."""
        return self._follow_up(request, "file_case")

    @extend_schema(request=CaseCloseSerializer, responses=InspectionSerializer, summary="结案")
    @action(detail=True, methods=["post"], url_path="case-closed")
    def close_case(self, request: Request, pk: Any = None) -> Response:
        """已立案 → 已结案."""
        return self._follow_up(request, "close_case")
