"""Reads of evidence photos. Who may see a photo is decided by its parent record's unit, through
organizations.access like every other scoped read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404

from evidence.models import Photo
from organizations.access import scope_to_user


def unit_scope_field(model: type[Model]) -> str:
    """The lookup from `model` to its owning unit: the model's `unit_scope_field`, or "unit"."""
    return str(getattr(model, "unit_scope_field", "unit"))


def records_for_user(*, user: Any, model: type[Model]) -> QuerySet[Any]:
    """The rows of `model` that `user` may read, scoped by the one helper."""
    return scope_to_user(model._default_manager.all(), user, unit_field=unit_scope_field(model))


def record_in_scope(*, user: Any, model: type[Model], pk: Any) -> bool:
    return records_for_user(user=user, model=model).filter(pk=pk).exists()


def _photos_of_model(model: type[Model]) -> QuerySet[Photo]:
    # Matching the content type by name, through a join, keeps the query count fixed: no separate
    # ContentType lookup whose caching varies between processes and tests.
    opts = model._meta.concrete_model._meta  # type: ignore[union-attr]
    return Photo.objects.filter(content_type__app_label=opts.app_label, content_type__model=opts.model_name)


def photos_for(record: Model) -> QuerySet[Photo]:
    """The photos attached to `record`, oldest first (one query).

    Not scoped: the caller has already fetched `record` through its own scoped selector.
    """
    return _photos_of_model(type(record)).filter(object_id=record.pk)


def photos_by_record(records: Iterable[Model]) -> dict[Any, list[Photo]]:
    """Every record's photos (oldest first) keyed by the record's pk, in one query, for list pages.

    All records must be of one model; records without photos map to an empty list.
    """
    records = list(records)
    if not records:
        return {}
    models = {record._meta.concrete_model for record in records}
    if len(models) != 1:
        raise ValueError("photos_by_record() takes records of one model.")
    grouped: dict[Any, list[Photo]] = {record.pk: [] for record in records}
    for photo in _photos_of_model(type(records[0])).filter(object_id__in=list(grouped)):
        grouped[photo.object_id].append(photo)
    return grouped


def photo_get_for_user(*, user: Any, pk: Any) -> Photo:
    """The photo, if its parent record is in the user's scope; Http404 otherwise (missing or not)."""
    try:
        photo = Photo.objects.select_related("content_type").get(pk=pk)
    except (Photo.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    model = _parent_model(photo.content_type)
    if model is None or not record_in_scope(user=user, model=model, pk=photo.object_id):
        raise Http404
    return photo


def _parent_model(content_type: ContentType) -> type[Model] | None:
    # None when the parent's app has since been removed: such photos are reachable through the admin only.
    return content_type.model_class()


def attach_thumbnails(records: Iterable[Model]) -> None:
    """Set `record.thumbs` (its photos, oldest first) on each record of one model, in one query."""
    records = list(records)
    photos = photos_by_record(records)
    for record in records:
        record.thumbs = photos.get(record.pk, [])  # type: ignore[attr-defined]
