"""Every write to a 舆情 incident.

Incidents are not reviewed records (they are handled, not approved), but every service here checks
scope and permission itself, in the records kit's order: out of the actor's scope is Http404, in
scope without the permission is PermissionDenied, closed is a ValidationError. The handling unit is
always the actor's unit and the campaign the current one; only `OpinionIncident.record_fields` may
be set from outside, and the status moves only through `incident_transition`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from core.catalogs import catalog_delete, catalog_save
from evidence.processing import ProcessedPhoto
from evidence.services import photos_attach
from notifications.services import digest_create
from opinion.models import OpinionIncident, OpinionLevel
from organizations.access import scope_to_user
from organizations.models import Unit, User
from organizations.roles import Role

Status = OpinionIncident.Status
ADD_PERMISSION = "opinion.add_opinionincident"
CHANGE_PERMISSION = "opinion.change_opinionincident"

# 已发现 → 研判 → 处置中 → 已办结, one step at a time and never back.
NEXT_STATUS: dict[str, str] = {
    Status.DISCOVERED: Status.ASSESSING,
    Status.ASSESSING: Status.HANDLING,
    Status.HANDLING: Status.CLOSED,
}
# What may be filled in while moving an incident on (the close form sends the response and summary).
TRANSITION_FIELDS = frozenset(
    {"assessment", "actions", "response", "responded_at", "handling_summary", "closed_on"}
)


def may_handle(user: Any) -> bool:
    return bool(user.has_perm(CHANGE_PERMISSION))


def incident_get_for_change(*, actor: Any, pk: Any, lock: bool = True) -> OpinionIncident:
    """The incident, locked for update (inside the caller's transaction), if `actor` may handle it:
    404 out of scope, 403 read-only. A page that only shows the form asks with `lock=False`."""
    queryset = scope_to_user(
        OpinionIncident.objects.select_related("level"), actor, unit_field=OpinionIncident.unit_scope_field
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        incident = queryset.get(pk=pk)
    except (OpinionIncident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not may_handle(actor):
        raise PermissionDenied(_("您没有处置舆情的权限。"))
    return incident


def _ensure_open(incident: OpinionIncident) -> None:
    if incident.is_closed:
        raise ValidationError(_("该舆情已办结，不能再修改。"))


def _assign(incident: OpinionIncident, data: Mapping[str, Any]) -> None:
    refused = sorted(set(data) - set(OpinionIncident.record_fields))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    for name, value in data.items():
        setattr(incident, name, value)


def _save(*, actor: Any, incident: OpinionIncident, photos: Sequence[ProcessedPhoto]) -> OpinionIncident:
    incident.full_clean()
    incident._history_user = actor  # type: ignore[attr-defined]
    incident.save()
    photos_attach(actor=actor, record=incident, photos=list(photos))
    return incident


@transaction.atomic
def incident_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    photos: Sequence[ProcessedPhoto] = (),
    campaign: Campaign | None = None,
) -> OpinionIncident:
    """Log a newly found incident; the actor's unit handles it and its clock starts at `discovered_at`."""
    if not actor.has_perm(ADD_PERMISSION):
        raise PermissionDenied(_("您没有登记舆情的权限。"))
    if actor.unit_id is None:
        raise PermissionDenied(_("您的账号未关联单位，不能填报。"))
    chosen = campaign or campaign_current()
    if chosen is None:
        raise ValidationError(_("尚未建立活动，请联系县局管理员。"))
    incident = OpinionIncident(
        handling_unit_id=actor.unit_id, campaign=chosen, created_by=actor, status=Status.DISCOVERED
    )
    _assign(incident, data)
    return _save(actor=actor, incident=incident, photos=photos)


@transaction.atomic
def incident_update(
    *,
    actor: User,
    incident: OpinionIncident,
    data: Mapping[str, Any],
    photos: Sequence[ProcessedPhoto] = (),
) -> OpinionIncident:
    """Edit an open incident's allow-listed fields (never its unit, campaign or status)."""
    locked = incident_get_for_change(actor=actor, pk=incident.pk)
    _ensure_open(locked)
    _assign(locked, data)
    return _save(actor=actor, incident=locked, photos=photos)


@transaction.atomic
def incident_transition(
    *, actor: User, incident: OpinionIncident, to_status: str, data: Mapping[str, Any] | None = None
) -> OpinionIncident:
    """Move an incident one step along 已发现 → 研判 → 处置中 → 已办结.

    Handling starts only with an assessment; closing needs the response (with its time) and a
    handling summary, and stamps the closing date (today unless given).
    """
    locked = incident_get_for_change(actor=actor, pk=incident.pk)
    if to_status not in Status.values or NEXT_STATUS.get(locked.status) != to_status:
        raise ValidationError(
            _("舆情当前为“%(current)s”，不能改为“%(target)s”。")
            % {
                "current": locked.get_status_display(),
                "target": Status(to_status).label if to_status in Status.values else to_status,
            }
        )
    refused = sorted(set(data or {}) - TRANSITION_FIELDS)
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    for name, value in (data or {}).items():
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
    return _save(actor=actor, incident=locked, photos=())


@transaction.atomic
def incident_report_to_county(
    *, actor: User, incident: OpinionIncident, at: dt.datetime | None = None
) -> OpinionIncident:
    """Record when the incident was reported to the county bureau (now unless told)."""
    locked = incident_get_for_change(actor=actor, pk=incident.pk)
    if locked.reported_to_county_at is not None:
        raise ValidationError(
            _("该舆情已于 %(at)s 向县局报告。")
            % {"at": f"{timezone.localtime(locked.reported_to_county_at):%Y-%m-%d %H:%M}"}
        )
    locked.reported_to_county_at = at or timezone.now()
    return _save(actor=actor, incident=locked, photos=())


@transaction.atomic
def incident_delete(*, actor: User, incident: OpinionIncident) -> None:
    """Delete an incident (the admin's door): 404 out of scope, 403 without the delete permission."""
    locked = incident_get_for_change(actor=actor, pk=incident.pk)
    if not actor.has_perm("opinion.delete_opinionincident"):
        raise PermissionDenied(_("您没有删除舆情的权限。"))
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.delete()


# --- Levels (the bureau's reference table) ----------------------------------------------------------

# What the bureau sets on a level; every incident's deadlines follow its hours at once.
LEVEL_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "rank",
    "report_deadline_hours",
    "response_deadline_hours",
    "press_conference_hours",
    "alert_leadership",
    "guidance",
    "is_active",
)


def level_save(*, actor: User, level: OpinionLevel | None = None, data: Mapping[str, Any]) -> OpinionLevel:
    """Create (`level` None) or change a 舆情 level: the bureau's, 403 for everyone else."""
    return catalog_save(
        actor=actor,
        model=OpinionLevel,
        instance=level,
        data=data,
        fields=LEVEL_FIELDS,
        denied=_("您没有设置舆情级别的权限。"),
    )


def level_delete(*, actor: User, level: OpinionLevel) -> None:
    """Delete a level no incident has; one in use is kept (deactivate it instead)."""
    catalog_delete(
        actor=actor,
        instance=level,
        denied=_("您没有删除舆情级别的权限。"),
        in_use=_("已有舆情使用该级别，不能删除；如不再使用，请停用。"),
    )


# --- Feedback from the public (a station's page) ---------------------------------------------------

# The account public feedback is logged under: it cannot log in, and the history names it plainly.
PUBLIC_FEEDBACK_USERNAME = "public-feedback"


def _public_feedback_user() -> User:
    user, created = User.objects.get_or_create(
        username=PUBLIC_FEEDBACK_USERNAME, defaults={"name": _("公众反馈（扫码）"), "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def incident_from_public_feedback(
    *,
    unit: Unit,
    campaign: Campaign,
    place: str,
    address: str = "",
    complaint: bool,
    domain: str,
    text: str,
    contact: str = "",
    page: str = "",
    discovered_by: str = "",
) -> OpinionIncident:
    """Put a member of the public's complaint (or suggestion) on `unit`'s 舆情 desk, and tell its clerks.

    `page` and `discovered_by` name the public page it came from (a station's page by default).

    `contact` is kept only when the sender agreed to it (the caller's form decides); the clock starts
    now, at the lowest active level, for the office to assess like any incident it found itself.
    """
    category = _("投诉") if complaint else _("建议")
    level = OpinionLevel.objects.filter(is_active=True).order_by("rank", "pk").first()
    if level is None:
        raise ValidationError(_("尚未设置舆情级别，请联系县局管理员。"))
    summary = text.strip()
    if contact:
        summary += "\n\n" + _("联系方式（经本人同意留存）：%(contact)s") % {"contact": contact}
    actor = _public_feedback_user()
    incident = OpinionIncident(
        handling_unit=unit,
        campaign=campaign,
        created_by=actor,
        status=Status.DISCOVERED,
        title=(_("群众%(category)s：%(place)s") % {"category": category, "place": place})[:150],
        discovered_at=timezone.now(),
        discovered_by=discovered_by or _("公众（微站扫码）"),
        source=OpinionIncident.Source.OTHER,
        platform=page or _("微站公众页面"),
        summary=summary,
        domain=domain,
        involved_party=(f"{place}（{address}）" if address else place)[:150],
        sentiment=OpinionIncident.Sentiment.NEGATIVE if complaint else OpinionIncident.Sentiment.NEUTRAL,
        level=level,
    )
    saved = _save(actor=actor, incident=incident, photos=())
    clerks = User.objects.filter(is_active=True, unit=unit, groups__name=Role.OFFICE).distinct()
    digest_create(
        kind=f"public-feedback-{saved.pk}",
        audience=f"unit:{unit.pk}",
        day=timezone.localdate(),
        subject=_("【群众反馈】%(title)s") % {"title": saved.title},
        body=_("群众通过微站公众页面提交了%(category)s，已登记为舆情，请及时研判处置：%(text)s")
        % {"category": category, "text": text.strip()[:200]},
        recipients=clerks,
        unit=unit,
        url=saved.get_absolute_url(),
    )
    return saved
