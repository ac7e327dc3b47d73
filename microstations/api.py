from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from microstations import selectors
from microstations.filters import ActivityFilterSet, StationFilterSet
from microstations.models import MicroStation, StationActivity
from records.api import RecordViewSet


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
    filterset_class = StationFilterSet
    search_fields = ["name", "host_name", "address", "plaque_no"]
    ordering_fields = ["name", "township", "opened_on"]

    def get_queryset(self) -> QuerySet[MicroStation]:
        return selectors.station_choices_for_user(user=self.request.user).select_related("supervising_unit")


class ActivitySerializer(serializers.ModelSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=MicroStation.objects.none())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = StationActivity
        # Writable: the record's allow-list; the rest is the server's and the review's.
        read_only_fields = [
            "campaign",
            "unit",
            "review_status",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "created_at",
        ]
        fields = [
            "id",
            *StationActivity.record_fields,
            *read_only_fields,
            "unit_name",
            "review_status_display",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out-of-scope stations are "does not exist", as everywhere else.
            self.fields["station"].queryset = selectors.station_choices_for_user(user=request.user)  # type: ignore[attr-defined]


class StationActivityViewSet(RecordViewSet):
    """Station activities of the user's unit; offices create and edit them until approved (through
    record_save: the unit and campaign follow the station, the model's clean() holds the rules)."""

    model = StationActivity
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    search_fields = ["title", "summary"]
    ordering_fields = ["date", "people_reached"]

    def get_queryset(self) -> QuerySet[StationActivity]:
        return selectors.activity_list_for_user(user=self.request.user)
