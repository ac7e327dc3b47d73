"""Writes to micro-stations. Station activities are submitted records: every door creates and updates
them through `records.services.record_save` (their unit and campaign follow the station, see
`StationActivity.derive_owner`), so this module holds only the station life-cycle."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from microstations.models import MicroStation
from organizations.access import get_for_user
from organizations.models import User
from records.services import may_change

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
