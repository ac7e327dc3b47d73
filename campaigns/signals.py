"""A unit created, re-kinded or re-activated joins the work of the groups it now belongs to."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from campaigns import services
from organizations.models import Unit


def unit_saved(sender: type[Unit], instance: Unit, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the fixture carries its own assignments
        return
    unit_id = instance.pk
    # After commit: the unit's own transaction (an admin form, an import) decides first.
    transaction.on_commit(lambda: _sync(unit_id), robust=True)


def _sync(unit_id: int) -> None:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is not None:
        services.unit_sync_assignments(unit=unit)
