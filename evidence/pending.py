"""Photos uploaded as soon as they are picked, named in the form by a signed, expiring token.

A token is the PendingPhoto's id signed with the uploader's id (TimestampSigner): it cannot be made up
or moved to another user, and it stops working after `EVIDENCE_PENDING_HOURS` even before the sweep
removes the row. Reading a pending photo back gives the same ProcessedPhoto `photos_attach` takes, so
a photo that arrived early is saved exactly like one that came with the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from evidence.models import PendingPhoto
from evidence.processing import ProcessedPhoto

DEFAULT_PENDING_HOURS = 24
_SALT = "evidence.pending-photo"


def pending_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "EVIDENCE_PENDING_HOURS", DEFAULT_PENDING_HOURS)))


def pending_token(photo: PendingPhoto) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"p": photo.pk, "u": photo.uploaded_by_id})


def _pending_id(*, user: Any, token: str) -> int | None:
    """The id a token names, if it is genuine, unexpired and `user`'s own."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=pending_lifetime().total_seconds()
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or payload.get("u") != user.pk or not isinstance(payload.get("p"), int):
        return None
    return int(payload["p"])


def pending_get_for_user(*, user: Any, token: str) -> PendingPhoto:
    """The user's own pending photo named by `token`; Http404 for anything else."""
    pk = _pending_id(user=user, token=token)
    photo = PendingPhoto.objects.filter(pk=pk, uploaded_by_id=user.pk).first() if pk else None
    if photo is None:
        raise Http404
    return photo


def pending_resolve(*, user: Any, tokens: Sequence[str]) -> list[ProcessedPhoto]:
    """The photos the tokens name, in their order, ready for `photos_attach` (one query).

    Raises one ValidationError when any token is forged, someone else's, expired or already used.
    """
    tokens = list(dict.fromkeys(t for t in tokens if t))
    if not tokens:
        return []
    ids = [_pending_id(user=user, token=token) for token in tokens]
    rows = {
        row.pk: row
        for row in PendingPhoto.objects.filter(pk__in=[i for i in ids if i], uploaded_by_id=user.pk)
    }
    if any(i is None or i not in rows for i in ids):
        raise ValidationError(_("部分照片已过期或无效，请重新选择照片。"), code="pending_expired")
    return [_as_processed(rows[i]) for i in ids if i is not None]


def _as_processed(row: PendingPhoto) -> ProcessedPhoto:
    with row.image.open("rb") as image, row.thumbnail.open("rb") as thumbnail:
        jpeg, thumb = image.read(), thumbnail.read()
    return ProcessedPhoto(
        jpeg=jpeg,
        thumbnail=thumb,
        sha256=row.sha256,
        width=row.width,
        height=row.height,
        taken_at=row.taken_at,
        latitude=row.latitude,
        longitude=row.longitude,
        original_name=row.original_name,
        original_bytes=row.original_bytes,
        pending_id=row.pk,
    )
