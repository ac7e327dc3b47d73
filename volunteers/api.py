from __future__ import annotations

import re
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from core.api_catalogs import MayAdd
from core.api_errors import raise_as_api_error
from core.api_fields import StrictModelSerializer
from microstations.models import MicroStation
from microstations.selectors import station_choices_for_user
from organizations.models import User
from organizations.privacy import phone_for
from volunteers import selectors, services
from volunteers.filters import VolunteerFilterSet
from volunteers.models import Volunteer, phone_validator


class MaskedPhoneField(serializers.CharField):
    """A phone number checked whole on the way in and shown masked (138****5678) on the way out to
    whoever may not see it whole (organizations.privacy)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        # Checked here rather than as a field validator, whose pattern the schema would also put on
        # the (masked) response.
        value = super().to_internal_value(data)
        try:
            phone_validator(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value

    def to_representation(self, value: Any) -> str:
        return phone_for(self.context["request"].user, str(value)) if value else ""


class MaskedPhoneFieldExtension(OpenApiSerializerFieldExtension):
    """The number's pattern applies to what a client sends; what it reads may be masked."""

    target_class = MaskedPhoneField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        if direction == "request":
            number = {"type": "string", "maxLength": 20, "pattern": re.compile(phone_validator.regex).pattern}
            return (
                {"oneOf": [number, {"type": "string", "maxLength": 0}]} if self.target.allow_blank else number
            )
        return {"type": "string", "description": "无查看完整号码权限时显示为 138****5678"}


class VolunteerSerializer(StrictModelSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=MicroStation.objects.none())
    phone = MaskedPhoneField()
    guardian_phone = MaskedPhoneField(required=False, allow_blank=True)

    class Meta:
        model = Volunteer
        fields = ["id", "campaign", *Volunteer.editable_fields]
        read_only_fields = ["campaign"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["station"].queryset = station_choices_for_user(user=request.user)  # type: ignore[attr-defined]


class VolunteerViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Volunteers of the stations the user's unit supervises; phone numbers masked unless bureau admin.
    Writes go through the services, which answer 404 out of scope and 403 read-only, as the pages'."""

    serializer_class = VolunteerSerializer
    permission_classes = [IsAuthenticated, MayAdd]
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
