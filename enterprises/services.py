"""Every write to the enterprise registry, 伙伴计划 pairings and problem tickets.

Visits are submitted records: they are created and changed through `records.services.record_save`
(whatever the door), with `visit_owner` naming the unit a new one is logged under and the campaign of
its date.

Each service here checks, inside, what its caller may do, in the kit's order: out of the actor's scope
is Http404, in scope but not allowed is PermissionDenied, and only allow-listed fields are set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_for_date
from core.catalogs import catalog_delete
from enterprises.models import (
    Enterprise,
    EnterpriseVisit,
    IntegrityCommitment,
    IntegrityEntry,
    MetrologyProblem,
    Partnership,
)
from evidence.services import photos_attach
from organizations.access import get_for_user, scope_to_user, sees_all_units
from organizations.models import Unit, User

Status = MetrologyProblem.Status

# The section that leads workstream 4 (notice 二（四）): bureau staff without a unit of their own log
# their visits under it.
LEAD_SECTION_NAME = "价监科"


def _require(actor: Any, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(message)


def _assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allow-listed keys of `data` on `instance` and return those that changed (HackSoft's
    model_update); any other key is refused, so a caller cannot set an author or a derived column."""
    refused = sorted(set(data) - set(allowed))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many or not isinstance(field, models.Field):
            continue
        current = getattr(instance, field.attname)
        new = value.pk if isinstance(value, models.Model) else value
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- Enterprises (a shared registry: no unit owns a row, so there is no scope to fall out of) -------


def _save_enterprise(
    enterprise: Enterprise, actor: Any, update_fields: list[str] | None = None
) -> Enterprise:
    enterprise.full_clean()
    enterprise._history_user = actor  # type: ignore[attr-defined]
    try:
        # A savepoint, so that losing a race for the same credit code leaves the caller's transaction usable.
        with transaction.atomic():
            enterprise.save(update_fields=update_fields)
    except IntegrityError as exc:
        if Enterprise.objects.filter(credit_code=enterprise.credit_code).exclude(pk=enterprise.pk).exists():
            raise ValidationError({"credit_code": _("该统一社会信用代码已登记，请勿重复添加。")}) from exc
        raise
    return enterprise


@transaction.atomic
def enterprise_create(*, actor: User, data: Mapping[str, Any]) -> Enterprise:
    """Add an enterprise to the shared registry; its credit code is normalised and checked."""
    _require(actor, "enterprises.add_enterprise", _("您没有登记企业的权限。"))
    enterprise = Enterprise(created_by=actor)
    _assign(enterprise, data, Enterprise.registry_fields)
    return _save_enterprise(enterprise, actor)


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, data: Mapping[str, Any]) -> Enterprise:
    """Change the allow-listed fields of an enterprise; only the fields that changed are written."""
    _require(actor, "enterprises.change_enterprise", _("您没有修改企业信息的权限。"))
    try:
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc
    changed = _assign(locked, data, Enterprise.registry_fields)
    if not changed:
        return locked
    return _save_enterprise(locked, actor, update_fields=[*changed, "updated_at"])


# --- Partnerships (伙伴计划, the bureau's) -------------------------------------------------------------


def validate_partners(*, lead: Enterprise | None, partners: Iterable[Enterprise]) -> None:
    """The pairing's SMEs: not the lead itself, and no large enterprise."""
    partners = list(partners)
    if lead is not None and any(p.pk == lead.pk for p in partners):
        raise ValidationError({"partners": _("龙头企业不能同时作为自己的结对企业。")})
    large = [p.name for p in partners if p.size == Enterprise.Size.LARGE]
    if large:
        raise ValidationError(
            {"partners": _("结对企业应为中小微企业：%(names)s 为大型企业。") % {"names": "、".join(large)}}
        )


@transaction.atomic
def partnership_save(
    *,
    actor: User,
    partnership: Partnership | None = None,
    data: Mapping[str, Any],
    partners: Iterable[Enterprise],
) -> Partnership:
    """Create (`partnership` None) or change a pairing and its SMEs in one transaction; the history
    records the partners too."""
    if partnership is None:
        _require(actor, "enterprises.add_partnership", _("您没有新增伙伴计划结对的权限。"))
        target = Partnership()
    else:
        _require(actor, "enterprises.change_partnership", _("您没有修改伙伴计划结对的权限。"))
        try:
            target = Partnership.objects.select_for_update().get(pk=partnership.pk)
        except Partnership.DoesNotExist as exc:
            raise Http404 from exc
    _assign(target, data, Partnership.partnership_fields)
    partners = list(partners)
    validate_partners(lead=target.lead if target.lead_id else None, partners=partners)
    target.full_clean()
    target._history_user = actor  # type: ignore[attr-defined]
    target.save()
    target.partners.set(partners)
    return target


def partnership_delete(*, actor: User, partnership: Partnership) -> None:
    """Delete a pairing (the bureau, with the delete permission); one that other records still use is
    kept (a ValidationError: 409 through the API)."""
    catalog_delete(
        actor=actor,
        instance=partnership,
        denied=_("您没有删除伙伴计划结对的权限。"),
        in_use=_("该结对仍被其他记录引用，不能删除。"),
    )


# --- Visits ----------------------------------------------------------------------------------------


def visit_campaign_for(day: dt.date) -> Campaign:
    """The campaign a visit on `day` counts toward (campaigns.selectors.campaign_for_date).

    Enterprises are a standing registry: a visit entered late counts for the campaign of its date, not
    the current one. A day no campaign covers (nor a campaign of its year) is refused on the date field.
    """
    campaign = campaign_for_date(day)
    if campaign is None:
        raise ValidationError(
            {"date": _("服务日期 %(day)s 不在任何活动期间内，请核对日期。") % {"day": f"{day:%Y-%m-%d}"}}
        )
    return campaign


def visit_owner(
    *, actor: Any, data: Mapping[str, Any], visit: EnterpriseVisit | None = None
) -> dict[str, Any]:
    """`record_save`'s unit and campaign for a visit, whatever the door (page, API, admin).

    A new visit is logged under the visiting unit and counts toward the campaign of its date
    (`visit_campaign_for`). A change keeps the visit's unit and campaign (its forms check the date
    against that campaign).
    """
    if visit is not None:
        return {}
    owner: dict[str, Any] = {"unit": visiting_unit_for(actor)}
    day = data.get("date")
    if isinstance(day, dt.date):
        owner["campaign"] = visit_campaign_for(day)
    return owner


def visiting_unit_for(actor: Any) -> Unit | None:
    """The unit a new visit is logged under: the actor's own, or 价监科 for bureau staff without one.

    None leaves the choice to record_save, which refuses an actor without a unit.
    """
    if actor.unit_id is not None:
        return actor.unit
    if sees_all_units(actor):
        return Unit.objects.filter(name=LEAD_SECTION_NAME).first()
    return None


# --- Problem tickets -------------------------------------------------------------------------------

RAISE_PROBLEM_PERMISSION = "enterprises.add_metrologyproblem"
HANDLE_PROBLEM_PERMISSION = "enterprises.change_metrologyproblem"


def may_raise_problem(actor: Any) -> bool:
    """Whether `actor` may raise problem tickets on visits (leadership may not); the pages ask it
    before they read a form, the services again with the row locked."""
    return bool(actor.has_perm(RAISE_PROBLEM_PERMISSION))


def may_handle_problem(actor: Any) -> bool:
    """Whether `actor` may move problem tickets on (assign, solve, confirm) or correct them."""
    return bool(actor.has_perm(HANDLE_PROBLEM_PERMISSION))


def _problem_denied() -> PermissionDenied:
    return PermissionDenied(_("您没有办理企业计量问题的权限。"))


NEXT_STATUS = {
    Status.RAISED: Status.ASSIGNED,
    Status.ASSIGNED: Status.SOLVED,
    Status.SOLVED: Status.CONFIRMED,
}


@transaction.atomic
def problem_raise(
    *, actor: User, visit: EnterpriseVisit, category: str, description: str
) -> MetrologyProblem:
    """Record a problem the enterprise raised during the visit (while the visit is not yet approved).

    Another unit's visit is Http404; without the permission (leadership) PermissionDenied.
    """
    try:
        locked = scope_to_user(EnterpriseVisit.objects.all(), actor).select_for_update().get(pk=visit.pk)
    except EnterpriseVisit.DoesNotExist as exc:
        raise Http404 from exc
    if not may_raise_problem(actor):
        raise _problem_denied()
    if locked.is_locked:
        raise ValidationError(_("该服务记录已审核通过，不能再登记新问题；请在新的服务记录中登记。"))
    if not (description or "").strip():
        raise ValidationError({"description": _("请填写问题描述。")})
    problem = MetrologyProblem(
        visit=locked,
        category=category,
        description=(description or "").strip(),
        raised_by=actor,
        raised_at=timezone.now(),
    )
    return _save_problem(problem, actor)


# What may be corrected on a ticket after it was raised; its steps have their own services.
PROBLEM_FIELDS = ("category", "description")


@transaction.atomic
def problem_update(*, actor: User, problem: MetrologyProblem, data: Mapping[str, Any]) -> MetrologyProblem:
    """Correct a ticket's category or description (the admin's door) while its visit is not approved."""
    locked = _problem_for_change(actor, problem)
    if locked.visit.is_locked:
        raise ValidationError(_("该服务记录已审核通过，其问题不能再修改。"))
    changed = _assign(locked, data, PROBLEM_FIELDS)
    if not changed:
        return locked
    return _save_problem(locked, actor)


def _problem_for_change(actor: Any, problem: MetrologyProblem) -> MetrologyProblem:
    """The ticket locked for update: 404 out of the actor's scope, 403 without the permission."""
    try:
        locked = (
            scope_to_user(MetrologyProblem.objects.all(), actor, unit_field=MetrologyProblem.unit_scope_field)
            .select_for_update(of=("self",))
            .select_related("visit")
            .get(pk=problem.pk)
        )
    except MetrologyProblem.DoesNotExist as exc:
        raise Http404 from exc
    if not may_handle_problem(actor):
        raise _problem_denied()
    return locked


def _advance(actor: Any, problem: MetrologyProblem, to_status: str) -> MetrologyProblem:
    """The ticket locked for its next step (404 out of scope, 403 without the permission), the steps
    in order."""
    locked = _problem_for_change(actor, problem)
    if NEXT_STATUS.get(Status(locked.status)) != to_status:
        raise ValidationError(
            _(
                "问题当前为“%(current)s”，不能改为“%(target)s”（须依次：已提出 → 已指派 → 已解决 → 企业已确认）。"
            )
            % {"current": locked.get_status_display(), "target": Status(to_status).label}
        )
    locked.status = to_status
    return locked


def _save_problem(problem: MetrologyProblem, actor: Any) -> MetrologyProblem:
    problem.full_clean()
    problem._history_user = actor  # type: ignore[attr-defined]
    problem.save()
    return problem


@transaction.atomic
def problem_assign(
    *, actor: User, problem: MetrologyProblem, assigned_unit: Unit | None, assignee_name: str = ""
) -> MetrologyProblem:
    """已提出 → 已指派: who will solve it (a unit such as 巫山检测所, and optionally a person)."""
    locked = _advance(actor, problem, Status.ASSIGNED)
    if assigned_unit is None:
        raise ValidationError({"assigned_unit": _("请选择承办单位。")})
    locked.assigned_unit, locked.assignee_name = assigned_unit, (assignee_name or "").strip()
    locked.assigned_by, locked.assigned_at = actor, timezone.now()
    return _save_problem(locked, actor)


@transaction.atomic
def problem_solve(*, actor: User, problem: MetrologyProblem, solution: str) -> MetrologyProblem:
    """已指派 → 已解决, with what was done."""
    locked = _advance(actor, problem, Status.SOLVED)
    solution = (solution or "").strip()
    if not solution:
        raise ValidationError({"solution": _("标记为已解决须填写解决措施。")})
    locked.solution, locked.solved_by, locked.solved_at = solution, actor, timezone.now()
    return _save_problem(locked, actor)


@transaction.atomic
def problem_confirm(
    *, actor: User, problem: MetrologyProblem, confirmed_by_name: str, note: str = ""
) -> MetrologyProblem:
    """已解决 → 企业已确认: the enterprise (which has no login) confirms; the office records who said so."""
    locked = _advance(actor, problem, Status.CONFIRMED)
    confirmed_by_name = (confirmed_by_name or "").strip()
    if not confirmed_by_name:
        raise ValidationError({"confirmed_by_name": _("请填写企业确认人。")})
    locked.confirmed_by_name, locked.confirmation_note = confirmed_by_name, (note or "").strip()
    locked.confirmation_recorded_by, locked.confirmed_at = actor, timezone.now()
    return _save_problem(locked, actor)


# --- 诚信计量 (commitments and list entries: owned by the recording office, never deleted) -----------

Kind = IntegrityEntry.Kind

# Listing one kind ends the open entries it replaces, with this reason: a red card supersedes a yellow
# one, and a black-list entry ends 示范单位 and 红名单 status.
SUPERSEDES: dict[str, dict[str, Any]] = {
    Kind.RED_CARD: {Kind.YELLOW_CARD: _("升级为红牌警告")},
    Kind.BLACK_LIST: {Kind.DEMONSTRATION: _("列入黑名单"), Kind.RED_LIST: _("列入黑名单")},
}
# Kinds that cannot be granted while the enterprise is on the black list.
BLOCKED_BY_BLACK_LIST = (Kind.DEMONSTRATION, Kind.RED_LIST)


def _recording_unit(actor: User) -> Unit:
    unit = visiting_unit_for(actor)
    if unit is None:
        raise PermissionDenied(_("您的账号未关联单位，不能登记。"))
    return unit


def _clean_errors(instance: models.Model, date_field: str, day: Any) -> dict[str, Any]:
    """The row's field and model errors (constraints are checked under a lock by the caller), and a date
    in the future refused, all at once so that the user fixes them in one go."""
    errors: dict[str, Any] = {}
    try:
        instance.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if date_field not in errors and day and day > timezone.localdate():
        errors[date_field] = [_("日期不能晚于今天。")]
    return errors


@transaction.atomic
def commitment_create(
    *, actor: User, data: Mapping[str, Any], photos: list[Any] | None = None
) -> IntegrityCommitment:
    """Record a signed 承诺书 under the actor's unit, with its text, its photos, or both."""
    _require(actor, "enterprises.add_integritycommitment", _("您没有登记诚信承诺的权限。"))
    commitment = IntegrityCommitment(created_by=actor, unit=_recording_unit(actor))
    _assign(commitment, data, IntegrityCommitment.commitment_fields)
    commitment.text = (commitment.text or "").strip()
    errors = _clean_errors(commitment, "signed_on", commitment.signed_on)
    if not commitment.text and not photos:
        errors.setdefault("text", []).append(_("请填写承诺内容或上传承诺书照片。"))
    if errors:
        raise ValidationError(errors)
    commitment._history_user = actor  # type: ignore[attr-defined]
    commitment.save()
    photos_attach(actor=actor, record=commitment, photos=list(photos or []), caption=str(_("承诺书")))
    return commitment


@transaction.atomic
def integrity_entry_create(*, actor: User, data: Mapping[str, Any]) -> IntegrityEntry:
    """List an enterprise (示范单位, 红名单, 黑名单) or warn a market trader (黄牌, 红牌) under the actor's
    unit. An open entry of the same kind is refused; the entries this kind supersedes end today."""
    _require(actor, "enterprises.add_integrityentry", _("您没有登记诚信名单的权限。"))
    entry = IntegrityEntry(created_by=actor, unit=_recording_unit(actor))
    _assign(entry, data, IntegrityEntry.entry_fields)
    entry.reason = (entry.reason or "").strip()
    errors = _clean_errors(entry, "started_on", entry.started_on)
    if errors:
        raise ValidationError(errors)
    # Locks the enterprise's row, so two offices listing it at once take turns on the checks below.
    Enterprise.objects.select_for_update().get(pk=entry.enterprise_id)
    open_entries = IntegrityEntry.objects.filter(enterprise_id=entry.enterprise_id, ended_on__isnull=True)
    if open_entries.filter(kind=entry.kind).exists():
        raise ValidationError(
            {"kind": _("该企业已有未终止的“%(kind)s”记录，请先终止。") % {"kind": entry.get_kind_display()}}
        )
    if entry.kind in BLOCKED_BY_BLACK_LIST and open_entries.filter(kind=Kind.BLACK_LIST).exists():
        raise ValidationError(
            {"kind": _("该企业在黑名单中，不能认定为“%(kind)s”。") % {"kind": entry.get_kind_display()}}
        )
    for kind, end_reason in SUPERSEDES.get(entry.kind, {}).items():
        for superseded in open_entries.filter(kind=kind):
            _end(
                superseded,
                actor=actor,
                ended_on=max(entry.started_on, superseded.started_on),
                reason=str(end_reason),
            )
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
    return entry


def _end(entry: IntegrityEntry, *, actor: User, ended_on: Any, reason: str) -> IntegrityEntry:
    entry.ended_on, entry.end_reason, entry.ended_by = ended_on, reason, actor
    entry.full_clean(validate_constraints=False)
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save(update_fields=["ended_on", "end_reason", "ended_by"])
    return entry


@transaction.atomic
def integrity_entry_end(*, actor: User, entry: IntegrityEntry, ended_on: Any, reason: str) -> IntegrityEntry:
    """End an open entry (撤销, 摘牌, 移出名单) with a reason; the entry itself stays as history.

    Out of the actor's scope is Http404; in scope without the change permission, PermissionDenied.
    """
    locked = get_for_user(IntegrityEntry.objects.select_for_update(), actor, pk=entry.pk)
    _require(actor, "enterprises.change_integrityentry", _("您没有修改诚信名单的权限。"))
    if locked.ended_on is not None:
        raise ValidationError(_("该记录已于 %(day)s 终止。") % {"day": f"{locked.ended_on:%Y-%m-%d}"})
    reason = (reason or "").strip()
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("请填写终止理由。")
    if ended_on is None:
        errors["ended_on"] = _("请填写终止日期。")
    elif ended_on < locked.started_on:
        errors["ended_on"] = _("终止日期不能早于起始日期。")
    elif ended_on > timezone.localdate():
        errors["ended_on"] = _("日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    return _end(locked, actor=actor, ended_on=ended_on, reason=reason)
