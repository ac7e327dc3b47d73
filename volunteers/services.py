"""Every write to volunteers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microstations.models import MicroStation
from volunteers.models import Volunteer


def validate_volunteer(volunteer: Volunteer) -> None:
    if volunteer.recruited_on > timezone.localdate():
        raise ValidationError({"recruited_on": _("招募日期不能晚于今天。")})
    if volunteer.kind == Volunteer.Kind.JUNIOR:
        errors = {}
        if not volunteer.guardian_name:
            errors["guardian_name"] = _("小小宣传员须填写监护人姓名。")
        if not volunteer.guardian_phone:
            errors["guardian_phone"] = _("小小宣传员须填写监护人电话。")
        if not volunteer.guardian_consent:
            errors["guardian_consent"] = _("小小宣传员须取得监护人同意。")
        if errors:
            raise ValidationError(errors)
    else:
        # Keep no guardian data for adults: personal data stays minimal.
        volunteer.guardian_name = volunteer.guardian_phone = ""
        volunteer.guardian_consent = False
    volunteer.full_clean()


@transaction.atomic
def volunteer_create(*, actor: Any, station: MicroStation, data: dict[str, Any]) -> Volunteer:
    """Register a volunteer at a station; the campaign comes from the station."""
    volunteer = Volunteer(**data, station=station, campaign=station.campaign, created_by=actor)
    validate_volunteer(volunteer)
    volunteer._history_user = actor  # type: ignore[attr-defined]
    volunteer.save()
    return volunteer


@transaction.atomic
def volunteer_update(*, actor: Any, volunteer: Volunteer, data: dict[str, Any]) -> Volunteer:
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    station = data.pop("station", locked.station)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.station, locked.campaign = station, station.campaign
    validate_volunteer(locked)
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    return locked
