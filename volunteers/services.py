"""Every write to volunteers. Volunteers are registered, not submitted for review, but the same gate
applies: out of the actor's scope is Http404, read-only is PermissionDenied (403), and only
`Volunteer.editable_fields` may be set. The rules themselves are the model's (`Volunteer.clean`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from microstations.models import MicroStation
from organizations.access import get_for_user
from organizations.models import User
from records.services import may_add, may_change
from volunteers.models import Volunteer


def _station_in_scope(actor: User, station: MicroStation) -> MicroStation:
    """A station picked by id from another unit is "does not exist" (404), as everywhere else."""
    return get_for_user(
        MicroStation.objects.all(), actor, pk=station.pk, unit_field=MicroStation.unit_scope_field
    )


def _assign(volunteer: Volunteer, data: Mapping[str, Any]) -> None:
    refused = sorted(set(data) - set(Volunteer.editable_fields))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    for name, value in data.items():
        setattr(volunteer, name, value)


def _save(actor: User, volunteer: Volunteer) -> Volunteer:
    volunteer.full_clean()
    volunteer._history_user = actor  # type: ignore[attr-defined]
    volunteer.save()
    return volunteer


@transaction.atomic
def volunteer_create(*, actor: User, station: MicroStation, data: Mapping[str, Any]) -> Volunteer:
    """Register a volunteer at a station; the campaign comes from the station."""
    if not may_add(actor, Volunteer):
        raise PermissionDenied(_("您没有登记宣传员的权限。"))
    station = _station_in_scope(actor, station)
    volunteer = Volunteer(station=station, campaign=station.campaign, created_by=actor)
    _assign(volunteer, {key: value for key, value in data.items() if key != "station"})
    return _save(actor, volunteer)


@transaction.atomic
def volunteer_update(*, actor: User, volunteer: Volunteer, data: Mapping[str, Any]) -> Volunteer:
    """Change a volunteer's allow-listed fields (moving them to another station of the actor's scope)."""
    locked = get_for_user(
        Volunteer.objects.select_for_update(of=("self",)),
        actor,
        pk=volunteer.pk,
        unit_field=Volunteer.unit_scope_field,
    )
    if not may_change(actor, Volunteer):
        raise PermissionDenied(_("您没有修改宣传员的权限。"))
    station = data.get("station")
    if isinstance(station, models.Model) and station.pk != locked.station_id:
        data = {**data, "station": _station_in_scope(actor, station)}  # type: ignore[arg-type]
    _assign(locked, data)
    locked.campaign = locked.station.campaign
    return _save(actor, locked)
