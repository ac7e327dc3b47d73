from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from campaigns.selectors import campaign_current
from core.api_catalogs import MayAdd
from core.api_errors import raise_as_api_error
from core.api_fields import StrictModelSerializer
from microstations import selectors, services
from microstations.filters import ActivityFilterSet, StationFilterSet
from microstations.models import MicroStation, StationActivity
from organizations.models import User
from records.api import RecordViewSet


class StationSerializer(StrictModelSerializer):
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
            "note",
        ]
        # The campaign is the current one when the bureau adds a station (stations carry over).
        read_only_fields = ["campaign"]


class StationViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Micro-stations supervised by the user's unit (all of them for the bureau and leadership); the
    bureau adds, changes and deletes them through microstations.services: 404 out of scope, 403
    read-only, the stage only forward, and only a station still at 规划 with nothing logged is
    deleted (409 otherwise)."""

    serializer_class = StationSerializer
    filterset_class = StationFilterSet
    search_fields = ["name", "host_name", "address", "plaque_no"]
    ordering_fields = ["name", "township", "opened_on"]
    conflict_actions = ("destroy",)
    permission_classes = [IsAuthenticated, MayAdd]

    def get_queryset(self) -> QuerySet[MicroStation]:
        return selectors.station_choices_for_user(user=self.request.user).select_related("supervising_unit")

    def _actor(self) -> User:
        # IsAuthenticated has run: the user is a real account.
        return cast(User, self.request.user)

    def perform_create(self, serializer: Any) -> None:
        campaign = campaign_current()
        try:
            if campaign is None:
                raise DjangoValidationError(_("尚未设立活动，不能新增微站。"))
            serializer.instance = services.station_create(
                actor=self._actor(), campaign=campaign, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.station_update(
                actor=self._actor(), station=serializer.instance, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_destroy(self, instance: MicroStation) -> None:
        try:
            services.station_delete(actor=self._actor(), station=instance)
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)


class ActivitySerializer(StrictModelSerializer):
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
