from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from core.api_errors import raise_as_api_error
from microstations.models import MicroStation
from microstations.selectors import station_choices_for_user
from organizations.models import User
from organizations.privacy import phone_for
from volunteers import selectors, services
from volunteers.filters import VolunteerFilterSet
from volunteers.models import Volunteer


class VolunteerSerializer(serializers.ModelSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=MicroStation.objects.none())

    class Meta:
        model = Volunteer
        fields = ["id", "campaign", *Volunteer.editable_fields]
        read_only_fields = ["campaign"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["station"].queryset = station_choices_for_user(user=request.user)  # type: ignore[attr-defined]

    def to_representation(self, instance: Volunteer) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = self.context["request"].user
        data["phone"] = phone_for(user, instance.phone)
        data["guardian_phone"] = phone_for(user, instance.guardian_phone) if instance.guardian_phone else ""
        return data


class VolunteerViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Volunteers of the stations the user's unit supervises; phone numbers masked unless bureau admin.
    Writes go through the services, which answer 404 out of scope and 403 read-only, as the pages'."""

    serializer_class = VolunteerSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = VolunteerFilterSet
    search_fields = ["name", "work_unit", "certificate_no"]
    ordering_fields = ["name", "recruited_on"]

    def get_queryset(self) -> QuerySet[Volunteer]:
        return selectors.volunteer_list_for_user(user=self.request.user)

    def _actor(self) -> User:
        return cast(User, self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        station = data.pop("station")
        try:
            serializer.instance = services.volunteer_create(actor=self._actor(), station=station, data=data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.volunteer_update(
                actor=self._actor(), volunteer=serializer.instance, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
