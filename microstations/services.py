"""Writes to micro-stations. Station activities are submitted records: every door creates and updates
them through `records.services.record_save` (their unit and campaign follow the station, see
`StationActivity.derive_owner`), so this module holds only the station life-cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.spreadsheets import apply_changes
from microstations.models import MicroStation
from organizations.access import get_for_user
from organizations.models import User
from records.services import may_add, may_change

Stage = MicroStation.Stage


def station_get_for_change(*, actor: User, pk: int) -> MicroStation:
    """The station, locked for update, if `actor` may change it: 404 out of scope, 403 read-only."""
    station = get_for_user(
        MicroStation.objects.select_for_update(),
        actor,
        pk=pk,
        unit_field=MicroStation.unit_scope_field,
    )
    if not may_change(actor, MicroStation):
        raise PermissionDenied(_("您没有修改微站的权限。"))
    return station


@transaction.atomic
def station_set_stage(
    *, actor: User, station: MicroStation, stage: str, opened_on: dt.date | None = None
) -> MicroStation:
    """Move a station forward along 规划 → 已落实承建单位 → 已布置 → 已揭牌运行 (never back)."""
    locked = station_get_for_change(actor=actor, pk=station.pk)
    error = locked.stage_change_error(stage)
    if error:
        raise ValidationError(error)
    if stage == Stage.OPENED:
        opened_on = opened_on or locked.opened_on
        if opened_on is None:
            raise ValidationError({"opened_on": _("已揭牌运行的微站必须填写揭牌日期。")})
        locked.opened_on = opened_on
    locked.stage = stage
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.full_clean()
    locked.save()
    return locked


# What an import (or any door that edits a station's particulars) may set; the campaign is the caller's
# and the stage moves only forward (MicroStation.stage_change_error).
STATION_FIELDS: tuple[str, ...] = (
    "name",
    "plaque_no",
    "host_name",
    "host_unit",
    "station_type",
    "address",
    "township",
    "latitude",
    "longitude",
    "focus_area",
    "contact_name",
    "contact_phone",
    "supervising_unit",
    "stage",
    "opened_on",
    "note",
    # What the public page (/s/<plaque>/) shows.
    "opening_hours",
    "fair_scale_location",
    "is_public",
)


def _assign_station(station: MicroStation, data: Mapping[str, Any]) -> list[str]:
    refused = sorted(set(data) - set(STATION_FIELDS))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    return apply_changes(station, dict(data))


def _save_station(actor: User, station: MicroStation) -> MicroStation:
    station.full_clean()
    station._history_user = actor  # type: ignore[attr-defined]
    station.save()
    return station


@transaction.atomic
def station_create(*, actor: User, campaign: Campaign, data: Mapping[str, Any]) -> MicroStation:
    """Add a station to the campaign (a bureau task: offices get PermissionDenied)."""
    if not may_add(actor, MicroStation):
        raise PermissionDenied(_("您没有新增微站的权限。"))
    station = MicroStation(campaign=campaign, stage=Stage.PLANNED)
    _assign_station(station, data)
    return _save_station(actor, station)


@transaction.atomic
def station_update(*, actor: User, station: MicroStation, data: Mapping[str, Any]) -> MicroStation:
    """Change a station's particulars: 404 out of scope, 403 read-only, and the stage never back."""
    locked = station_get_for_change(actor=actor, pk=station.pk)
    stage = data.get("stage")
    error = locked.stage_change_error(stage) if stage else None
    if error:
        raise ValidationError({"stage": error})
    if not _assign_station(locked, data):
        return locked
    return _save_station(actor, locked)


def station_delete_error(station: MicroStation) -> str | None:
    """Why `station` cannot be deleted, or None: only a station still at 规划 with nothing logged at it
    (an entry made by mistake) goes; one past planning, or with activities or volunteers, is kept (its
    history is part of the campaign's record)."""
    if station.stage != Stage.PLANNED:
        return _("只能删除仍在规划阶段的微站；已落实承建单位的微站请保留。")
    if station.activities.exists() or station.volunteers.exists():
        return _("该微站已登记活动或宣传员，不能删除。")
    return None


@transaction.atomic
def station_delete(*, actor: User, station: MicroStation) -> None:
    """Delete a station (see station_delete_error): 404 out of scope, 403 without the delete permission."""
    locked = get_for_user(
        MicroStation.objects.select_for_update(),
        actor,
        pk=station.pk,
        unit_field=MicroStation.unit_scope_field,
    )
    if not actor.has_perm("microstations.delete_microstation"):
        raise PermissionDenied(_("您没有删除微站的权限。"))
    error = station_delete_error(locked)
    if error:
        raise ValidationError(error)
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.delete()
