"""Every write to evidence photos. Callers pass photos already checked by `process_upload` (usually
through `PhotoField`), so nothing here decodes an image."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import PendingPhoto, Photo
from evidence.pending import pending_lifetime
from evidence.processing import ProcessedPhoto
from evidence.selectors import record_in_scope
from organizations.access import sees_all_units

logger = logging.getLogger(__name__)


def _may_edit_record(actor: Any, model: type[Model]) -> bool:
    """Whoever may create or edit a record may add or remove its evidence; read-only roles may not."""
    opts = model._meta
    return any(actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("add", "change"))


@transaction.atomic
def photos_attach(
    *, actor: Any, record: Model, photos: list[ProcessedPhoto], caption: str = ""
) -> list[Photo]:
    """Save checked photos as evidence of `record` (already saved, in the actor's scope); all or none."""
    if record.pk is None:
        raise ValueError("Save the record before attaching photos to it.")
    if not photos:
        return []
    model = type(record)
    if not _may_edit_record(actor, model) or not record_in_scope(user=actor, model=model, pk=record.pk):
        raise PermissionDenied(_("您没有为该记录上传照片的权限。"))

    attached: list[Photo] = []
    try:
        for processed in photos:
            photo = Photo(
                record=record,
                sha256=processed.sha256,
                original_name=processed.original_name,
                original_bytes=processed.original_bytes,
                width=processed.width,
                height=processed.height,
                taken_at=processed.taken_at,
                latitude=processed.latitude,
                longitude=processed.longitude,
                caption=caption,
                uploaded_by=actor,
            )
            photo.full_clean(exclude=["image", "thumbnail"])
            attached.append(photo)
            # The names passed here are ignored by upload_to, which draws random ones.
            photo.image.save("photo.jpg", ContentFile(processed.jpeg), save=False)
            photo.thumbnail.save("thumbnail.jpg", ContentFile(processed.thumbnail), save=False)
            photo._history_user = actor  # type: ignore[attr-defined]
            photo.save()
        _pending_consume(actor, [p.pending_id for p in photos if p.pending_id is not None])
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go too. (A rollback
        # of an enclosing transaction after we return cannot be seen here and leaves unreferenced files,
        # which are never served since serving goes through a row.)
        _delete_files(_stored_files(attached))
        raise
    return attached


@transaction.atomic
def photo_delete(*, actor: Any, photo: Photo) -> None:
    """Remove a photo; its files are deleted once the deletion has committed."""
    model = photo.content_type.model_class()
    may_edit = model is not None and (
        _may_edit_record(actor, model) and record_in_scope(user=actor, model=model, pk=photo.object_id)
    )
    # The bureau admin removes photos through the admin, which only those who see all units reach.
    if not (may_edit or (actor.has_perm("evidence.delete_photo") and sees_all_units(actor))):
        raise PermissionDenied(_("您没有删除该照片的权限。"))
    files = _stored_files([photo])
    photo._history_user = actor  # type: ignore[attr-defined]
    photo.delete()
    # robust: a storage hiccup must not turn a committed deletion into an error page.
    transaction.on_commit(partial(_delete_files, files), robust=True)


def pending_photo_create(*, actor: Any, photo: ProcessedPhoto) -> PendingPhoto:
    """Keep a checked photo for the form the user is filling in, until it is saved or expires."""
    if not actor.has_perm("evidence.add_pendingphoto"):
        raise PermissionDenied(_("您没有上传照片的权限。"))
    pending = PendingPhoto(
        sha256=photo.sha256,
        original_name=photo.original_name,
        original_bytes=photo.original_bytes,
        width=photo.width,
        height=photo.height,
        taken_at=photo.taken_at,
        latitude=photo.latitude,
        longitude=photo.longitude,
        uploaded_by=actor,
        expires_at=timezone.now() + pending_lifetime(),
    )
    try:
        pending.image.save("photo.jpg", ContentFile(photo.jpeg), save=False)
        pending.thumbnail.save("thumbnail.jpg", ContentFile(photo.thumbnail), save=False)
        pending.save()
    except BaseException:
        _delete_files(_stored_files([pending]))
        raise
    return pending


def _pending_consume(actor: Any, ids: list[int]) -> None:
    """Pending photos now attached to a record: their rows go now, their files after commit."""
    if not ids:
        return
    rows = list(PendingPhoto.objects.filter(pk__in=ids, uploaded_by=actor))
    PendingPhoto.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(partial(_delete_files, _stored_files(rows)), robust=True)


def pending_photos_sweep(*, now: Any = None) -> int:
    """Remove pending photos past their expiry, files and all (the periodic cleanup job); how many."""
    now = now or timezone.now()
    removed = 0
    while True:
        batch = list(PendingPhoto.objects.filter(expires_at__lte=now).order_by("pk")[:200])
        if not batch:
            return removed
        # Rows first: a file left behind by a crash is unreachable; a row without its file would 500.
        PendingPhoto.objects.filter(pk__in=[row.pk for row in batch]).delete()
        _delete_files(_stored_files(batch))
        removed += len(batch)


def _stored_files(photos: Iterable[Photo | PendingPhoto]) -> list[tuple[Storage, str]]:
    return [
        (field_file.storage, field_file.name)
        for photo in photos
        for field_file in (photo.image, photo.thumbnail)
        if field_file.name
    ]


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete evidence file %s", name)
