from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated

from core.api_errors import raise_as_api_error
from microstations import selectors, services
from microstations.models import MicroStation, StationActivity
from organizations.access import scope_to_user
from records.api import ReviewActionsMixin


class StationSerializer(serializers.ModelSerializer):
    supervising_unit_name = serializers.CharField(source="supervising_unit.name", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = MicroStation
        fields = [
            "id",
            "campaign",
            "name",
            "plaque_no",
            "host_name",
            "host_unit",
            "station_type",
            "address",
            "township",
            "latitude",
            "longitude",
            "focus_area",
            "contact_name",
            "contact_phone",
            "supervising_unit",
            "supervising_unit_name",
            "stage",
            "stage_display",
            "opened_on",
        ]


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Micro-stations supervised by the user's unit (all of them for the bureau and leadership)."""

    serializer_class = StationSerializer
    filterset_fields = ["campaign", "stage", "station_type", "township", "supervising_unit", "focus_area"]
    search_fields = ["name", "host_name", "address", "plaque_no"]
    ordering_fields = ["name", "township", "opened_on"]

    def get_queryset(self) -> QuerySet[MicroStation]:
        return scope_to_user(
            MicroStation.objects.select_related("supervising_unit").order_by("township", "name", "pk"),
            self.request.user,
            unit_field=MicroStation.unit_scope_field,
        )


class ActivitySerializer(serializers.ModelSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=MicroStation.objects.none())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = StationActivity
        fields = [
            "id",
            "station",
            "date",
            "topic",
            "title",
            "people_reached",
            "materials_distributed",
            "volunteers_present",
            "summary",
            "campaign",
            "unit",
            "unit_name",
            "review_status",
            "review_status_display",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "created_at",
        ]
        read_only_fields = [
            "campaign",
            "unit",
            "review_status",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "created_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out-of-scope stations are "does not exist", as everywhere else.
            self.fields["station"].queryset = selectors.station_list_for_user(user=request.user)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        people, volunteers = attrs.get("people_reached"), attrs.get("volunteers_present")
        if people is not None and volunteers is not None and volunteers > people:
            raise serializers.ValidationError({"volunteers_present": "参加的宣传员人数不能多于覆盖人数。"})
        return attrs


class StationActivityViewSet(
    ReviewActionsMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Station activities of the user's unit; offices create and edit them until approved."""

    serializer_class = ActivitySerializer
    permission_classes = [IsAuthenticated, DjangoModelPermissions]  # writes need add/change permissions
    filterset_fields = ["campaign", "station", "topic", "review_status", "unit", "date"]
    search_fields = ["title", "summary"]
    ordering_fields = ["date", "people_reached"]

    def get_queryset(self) -> QuerySet[StationActivity]:
        return selectors.activity_list_for_user(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        station = data.pop("station")
        try:
            serializer.instance = services.activity_create(
                actor=self.request.user, station=station, data=data, photos=[]
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.activity_update(
                actor=self.request.user,
                activity=serializer.instance,
                data=dict(serializer.validated_data),
                photos=[],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
