from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from core.api_errors import raise_as_api_error
from inspections import selectors, services
from inspections.filters import InspectionFilterSet
from inspections.models import INSTRUMENT_FIELDS, InspectedInstrument, InspectionRecord, InstrumentType
from records.api import RecordViewSet


class InstrumentTypeSerializer(serializers.ModelSerializer):
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)

    class Meta:
        model = InstrumentType
        fields = [
            "id",
            "code",
            "name",
            "domain",
            "domain_display",
            "mandatory",
            "verification_period_months",
            "first_verification_only",
            "service_life_years",
            "counting_unit",
            "basis",
            "sort_order",
            "is_active",
        ]


class InstrumentTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The instrument types and their verification rules (the same for every unit)."""

    serializer_class = InstrumentTypeSerializer
    filterset_fields = ["domain", "mandatory", "first_verification_only", "is_active"]
    search_fields = ["name", "code", "basis"]
    ordering_fields = ["sort_order", "name"]

    def get_queryset(self) -> QuerySet[InstrumentType]:
        return selectors.instrument_types(active_only=False)


class InspectedInstrumentSerializer(serializers.ModelSerializer):
    instrument_type_name = serializers.CharField(source="instrument_type.name", read_only=True)
    verification_status = serializers.SerializerMethodField(help_text="检定状态（按检查日期计算）")
    verification_status_display = serializers.SerializerMethodField()

    class Meta:
        model = InspectedInstrument
        fields = [
            "id",
            "instrument_type_name",
            *INSTRUMENT_FIELDS,
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


class InspectionSerializer(serializers.ModelSerializer):
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)
    inspected_party_name = serializers.CharField(source="inspected_party.name", read_only=True)
    market_name = serializers.CharField(source="market.name", read_only=True, default="")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    joint_unit_name = serializers.CharField(source="joint_unit.name", read_only=True, default="")
    instruments = InspectedInstrumentSerializer(many=True, read_only=True)
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
        # by the services (unit, campaign, review and follow-up). Instruments are listed on the page.
        read_only_fields = [name for name in fields if name not in InspectionRecord.record_fields]
        extra_kwargs = {"problem_types": {"required": False}}

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


class InspectionViewSet(RecordViewSet):
    """The user's unit's inspections (every unit's for the bureau and leadership) with their listed
    instruments and derived figures. Writes go through `record_save` (404 out of scope, 403
    read-only, locked once approved) with the record's rules; an edit keeps the listed instruments
    (listing them over the API is a later issue). submit / approve / return as review actions.
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
        try:
            serializer.instance = services.inspection_save(
                actor=self.request.user,  # type: ignore[arg-type]
                record=record,
                data=data,
                instruments=None,
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        # The response shows the saved record with its instruments, as a read does.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
