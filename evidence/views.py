"""Photo files are served only through these views, after the parent record's scope check."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from evidence.selectors import photo_get_for_user

logger = logging.getLogger(__name__)


@login_required
@require_safe
def photo_image(request: HttpRequest, pk: int) -> FileResponse:
    photo = photo_get_for_user(user=request.user, pk=pk)
    return _serve(photo.image, filename=f"photo-{photo.pk}.jpg")


@login_required
@require_safe
def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    photo = photo_get_for_user(user=request.user, pk=pk)
    return _serve(photo.thumbnail, filename=f"photo-{photo.pk}-thumb.jpg")


def _serve(field_file: FieldFile, *, filename: str) -> FileResponse:
    if not field_file.name:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as exc:
        logger.warning("evidence file missing from storage: %s", field_file.name)
        raise Http404 from exc
    # Every file served here is a JPEG we encoded ourselves, whatever its name says.
    response = FileResponse(handle, content_type="image/jpeg", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # A photo never changes under its URL, but only this user may see it: browser cache only.
    patch_cache_control(response, private=True, max_age=3600)
    return response
