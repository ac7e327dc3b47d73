"""Every write to micro-stations and their activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.processing import ProcessedPhoto
from evidence.services import photos_attach
from microstations.models import MicroStation, StationActivity
from records import services as record_services

Stage = MicroStation.Stage
STAGE_ORDER = list(Stage.values)


@transaction.atomic
def station_set_stage(
    *, actor: Any, station: MicroStation, stage: str, opened_on: dt.date | None = None
) -> MicroStation:
    """Move a station forward along 规划 → 已落实承建单位 → 已布置 → 已揭牌运行 (never back)."""
    locked = MicroStation.objects.select_for_update().get(pk=station.pk)
    if STAGE_ORDER.index(stage) < STAGE_ORDER.index(locked.stage):
        raise ValidationError(
            _("微站已是“%(current)s”，不能退回“%(target)s”。")
            % {"current": locked.get_stage_display(), "target": Stage(stage).label}
        )
    if stage == Stage.OPENED:
        opened_on = opened_on or locked.opened_on
        if opened_on is None:
            raise ValidationError({"opened_on": _("已揭牌运行的微站必须填写揭牌日期。")})
        if opened_on > timezone.localdate():
            raise ValidationError({"opened_on": _("揭牌日期不能晚于今天。")})
        locked.opened_on = opened_on
    locked.stage = stage
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.full_clean()
    locked.save()
    return locked


def _validate_activity_date(activity: StationActivity) -> None:
    if not activity.campaign.covers(activity.date):
        raise ValidationError(
            {
                "date": _("活动日期须在活动期间（%(start)s 至 %(end)s）内。")
                % {"start": activity.campaign.start_date or "—", "end": activity.campaign.end_date or "—"}
            }
        )
    if activity.date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天。")})


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    station: MicroStation,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
) -> StationActivity:
    """Log an activity at a station. Its unit and campaign come from the station, never from the form."""
    activity = StationActivity(
        **data,
        station=station,
        campaign=station.campaign,
        unit=station.supervising_unit,
        created_by=actor,
    )
    _validate_activity_date(activity)
    activity.full_clean()
    activity._history_user = actor  # type: ignore[attr-defined]
    activity.save()
    photos_attach(actor=actor, record=activity, photos=photos)
    if submit:
        activity = record_services.record_submit(actor=actor, record=activity)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: StationActivity,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
) -> StationActivity:
    locked = StationActivity.objects.select_for_update().select_related("campaign").get(pk=activity.pk)
    record_services.record_ensure_editable(record=locked)
    station = data.pop("station", locked.station)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.station, locked.campaign, locked.unit = station, station.campaign, station.supervising_unit
    _validate_activity_date(locked)
    locked.full_clean()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    photos_attach(actor=actor, record=locked, photos=photos)
    if submit and locked.can_submit:
        locked = record_services.record_submit(actor=actor, record=locked)
    return locked
