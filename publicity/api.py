"""/api/v1/publicity-activities/, news-items (with review actions and adoptions), opinion-incidents
(with status actions) and opinion-levels: scoped through the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_errors import raise_as_api_error
from microstations.models import MicroStation
from organizations.models import Unit
from publicity import selectors, services
from publicity.fields import http_url_validator
from publicity.models import Adoption, NewsItem, OpinionIncident, OpinionLevel, PublicityActivity
from records.api import ReviewActionsMixin

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


class DjangoModelPermissionsWithView(DjangoModelPermissions):
    """Model permissions that also require view permission to read (a cooperating unit without it reads nothing)."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class HttpUrlField(serializers.URLField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(http_url_validator)


class PublicityActivitySerializer(serializers.ModelSerializer):
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
        fields = [
            "id",
            "title",
            "date",
            "channel",
            "form",
            "venue_type",
            "venue",
            "station",
            "partner_units",
            "partner_note",
            "volunteers_present",
            "volunteer_names",
            "participants",
            "materials_distributed",
            "consultations",
            "posters",
            "phone_weight_labels",
            "free_verifications",
            "integrity_pledges",
            "platform",
            "post_format",
            "url",
            "views",
            "summary",
            *REVIEW_FIELDS,
        ]
        read_only_fields = REVIEW_READ_ONLY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out-of-scope stations are "does not exist", as everywhere else.
            self.fields["station"].queryset = selectors.station_choices_for_user(user=request.user)  # type: ignore[attr-defined]
            self.fields["partner_units"].child_relation.queryset = selectors.partner_unit_choices()  # type: ignore[attr-defined]


class PublicityActivityViewSet(
    ReviewActionsMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Publicity activities of the user's unit (every unit's for the bureau and leadership)."""

    serializer_class = PublicityActivitySerializer
    permission_classes = [IsAuthenticated, DjangoModelPermissionsWithView]
    filterset_fields = [
        "campaign",
        "channel",
        "form",
        "venue_type",
        "platform",
        "review_status",
        "unit",
        "date",
        "station",
    ]
    search_fields = ["title", "venue", "summary"]
    ordering_fields = ["date", "participants", "views"]

    def get_queryset(self) -> QuerySet[PublicityActivity]:
        return selectors.activity_list_for_user(user=self.request.user).prefetch_related("partner_units")

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.activity_create(
                actor=self.request.user, data=dict(serializer.validated_data), photos=[]
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


class AdoptionSerializer(serializers.ModelSerializer):
    url = HttpUrlField(required=False, allow_blank=True, max_length=500)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Adoption
        fields = ["id", "level", "level_display", "outlet", "url", "adopted_on", "created_at"]
        read_only_fields = ["created_at"]


class NewsItemSerializer(serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=PublicityActivity.objects.none(), allow_null=True, required=False
    )
    adoptions = AdoptionSerializer(many=True, read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    review_status_display = serializers.CharField(source="get_review_status_display", read_only=True)

    class Meta:
        model = NewsItem
        fields = ["id", "title", "body", "activity", "adoptions", *REVIEW_FIELDS]
        read_only_fields = REVIEW_READ_ONLY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["activity"].queryset = selectors.activity_choices_for_user(user=request.user)  # type: ignore[attr-defined]


class NewsItemViewSet(
    ReviewActionsMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """信息报送 of the user's unit; the bureau reviews them and records adoptions (POST …/adoptions/)."""

    serializer_class = NewsItemSerializer
    permission_classes = [IsAuthenticated, DjangoModelPermissionsWithView]
    filterset_fields = ["campaign", "review_status", "unit", "activity"]
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "submitted_at"]

    def get_queryset(self) -> QuerySet[NewsItem]:
        return selectors.news_list_for_user(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.news_create(
                actor=self.request.user, data=dict(serializer.validated_data), photos=[]
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.news_update(
                actor=self.request.user,
                item=serializer.instance,
                data=dict(serializer.validated_data),
                photos=[],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    @extend_schema(request=AdoptionSerializer, responses={201: AdoptionSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
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


class OpinionLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpinionLevel
        fields = [
            "id",
            "code",
            "name",
            "rank",
            "report_deadline_hours",
            "response_deadline_hours",
            "press_conference_hours",
            "alert_leadership",
        ]


class OpinionLevelViewSet(viewsets.ReadOnlyModelViewSet):
    """The 舆情 levels and their clocks (edited by the bureau in the admin)."""

    serializer_class = OpinionLevelSerializer
    permission_classes = [IsAuthenticated, DjangoModelPermissionsWithView]

    def get_queryset(self) -> QuerySet[OpinionLevel]:
        return selectors.opinion_levels()


class OpinionIncidentSerializer(serializers.ModelSerializer):
    level = serializers.PrimaryKeyRelatedField(queryset=OpinionLevel.objects.filter(is_active=True))
    url = HttpUrlField(required=False, allow_blank=True, max_length=500)
    handling_unit_name = serializers.CharField(source="handling_unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    report_deadline = serializers.DateTimeField(read_only=True)
    response_deadline = serializers.DateTimeField(read_only=True)
    report_state = serializers.SerializerMethodField()
    response_state = serializers.SerializerMethodField()

    class Meta:
        model = OpinionIncident
        fields = [
            "id",
            "campaign",
            "title",
            "discovered_at",
            "discovered_by",
            "source",
            "platform",
            "url",
            "summary",
            "domain",
            "involved_party",
            "reach",
            "sentiment",
            "level",
            "assessment",
            "handling_unit",
            "handling_unit_name",
            "actions",
            "reported_to_county_at",
            "response",
            "responded_at",
            "handling_summary",
            "closed_on",
            "status",
            "status_display",
            "report_deadline",
            "report_state",
            "response_deadline",
            "response_state",
            "created_at",
        ]
        # The status moves through …/transition/ and the closing fields with it; the unit is the user's.
        read_only_fields = [
            "campaign",
            "handling_unit",
            "handling_summary",
            "closed_on",
            "status",
            "created_at",
        ]

    def get_report_state(self, obj: OpinionIncident) -> str:
        return obj.report_state(self.context.get("now"))

    def get_response_state(self, obj: OpinionIncident) -> str:
        return obj.response_state(self.context.get("now"))


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OpinionIncident.Status.choices)
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    actions = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    response = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    responded_at = serializers.DateTimeField(required=False)
    handling_summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    closed_on = serializers.DateField(required=False)


class OpinionIncidentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """舆情 handled by the user's unit; POST …/transition/ moves the status, …/report/ records the report."""

    serializer_class = OpinionIncidentSerializer
    permission_classes = [IsAuthenticated, DjangoModelPermissionsWithView]
    filterset_fields = ["campaign", "status", "level", "source", "domain", "sentiment", "handling_unit"]
    search_fields = ["title", "summary", "involved_party", "platform"]
    ordering_fields = ["discovered_at", "reach"]

    def get_queryset(self) -> QuerySet[OpinionIncident]:
        return selectors.incident_list_for_user(user=self.request.user, now=timezone.now())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.incident_create(
                actor=self.request.user, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_update(self, serializer: Any) -> None:
        try:
            serializer.instance = services.incident_update(
                actor=self.request.user, incident=serializer.instance, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def _refreshed(self, incident: OpinionIncident) -> Response:
        fresh = selectors.incident_get_for_user(user=self.request.user, pk=incident.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=TransitionSerializer, responses=OpinionIncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """已发现 → 研判 → 处置中 → 已办结; closing needs response, responded_at and handling_summary."""
        incident = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        to_status = data.pop("status")
        try:
            services.incident_transition(
                actor=request.user, incident=incident, to_status=to_status, data=data
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._refreshed(incident)

    @extend_schema(
        request=inline_serializer("ReportRequest", {"at": serializers.DateTimeField(required=False)}),
        responses=OpinionIncidentSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Record when the incident was reported to the county bureau (now unless `at` is given)."""
        incident = self.get_object()
        field = serializers.DateTimeField(required=False)
        raw = request.data.get("at") if isinstance(request.data, dict) else None
        at = field.run_validation(raw) if raw else None
        try:
            services.incident_report_to_county(actor=request.user, incident=incident, at=at)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._refreshed(incident)
