"""Photo files are served only through these views, after the parent record's scope check."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from evidence.pending import pending_get_for_user, pending_token
from evidence.processing import process_upload
from evidence.selectors import photo_get_for_user
from evidence.services import pending_photo_create

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


@login_required
@require_POST
def pending_upload(request: HttpRequest) -> JsonResponse:
    """One photo picked in a form, checked and kept until the form is saved; answers its token."""
    if not request.user.has_perm("evidence.add_pendingphoto"):
        raise PermissionDenied
    uploaded = request.FILES.get("photo")
    if uploaded is None:
        return JsonResponse({"errors": [_("没有收到照片，请重新选择。")]}, status=400)
    try:
        pending = pending_photo_create(actor=request.user, photo=process_upload(uploaded))
    except ValidationError as exc:
        return JsonResponse({"errors": exc.messages}, status=400)
    token = pending_token(pending)
    return JsonResponse(
        {
            "token": token,
            "name": pending.original_name,
            "thumbnail": reverse("evidence:pending_thumbnail", args=[token]),
        },
        status=201,
    )


@login_required
@require_safe
def pending_thumbnail(request: HttpRequest, token: str) -> FileResponse:
    """The thumbnail of the user's own pending photo (404 for anyone else's or an expired token)."""
    pending = pending_get_for_user(user=request.user, token=token)
    return _serve(pending.thumbnail, filename="pending-thumb.jpg")


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
