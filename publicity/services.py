"""Every write to publicity activities, news items and their adoptions, and 舆情 incidents.

The owning unit is always the actor's unit and the campaign the current one: neither is ever taken
from a form or an API payload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from evidence.processing import ProcessedPhoto
from evidence.services import photos_attach
from microstations.models import MicroStation
from organizations.access import scope_to_user, sees_all_units
from organizations.models import Unit
from publicity.models import Adoption, NewsItem, OpinionIncident, PublicityActivity
from records import services as record_services

Status = OpinionIncident.Status

# 已发现 → 研判 → 处置中 → 已办结, one step at a time and never back.
NEXT_STATUS: dict[str, str] = {
    Status.DISCOVERED: Status.ASSESSING,
    Status.ASSESSING: Status.HANDLING,
    Status.HANDLING: Status.CLOSED,
}
# What may be filled in while moving an incident on (the close form sends the response and summary).
TRANSITION_FIELDS = {"assessment", "actions", "response", "responded_at", "handling_summary", "closed_on"}


def _actor_unit(actor: Any) -> Unit:
    if actor.unit_id is None:
        raise ValidationError(_("您的账号未关联单位，不能填报。请联系县局管理员。"))
    return actor.unit


def _campaign(campaign: Campaign | None) -> Campaign:
    campaign = campaign or campaign_current()
    if campaign is None:
        raise ValidationError(_("尚未建立活动，请联系县局管理员。"))
    return campaign


def _check_date_in_campaign(campaign: Campaign, day: dt.date, field: str) -> None:
    if not campaign.covers(day):
        raise ValidationError(
            {
                field: _("日期须在活动期间（%(start)s 至 %(end)s）内。")
                % {"start": campaign.start_date or "—", "end": campaign.end_date or "—"}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


def _check_station_in_scope(actor: Any, station: MicroStation | None) -> None:
    # The form and the serializer offer only these stations; this keeps any other caller honest.
    if station is None:
        return
    stations = scope_to_user(MicroStation.objects.all(), actor, unit_field=MicroStation.unit_scope_field)
    if not stations.filter(pk=station.pk).exists():
        raise ValidationError({"station": _("只能选择本单位联系的微站。")})


# --- Publicity activities --------------------------------------------------------------------------


def _save_activity(
    *, actor: Any, activity: PublicityActivity, partners: Any, photos: list[ProcessedPhoto], submit: bool
) -> PublicityActivity:
    _check_date_in_campaign(activity.campaign, activity.date, "date")
    _check_station_in_scope(actor, activity.station)
    activity.full_clean()
    activity._history_user = actor  # type: ignore[attr-defined]
    activity.save()
    if partners is not None:
        activity.partner_units.set(partners)
    photos_attach(actor=actor, record=activity, photos=photos)
    if submit and activity.can_submit:
        activity = record_services.record_submit(actor=actor, record=activity)
    return activity


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
    campaign: Campaign | None = None,
) -> PublicityActivity:
    """Record an activity of the actor's unit in the current campaign; optionally submit it at once."""
    data = dict(data)
    partners = data.pop("partner_units", None)
    activity = PublicityActivity(
        **data, unit=_actor_unit(actor), campaign=_campaign(campaign), created_by=actor
    )
    return _save_activity(actor=actor, activity=activity, partners=partners, photos=photos, submit=submit)


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: PublicityActivity,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
) -> PublicityActivity:
    locked = PublicityActivity.objects.select_for_update().select_related("campaign").get(pk=activity.pk)
    record_services.record_ensure_editable(record=locked)
    data = dict(data)
    partners = data.pop("partner_units", None)
    for name, value in data.items():
        setattr(locked, name, value)
    return _save_activity(actor=actor, activity=locked, partners=partners, photos=photos, submit=submit)


# --- 信息报送 -----------------------------------------------------------------------------------------


def _save_news(*, actor: Any, item: NewsItem, photos: list[ProcessedPhoto], submit: bool) -> NewsItem:
    item.full_clean()
    item._history_user = actor  # type: ignore[attr-defined]
    item.save()
    photos_attach(actor=actor, record=item, photos=photos)
    if submit and item.can_submit:
        item = record_services.record_submit(actor=actor, record=item)
    return item


@transaction.atomic
def news_create(
    *,
    actor: Any,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
    campaign: Campaign | None = None,
) -> NewsItem:
    item = NewsItem(**data, unit=_actor_unit(actor), campaign=_campaign(campaign), created_by=actor)
    return _save_news(actor=actor, item=item, photos=photos, submit=submit)


@transaction.atomic
def news_update(
    *, actor: Any, item: NewsItem, data: dict[str, Any], photos: list[ProcessedPhoto], submit: bool = False
) -> NewsItem:
    locked = NewsItem.objects.select_for_update().get(pk=item.pk)
    record_services.record_ensure_editable(record=locked)
    for name, value in data.items():
        setattr(locked, name, value)
    return _save_news(actor=actor, item=locked, photos=photos, submit=submit)


def _ensure_reviewer(actor: Any) -> None:
    if not actor.has_perm(record_services.REVIEW_PERMISSION):
        raise PermissionDenied(_("只有县局审核人员可以登记信息采用。"))


@transaction.atomic
def adoption_record(
    *,
    actor: Any,
    item: NewsItem,
    level: str,
    outlet: str,
    adopted_on: dt.date,
    url: str = "",
) -> Adoption:
    """Record that an approved news item was adopted (采用) at a level and outlet."""
    _ensure_reviewer(actor)
    # Locked so that a return racing this adoption cannot leave an adoption on an unapproved item.
    locked = NewsItem.objects.select_for_update().get(pk=item.pk)
    adoption = Adoption(
        news_item=locked,
        level=level,
        outlet=(outlet or "").strip(),
        url=url or "",
        adopted_on=adopted_on,
        recorded_by=actor,
    )
    adoption.full_clean()
    adoption._history_user = actor  # type: ignore[attr-defined]
    adoption.save()
    return adoption


@transaction.atomic
def adoption_delete(*, actor: Any, adoption: Adoption) -> None:
    _ensure_reviewer(actor)
    adoption._history_user = actor  # type: ignore[attr-defined]
    adoption.delete()


# --- 舆情 ----------------------------------------------------------------------------------------------


def _ensure_handler(actor: Any, incident: OpinionIncident) -> None:
    if not actor.has_perm("publicity.change_opinionincident"):
        raise PermissionDenied(_("您没有处置舆情的权限。"))
    if not sees_all_units(actor) and actor.unit_id != incident.handling_unit_id:
        raise PermissionDenied(_("只能处置本单位的舆情。"))


def _save_incident(*, actor: Any, incident: OpinionIncident, photos: list[ProcessedPhoto]) -> OpinionIncident:
    incident.full_clean()
    incident._history_user = actor  # type: ignore[attr-defined]
    incident.save()
    photos_attach(actor=actor, record=incident, photos=photos)
    return incident


@transaction.atomic
def incident_create(
    *,
    actor: Any,
    data: dict[str, Any],
    photos: list[ProcessedPhoto] | None = None,
    campaign: Campaign | None = None,
) -> OpinionIncident:
    """Log a newly found incident; the actor's unit handles it and its clock starts at `discovered_at`."""
    incident = OpinionIncident(
        **data,
        handling_unit=_actor_unit(actor),
        campaign=_campaign(campaign),
        created_by=actor,
        status=Status.DISCOVERED,
    )
    return _save_incident(actor=actor, incident=incident, photos=photos or [])


@transaction.atomic
def incident_update(
    *,
    actor: Any,
    incident: OpinionIncident,
    data: dict[str, Any],
    photos: list[ProcessedPhoto] | None = None,
) -> OpinionIncident:
    _ensure_handler(actor, incident)
    locked = OpinionIncident.objects.select_for_update().get(pk=incident.pk)
    if locked.is_closed:
        raise ValidationError(_("该舆情已办结，不能再修改。"))
    for name, value in data.items():
        if name == "status":
            continue  # the status moves only through incident_transition
        setattr(locked, name, value)
    return _save_incident(actor=actor, incident=locked, photos=photos or [])


@transaction.atomic
def incident_transition(
    *, actor: Any, incident: OpinionIncident, to_status: str, data: dict[str, Any] | None = None
) -> OpinionIncident:
    """Move an incident one step along 已发现 → 研判 → 处置中 → 已办结.

    Handling starts only with an assessment; closing needs the response (with its time) and a
    handling summary, and stamps the closing date (today unless given).
    """
    _ensure_handler(actor, incident)
    locked = OpinionIncident.objects.select_for_update().select_related("level").get(pk=incident.pk)
    if to_status not in Status.values or NEXT_STATUS.get(locked.status) != to_status:
        raise ValidationError(
            _("舆情当前为“%(current)s”，不能改为“%(target)s”。")
            % {
                "current": locked.get_status_display(),
                "target": Status(to_status).label if to_status in Status.values else to_status,
            }
        )
    for name, value in (data or {}).items():
        if name not in TRANSITION_FIELDS:
            raise ValueError(f"{name} cannot be set while changing an incident's status")
        setattr(locked, name, value.strip() if isinstance(value, str) else value)

    errors: dict[str, str] = {}
    if to_status == Status.HANDLING and not locked.assessment:
        errors["assessment"] = _("进入处置前须填写研判意见。")
    if to_status == Status.CLOSED:
        if not locked.response:
            errors["response"] = _("办结前须填写回应内容。")
        if locked.responded_at is None:
            errors["responded_at"] = _("办结前须填写回应时间。")
        if not locked.handling_summary:
            errors["handling_summary"] = _("办结前须填写办结情况。")
        locked.closed_on = locked.closed_on or timezone.localdate()
        discovered_on = timezone.localtime(locked.discovered_at).date()
        if locked.closed_on < discovered_on:
            errors["closed_on"] = _("办结日期不能早于发现日期。")
        elif locked.closed_on > timezone.localdate():
            errors["closed_on"] = _("办结日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    locked.status = to_status
    return _save_incident(actor=actor, incident=locked, photos=[])


@transaction.atomic
def incident_report_to_county(
    *, actor: Any, incident: OpinionIncident, at: dt.datetime | None = None
) -> OpinionIncident:
    """Record when the incident was reported to the county bureau (now unless told)."""
    _ensure_handler(actor, incident)
    locked = OpinionIncident.objects.select_for_update().get(pk=incident.pk)
    if locked.reported_to_county_at is not None:
        raise ValidationError(
            _("该舆情已于 %(at)s 向县局报告。")
            % {"at": f"{timezone.localtime(locked.reported_to_county_at):%Y-%m-%d %H:%M}"}
        )
    locked.reported_to_county_at = at or timezone.now()
    return _save_incident(actor=actor, incident=locked, photos=[])
