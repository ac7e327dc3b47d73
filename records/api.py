"""The API side of the record kit: a viewset mixin whose reads are scoped by organizations.access and
whose writes and review actions go through records.services, as the forms' do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.api_catalogs import MayAdd
from core.api_errors import raise_as_api_error
from evidence.api import PhotoSerializer, PhotoUploadSerializer
from evidence.selectors import photos_for
from organizations.access import scope_to_user
from records import selectors, services
from records.models import SubmittedRecord


class MayReview(BasePermission):
    """The bureau's review permission (adopting a news item asks it too), before the input is read."""

    def has_permission(self, request: Request, view: Any) -> bool:
        # A read passes (a POST-only action then answers 405, as every other).
        return request.method in SAFE_METHODS or services.may_review(request.user)


class ReviewActionsMixin:
    """POST …/{id}/submit/, …/approve/, …/return/ (with {"reason": …}) on a submitted-record viewset."""

    def _review(self, request: Request, verb: str) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]
        try:
            if verb == "submit":
                services.record_submit(actor=request.user, record=record)
            elif verb == "approve":
                services.record_approve(actor=request.user, record=record)
            else:
                reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
                services.record_return(actor=request.user, record=record, reason=str(reason))
        except DjangoValidationError as exc:
            # Not awaiting this step (already approved, not submitted): the record's state says no.
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(self.get_object()).data)  # type: ignore[attr-defined]

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._review(request, "submit")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._review(request, "approve")

    @extend_schema(request=inline_serializer("ReturnRequest", {"reason": serializers.CharField()}))
    @action(detail=True, methods=["post"], url_path="return", permission_classes=[IsAuthenticated])
    def return_(self, request: Request, pk: Any = None) -> Response:
        return self._review(request, "return")


class RecordViewSet(
    ReviewActionsMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A submitted record type over the API: scoped list and detail (404 out of scope), writes through
    `record_save` (403 read-only, locked once approved), review actions. Subclasses set `model`,
    `serializer_class`, `filterset_class`, and may override `get_queryset` for select_related or
    `save_kwargs` for nested rows. Authorisation is the service's: the permission class only asks
    for a login, so the answers are the same as the forms'.
    """

    model: type[SubmittedRecord]
    permission_classes = [IsAuthenticated, MayAdd]
    # An approved record refuses writes with 409 (documented on every unsafe operation).
    conflict_on_write = True

    def get_queryset(self) -> QuerySet[Any]:
        return scope_to_user(self.model._default_manager.all(), self.request.user).order_by("-pk")

    def save_kwargs(self, serializer: Any) -> dict[str, Any]:
        return {}

    def _save(self, serializer: Any, record: SubmittedRecord | None) -> None:
        allowed = set(self.model.record_fields)
        data = {key: value for key, value in serializer.validated_data.items() if key in allowed}
        try:
            serializer.instance = services.record_save(
                actor=self.request.user,  # type: ignore[arg-type]
                model=self.model,
                record=record,
                data=data,
                **self.save_kwargs(serializer),
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=record is not None and record.is_locked)

    # The gates first, so that a role that may not write gets 403 (out of scope 404) whatever it sent,
    # as on the pages (MayAdd for a create); record_save checks the same again with the row locked.
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._ensure_writable(self.kwargs["pk"])
        return super().update(request, *args, **kwargs)

    def _ensure_writable(self, pk: Any) -> None:
        """404 out of scope, 403 read-only, 409 once approved: before the input is read."""
        record = services.record_get_for_change(actor=self.request.user, model=self.model, pk=pk, lock=False)
        try:
            services.record_ensure_editable(record=record)
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance: Any) -> None:
        try:
            services.record_delete(actor=self.request.user, record=instance)
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)

    @extend_schema(methods=["GET"], request=None, responses=PhotoSerializer(many=True), summary="记录的照片")
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer(many=True)},
        summary="上传照片（multipart，与表单相同的检查）",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated],
        # One record's photos: a plain list, no page or list filters.
        pagination_class=None,
        filter_backends=[],
    )
    def photos(self, request: Request, pk: Any = None) -> Response:
        """The record's evidence photos; POST adds photos through `record_save`, as the form does
        (404 out of scope, 403 read-only, 409 once approved; nothing is saved if any file is refused)."""
        record = self.get_object()
        if request.method == "GET":
            return Response(PhotoSerializer(photos_for(record), many=True).data)
        self._ensure_writable(record.pk)
        upload = PhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        before = set(photos_for(record).values_list("pk", flat=True))
        try:
            services.record_save(
                actor=request.user,  # type: ignore[arg-type]
                model=self.model,
                record=record,
                data={},
                photos=upload.validated_data["photos"],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=record.is_locked)
        added = photos_for(record).exclude(pk__in=before)
        return Response(PhotoSerializer(added, many=True).data, status=status.HTTP_201_CREATED)


# --- The review queue across record types ---------------------------------------------------------


class QueueItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="记录类型:编号，批量审核时提交")
    kind = serializers.CharField(help_text="记录类型（app_label.model_name）")
    type_label = serializers.CharField()
    id = serializers.IntegerField(source="record.pk")
    title = serializers.SerializerMethodField()
    unit = serializers.IntegerField(source="record.unit_id")
    submitted_at = serializers.DateTimeField(source="record.submitted_at")
    record_date = serializers.DateField(allow_null=True)

    def get_title(self, item: Any) -> str:
        return str(item.record)


class QueuePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = QueueItemSerializer(many=True)


class QueueFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[], required=False)
    page = serializers.IntegerField(min_value=1, required=False, default=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(selectors.review_types())  # type: ignore[attr-defined]


class BulkReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "return"])
    items = serializers.ListField(
        child=serializers.RegexField(r"^[a-z_]+\.[a-z_]+:[0-9]{1,18}$", max_length=80),
        allow_empty=False,
        max_length=500,
        help_text="待审核记录的 key（见列表）",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class BulkResultSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    skipped = serializers.IntegerField()


class _QueuePageSchema(api_settings.DEFAULT_SCHEMA_CLASS):  # type: ignore[name-defined]
    """The queue's list answers one page object (count, page, pages, results), not an array (the
    project's schema class otherwise, from settings: records does not import the project)."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class ReviewQueueViewSet(viewsets.ViewSet):
    """What awaits the user's review, across record types (oldest submission first); POST …/bulk/
    approves or returns several at once through `records_review_bulk`. Reviewers only (403): the
    bureau, and an office for its volunteers' and 协办单位's entries."""

    permission_classes = [IsAuthenticated]
    schema = _QueuePageSchema()

    def _ensure_reviewer(self, request: Request) -> None:
        # The bureau, and offices for what others enter at their stations (issue 18).
        if not services.may_review_any(request.user):
            raise PermissionDenied(_("您没有审核权限。"))

    @extend_schema(parameters=[QueueFilterSerializer], responses=QueuePageSerializer)
    def list(self, request: Request) -> Response:
        self._ensure_reviewer(request)
        # A plain dict, not the QueryDict: DRF reads an empty form value as "not given", so page= would
        # silently be page 1 where the schema says an integer.
        filters = QueueFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        page, items = selectors.review_queue_page(
            user=request.user,
            page=filters.validated_data["page"],
            kind=filters.validated_data.get("kind", ""),
        )
        if filters.validated_data["page"] > page.paginator.num_pages:
            raise NotFound
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": QueueItemSerializer(items, many=True).data,
            }
        )

    @extend_schema(request=BulkReviewSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        self._ensure_reviewer(request)
        payload = BulkReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        keys = payload.validated_data["items"]
        records = selectors.records_from_keys(user=request.user, keys=keys)
        try:
            result = services.records_review_bulk(
                actor=request.user,
                records=records,
                action=payload.validated_data["action"],
                reason=payload.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        # Keys out of scope or unknown are skipped, as on the page: they reveal nothing.
        return Response({"done": result.done, "skipped": result.skipped + len(keys) - len(records)})
