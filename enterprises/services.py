"""Every write to the enterprise registry, SME service visits and their problem tickets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from evidence.processing import ProcessedPhoto
from evidence.services import photos_attach
from organizations.access import sees_all_units
from organizations.models import Unit
from records import services as record_services

Status = MetrologyProblem.Status

# The section that leads workstream 4 (notice 二（四）): bureau staff without a unit of their own log
# their visits under it.
LEAD_SECTION_NAME = "价监科"


# --- Enterprises ---------------------------------------------------------------------------------


def _save_enterprise(enterprise: Enterprise, actor: Any) -> Enterprise:
    enterprise.full_clean()
    enterprise._history_user = actor  # type: ignore[attr-defined]
    try:
        # A savepoint, so that losing a race for the same credit code leaves the caller's transaction usable.
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as exc:
        if Enterprise.objects.filter(credit_code=enterprise.credit_code).exclude(pk=enterprise.pk).exists():
            raise ValidationError({"credit_code": _("该统一社会信用代码已登记，请勿重复添加。")}) from exc
        raise
    return enterprise


@transaction.atomic
def enterprise_create(*, actor: Any, data: dict[str, Any]) -> Enterprise:
    """Add an enterprise to the shared registry; its credit code is normalised and checked."""
    return _save_enterprise(Enterprise(**data, created_by=actor), actor)


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    for name, value in data.items():
        setattr(locked, name, value)
    return _save_enterprise(locked, actor)


# --- Partnerships (伙伴计划) -------------------------------------------------------------------------


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
def partnership_save(*, actor: Any, partnership: Partnership, partners: Iterable[Enterprise]) -> Partnership:
    """Create or change a pairing and its SMEs in one transaction; the history records the partners too."""
    partners = list(partners)
    validate_partners(lead=partnership.lead, partners=partners)
    partnership.full_clean()
    partnership._history_user = actor  # type: ignore[attr-defined]
    partnership.save()
    partnership.partners.set(partners)
    return partnership


# --- Visits ----------------------------------------------------------------------------------------


def visiting_unit_for(actor: Any) -> Unit:
    """The unit a visit is logged under: the actor's own, or 价监科 for bureau staff without one."""
    if actor.unit_id is not None:
        return actor.unit
    if sees_all_units(actor):
        section = Unit.objects.filter(name=LEAD_SECTION_NAME).first()
        if section is not None:
            return section
    raise ValidationError(_("您的账号未关联单位，不能登记企业服务记录。"))


@transaction.atomic
def visit_create(
    *,
    actor: Any,
    campaign: Campaign | None,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
) -> EnterpriseVisit:
    """Log a visit under the actor's unit in `campaign`; neither comes from the form."""
    if campaign is None:
        raise ValidationError(_("尚未建立活动，不能登记企业服务记录。"))
    visit = EnterpriseVisit(**data, campaign=campaign, unit=visiting_unit_for(actor), created_by=actor)
    visit.full_clean()
    visit._history_user = actor  # type: ignore[attr-defined]
    visit.save()
    photos_attach(actor=actor, record=visit, photos=photos)
    if submit:
        visit = record_services.record_submit(actor=actor, record=visit)
    return visit


@transaction.atomic
def visit_update(
    *,
    actor: Any,
    visit: EnterpriseVisit,
    data: dict[str, Any],
    photos: list[ProcessedPhoto],
    submit: bool = False,
) -> EnterpriseVisit:
    """Change a visit that is not yet approved; its unit and campaign stay as they were."""
    locked = EnterpriseVisit.objects.select_for_update().select_related("campaign").get(pk=visit.pk)
    record_services.record_ensure_editable(record=locked)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    photos_attach(actor=actor, record=locked, photos=photos)
    if submit and locked.can_submit:
        locked = record_services.record_submit(actor=actor, record=locked)
    return locked


# --- Problem tickets -------------------------------------------------------------------------------

NEXT_STATUS = {
    Status.RAISED: Status.ASSIGNED,
    Status.ASSIGNED: Status.SOLVED,
    Status.SOLVED: Status.CONFIRMED,
}


def _ensure_may_handle(actor: Any, visit: EnterpriseVisit, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("您没有办理企业计量问题的权限。"))
    if not sees_all_units(actor) and actor.unit_id != visit.unit_id:
        raise PermissionDenied(_("只能办理本单位服务记录中的问题。"))


@transaction.atomic
def problem_raise(*, actor: Any, visit: EnterpriseVisit, category: str, description: str) -> MetrologyProblem:
    """Record a problem the enterprise raised during the visit (while the visit is not yet approved)."""
    _ensure_may_handle(actor, visit, "enterprises.add_metrologyproblem")
    locked = EnterpriseVisit.objects.select_for_update().get(pk=visit.pk)
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
    problem.full_clean()
    problem._history_user = actor  # type: ignore[attr-defined]
    problem.save()
    return problem


def _advance(actor: Any, problem: MetrologyProblem, to_status: str) -> MetrologyProblem:
    locked = MetrologyProblem.objects.select_for_update().select_related("visit").get(pk=problem.pk)
    _ensure_may_handle(actor, locked.visit, "enterprises.change_metrologyproblem")
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
    *, actor: Any, problem: MetrologyProblem, assigned_unit: Unit | None, assignee_name: str = ""
) -> MetrologyProblem:
    """已提出 → 已指派: who will solve it (a unit such as 巫山检测所, and optionally a person)."""
    locked = _advance(actor, problem, Status.ASSIGNED)
    if assigned_unit is None:
        raise ValidationError({"assigned_unit": _("请选择承办单位。")})
    locked.assigned_unit, locked.assignee_name = assigned_unit, (assignee_name or "").strip()
    locked.assigned_by, locked.assigned_at = actor, timezone.now()
    return _save_problem(locked, actor)


@transaction.atomic
def problem_solve(*, actor: Any, problem: MetrologyProblem, solution: str) -> MetrologyProblem:
    """已指派 → 已解决, with what was done."""
    locked = _advance(actor, problem, Status.SOLVED)
    solution = (solution or "").strip()
    if not solution:
        raise ValidationError({"solution": _("标记为已解决须填写解决措施。")})
    locked.solution, locked.solved_by, locked.solved_at = solution, actor, timezone.now()
    return _save_problem(locked, actor)


@transaction.atomic
def problem_confirm(
    *, actor: Any, problem: MetrologyProblem, confirmed_by_name: str, note: str = ""
) -> MetrologyProblem:
    """已解决 → 企业已确认: the enterprise (which has no login) confirms; the office records who said so."""
    locked = _advance(actor, problem, Status.CONFIRMED)
    confirmed_by_name = (confirmed_by_name or "").strip()
    if not confirmed_by_name:
        raise ValidationError({"confirmed_by_name": _("请填写企业确认人。")})
    locked.confirmed_by_name, locked.confirmation_note = confirmed_by_name, (note or "").strip()
    locked.confirmation_recorded_by, locked.confirmed_at = actor, timezone.now()
    return _save_problem(locked, actor)
