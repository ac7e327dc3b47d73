"""The API side of the record kit: a viewset mixin whose reads are scoped by organizations.access and
whose writes and review actions go through records.services, as the forms' do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_errors import raise_as_api_error
from organizations.access import scope_to_user
from records import services
from records.models import SubmittedRecord


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
            raise_as_api_error(exc)
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
    permission_classes = [IsAuthenticated]

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
            raise_as_api_error(exc)

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance: Any) -> None:
        try:
            services.record_delete(actor=self.request.user, record=instance)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
