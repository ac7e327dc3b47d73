"""A service's Django errors as the API's answers, keeping field names, and the one exception handler.

- A ValidationError with field names is 400 with those names; one without is 400 `{"detail": [...]}`.
- A record that the service refuses because of its state (approved and locked, already reviewed) is
  409 Conflict: the request was fine, the record is not in a state that allows it.
- Http404 and PermissionDenied from a service are DRF's 404 and 403 (DRF's own handler does that).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("该记录当前的状态不允许此操作。")
    default_code = "conflict"


def raise_as_api_error(exc: DjangoValidationError, *, conflict: bool = False) -> None:
    """Raise `exc` as the API's 400; as 409 when `conflict` and the error names no field (the record's
    state refused the request, not the request's content)."""
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    if conflict:
        raise Conflict(" ".join(str(message) for message in exc.messages)) from exc
    raise ValidationError({"detail": exc.messages}) from exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the Django errors a service may raise past a view that forgot to catch them:
    never a 500 for bad input or for a row other rows still need."""
    if isinstance(exc, DjangoValidationError):
        try:
            raise_as_api_error(exc)
        except ValidationError as api_exc:
            exc = api_exc
    elif isinstance(exc, ProtectedError):
        exc = Conflict(_("该记录仍被其他记录引用，不能删除。"))
    return drf_exception_handler(exc, context)
