"""/api/v1/publicity-activities/ and news-items (with review actions and adoptions): the record kit's
viewset (scoped reads, writes through records.services) with the filter sets the list pages use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_catalogs import ModelPermissionsWithView
from core.api_errors import raise_as_api_error
from core.api_fields import StrictModelSerializer
from microstations.models import MicroStation
from organizations.models import Unit
from publicity import selectors, services
from publicity.fields import http_url_validator
from publicity.filters import ActivityFilterSet, NewsFilterSet
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.api import MayReview, RecordViewSet

REVIEW_FIELDS = [
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
REVIEW_READ_ONLY = [
    "campaign",
    "unit",
    "review_status",
    "submitted_at",
    "reviewed_at",
    "return_reason",
    "created_at",
]


class HttpUrlField(serializers.URLField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(http_url_validator)


class PublicityActivitySerializer(StrictModelSerializer):
    station = serializers.PrimaryKeyRelatedField(
        queryset=MicroStation.objects.none(), allow_null=True, required=False
    )
    partner_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), many=True, required=False
    )
    url = HttpUrlField(required=False, allow_blank=True, max_length=500)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = PublicityActivity
        fields = ["id", *PublicityActivity.record_fields, *REVIEW_FIELDS]
        read_only_fields = REVIEW_READ_ONLY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out-of-scope stations are "does not exist", as everywhere else.
            self.fields["station"].queryset = selectors.station_choices_for_user(user=request.user)  # type: ignore[attr-defined]
            self.fields["partner_units"].child_relation.queryset = selectors.partner_unit_choices()  # type: ignore[attr-defined]


class PublicityActivityViewSet(RecordViewSet):
    """Publicity activities of the user's unit (every unit's for the bureau and leadership)."""

    model = PublicityActivity
    serializer_class = PublicityActivitySerializer
    # Reading needs the view permission too: a cooperating unit without it reads nothing.
    permission_classes = [IsAuthenticated, ModelPermissionsWithView]
    filterset_class = ActivityFilterSet
    ordering_fields = ["date", "participants", "views"]

    def get_queryset(self) -> QuerySet[PublicityActivity]:
        return selectors.activity_list_for_user(user=self.request.user).prefetch_related("partner_units")

    def save_kwargs(self, serializer: Any) -> dict[str, Any]:
        return {"validate": services.activity_checks(self.request.user)}


class AdoptionSerializer(StrictModelSerializer):
    url = HttpUrlField(required=False, allow_blank=True, max_length=500)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Adoption
        fields = ["id", "level", "level_display", "outlet", "url", "adopted_on", "created_at"]
        read_only_fields = ["created_at"]


class NewsItemSerializer(StrictModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=PublicityActivity.objects.none(), allow_null=True, required=False
    )
    adoptions = AdoptionSerializer(many=True, read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = NewsItem
        fields = ["id", *NewsItem.record_fields, "adoptions", *REVIEW_FIELDS]
        read_only_fields = REVIEW_READ_ONLY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["activity"].queryset = selectors.activity_choices_for_user(user=request.user)  # type: ignore[attr-defined]


class NewsItemViewSet(RecordViewSet):
    """信息报送 of the user's unit; the bureau reviews them and records adoptions (POST …/adoptions/)."""

    model = NewsItem
    serializer_class = NewsItemSerializer
    permission_classes = [IsAuthenticated, ModelPermissionsWithView]
    filterset_class = NewsFilterSet
    ordering_fields = ["created_at", "submitted_at"]

    def get_queryset(self) -> QuerySet[NewsItem]:
        return selectors.news_list_for_user(user=self.request.user)

    @extend_schema(request=AdoptionSerializer, responses={201: AdoptionSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, MayReview])
    def adoptions(self, request: Request, pk: Any = None) -> Response:
        """Record an adoption (采用) of an approved item: bureau reviewers only (the service says 403)."""
        item = self.get_object()
        serializer = AdoptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            adoption = services.adoption_record(actor=request.user, item=item, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(AdoptionSerializer(adoption).data, status=status.HTTP_201_CREATED)
