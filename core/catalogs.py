"""Writes to the bureau's reference tables (instrument types, 舆情 levels …): rows no unit owns, that
every role reads and only a role with the model's add, change or delete permission writes. Each app's
services.py wraps these with its model's allow-list of fields and its own messages, so every door (API,
admin) goes through the same checks: permission first (PermissionDenied), then only allow-listed
fields, `full_clean`, and the history's author.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from core.spreadsheets import apply_changes

M = TypeVar("M", bound=models.Model)


def _permission(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _require(actor: Any, model: type[models.Model], action: str, message: str) -> None:
    if not actor.has_perm(_permission(model, action)):
        raise PermissionDenied(message)


@transaction.atomic
def catalog_save(
    *,
    actor: Any,
    model: type[M],
    instance: M | None,
    data: Mapping[str, Any],
    fields: Iterable[str],
    denied: str,
) -> M:
    """Create (`instance` None) or change a reference row; `denied` is the 403's message. Keys outside
    `fields` are refused; only the fields that changed are written."""
    _require(actor, model, "add" if instance is None else "change", denied)
    refused = sorted(set(data) - set(fields))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    if instance is None:
        target = model()
    else:
        try:
            target = model._default_manager.select_for_update().get(pk=instance.pk)
        except model.DoesNotExist as exc:  # type: ignore[attr-defined]
            raise Http404 from exc
    changed = apply_changes(target, dict(data))
    if instance is not None and not changed:
        return target
    target.full_clean()
    target._history_user = actor  # type: ignore[attr-defined]
    target.save()
    return target


@transaction.atomic
def catalog_delete(*, actor: Any, instance: models.Model, denied: str, in_use: str) -> None:
    """Delete a reference row no record uses; one in use is kept (a ValidationError saying `in_use`:
    deactivate it instead)."""
    model = type(instance)
    _require(actor, model, "delete", denied)
    try:
        locked = model._default_manager.select_for_update().get(pk=instance.pk)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
    locked._history_user = actor  # type: ignore[attr-defined]
    try:
        # A savepoint: a refused delete leaves the caller's transaction usable.
        with transaction.atomic():
            locked.delete()
    except ProtectedError as exc:
        raise ValidationError(in_use) from exc
