"""Every write to volunteers. Volunteers are registered, not submitted for review, but the same gate
applies: out of the actor's scope is Http404, read-only is PermissionDenied (403), and only
`Volunteer.editable_fields` may be set. The rules themselves are the model's (`Volunteer.clean`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.processing import ProcessedPhoto
from microstations.models import MicroStation
from organizations.access import get_for_user
from organizations.models import User
from records.services import may_add, may_change, record_save
from volunteers.models import Volunteer, VolunteerAct, VolunteerLink


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


# --- Self-service links -------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "VOLUNTEER_LINK_DAYS", 90)))


def _volunteer_for_change(actor: User, volunteer: Volunteer) -> Volunteer:
    """The volunteer, if `actor` may manage them: 404 out of scope, 403 read-only."""
    found = get_for_user(
        Volunteer.objects.select_related("station"),
        actor,
        pk=volunteer.pk,
        unit_field=Volunteer.unit_scope_field,
    )
    if not may_change(actor, Volunteer):
        raise PermissionDenied(_("您没有管理宣传员的权限。"))
    return found


@transaction.atomic
def volunteer_link_issue(*, actor: User, volunteer: Volunteer) -> tuple[VolunteerLink, str]:
    """A new personal link for the volunteer (or their guardian); earlier links stop working.

    Returns the link and its token, which is shown once and never stored (only its hash is).
    """
    volunteer = _volunteer_for_change(actor, volunteer)
    if not volunteer.is_active:
        raise ValidationError(_("该宣传员已不在岗，不能发放自助链接。"))
    now = timezone.now()
    VolunteerLink.objects.filter(volunteer=volunteer, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(24)
    link = VolunteerLink.objects.create(
        volunteer=volunteer, token_hash=_token_hash(token), issued_by=actor, expires_at=now + link_lifetime()
    )
    return link, token


@transaction.atomic
def volunteer_link_revoke(*, actor: User, volunteer: Volunteer) -> int:
    """Stop every link of the volunteer from working; how many were still open."""
    volunteer = _volunteer_for_change(actor, volunteer)
    return VolunteerLink.objects.filter(volunteer=volunteer, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def volunteer_link_resolve(*, token: str) -> VolunteerLink:
    """The usable link with this token, or Http404: unknown, revoked and expired links look the same,
    as does a link whose volunteer has left or whose issuer's account is closed."""
    link = (
        VolunteerLink.objects.select_related("volunteer__station", "volunteer__campaign", "issued_by")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    return _usable(link)


def _usable(link: VolunteerLink | None) -> VolunteerLink:
    if link is None or not (
        link.is_usable(timezone.now()) and link.volunteer.is_active and link.issued_by.is_active
    ):
        raise Http404
    return link


@transaction.atomic
def volunteer_act_log(
    *, link: VolunteerLink, data: Mapping[str, Any], photos: Sequence[ProcessedPhoto] = ()
) -> VolunteerAct:
    """The volunteer logs a publicity act through their link; it is submitted for review at once.

    The link acts on behalf of the office user who issued it, through the record kit (scope,
    allow-listed fields, the record-date rule, photos, submission), and only for its own volunteer.
    """
    fresh = volunteer_link_resolve_by_pk(pk=link.pk)
    act = record_save(
        actor=fresh.issued_by,
        model=VolunteerAct,
        data={
            **{key: value for key, value in data.items() if key != "volunteer"},
            "volunteer": fresh.volunteer,
        },
        photos=photos,
        submit=True,
        campaign=fresh.volunteer.campaign,
    )
    VolunteerLink.objects.filter(pk=fresh.pk).update(last_used_at=timezone.now())
    return act


def volunteer_link_resolve_by_pk(*, pk: int) -> VolunteerLink:
    """The link again, locked, still usable (it may have been revoked since the page was opened)."""
    link = (
        VolunteerLink.objects.select_for_update(of=("self",))
        .select_related("volunteer__station", "volunteer__campaign", "issued_by")
        .filter(pk=pk)
        .first()
    )
    return _usable(link)
