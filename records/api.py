"""API plumbing shared by every submitted record: scoped station-like choices and review actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from records import services


def raise_as_api_error(exc: DjangoValidationError) -> None:
    """A service's ValidationError as DRF's 400, keeping field names."""
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages}) from exc


class ReviewActionsMixin:
    """POST …/{id}/submit/, …/approve/, …/return/ (with {"reason": …}) on a submitted-record viewset."""

    def _review(self, request: Request, verb: str) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]
        try:
            if verb == "submit":
                meta = record._meta
                if not request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
                    raise PermissionDenied
                record = services.record_submit(actor=request.user, record=record)
            elif verb == "approve":
                record = services.record_approve(actor=request.user, record=record)
            else:
                reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
                record = services.record_return(actor=request.user, record=record, reason=str(reason))
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
