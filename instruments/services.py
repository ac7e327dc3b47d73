"""Every write to the instrument register, whatever the door (form, API, admin, import, job, scan page).

The read-write gate runs in the kit's order: out of the actor's scope is Http404, in scope but not
allowed is PermissionDenied (403), then the rules (ValidationError). Only allow-listed fields are set
(`INSTRUMENT_FIELDS`); the code, the unit, the entry status and the facts copied from inspections are
the server's. Every change is in the row's history under the actor's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.selectors import campaign_current
from core.spreadsheets import apply_changes
from enterprises.models import Enterprise
from inspections import services as inspection_services
from inspections.models import InspectedInstrument, InspectionRecord, PlannedInspection
from instruments.models import (
    INSTRUMENT_FIELDS,
    EntryStatus,
    InspectionLead,
    InstrumentRating,
    InstrumentScan,
    MarketLedger,
    OwnerContact,
    ProblemReport,
    RegisteredInstrument,
    normalise_code,
)
from notifications.models import Robot
from opinion.models import OpinionIncident
from opinion.services import incident_from_public_feedback
from organizations.access import get_for_user, in_scope, scope_to_user, scopes_as_cooperator, sees_all_units
from organizations.models import Unit, User
from records.services import may_review, reviews_as_office

PUBLIC_TEXT_MAX = 1000


def _require(actor: Any, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(message)


def _assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allow-listed keys of `data`; refuse any other key by name; return what changed."""
    refused = sorted(set(data) - set(allowed))
    if refused:
        raise ValidationError({name: _("该字段不能在此修改。") for name in refused})
    return apply_changes(instance, dict(data))


# --- Reading one instrument -------------------------------------------------------------------------


def instrument_by_code(code: str) -> RegisteredInstrument | None:
    """The confirmed instrument a label's code names (typed or scanned: case, spaces and dashes do not
    matter), with its owner, type and office, or None. For the public scan page: no user, no scope."""
    normalised = normalise_code(code or "")
    if not normalised:
        return None
    return (
        RegisteredInstrument.objects.select_related("owner", "instrument_type", "unit", "host_market")
        .filter(code=normalised, entry_status=EntryStatus.CONFIRMED)
        .first()
    )


def instrument_get_for_change(*, actor: Any, pk: Any, lock: bool = True) -> RegisteredInstrument:
    """The instrument if `actor` may change it: 404 out of scope, 403 read-only."""
    queryset = scope_to_user(RegisteredInstrument.objects.all(), actor)
    try:
        instrument = (queryset.select_for_update() if lock else queryset).get(pk=pk)
    except (RegisteredInstrument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    _require(actor, "instruments.change_registeredinstrument", _("您没有修改器具台账的权限。"))
    return instrument


# --- Create and update ------------------------------------------------------------------------------


def market_ledger_of(actor: Any) -> MarketLedger | None:
    """The market a 协办单位 account keeps the scale ledger of, or None."""
    if actor.unit_id is None:
        return None
    return (
        MarketLedger.objects.select_related("market", "office").filter(market_unit_id=actor.unit_id).first()
    )


def enters_as_market_operator(actor: Any) -> bool:
    """A market operator's 协办单位 account, whose lines await review (a superuser is not one:
    organizations.access.scopes_as_cooperator)."""
    return scopes_as_cooperator(actor)


def entry_owner(actor: Any, unit: Unit | None) -> tuple[Unit, Unit | None, str]:
    """(supervising office, market unit, entry status) of a new line entered by `actor`."""
    if enters_as_market_operator(actor):
        ledger = market_ledger_of(actor)
        if ledger is None:
            raise PermissionDenied(_("您的市场尚未开通计量器具台账，请联系监管的市场监管所。"))
        return ledger.office, ledger.market_unit, EntryStatus.PENDING
    if sees_all_units(actor):
        chosen = unit or actor.unit
        if chosen is None or chosen.kind not in (Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT, Unit.Kind.SECTION):
            raise ValidationError({"unit": _("请选择监管单位（市场监管所）。")})
        return chosen, None, EntryStatus.CONFIRMED
    if actor.unit_id is None:
        raise PermissionDenied(_("您的账号未关联单位，不能登记。"))
    return actor.unit, None, EntryStatus.CONFIRMED


def _clean_and_save(actor: Any, instrument: RegisteredInstrument) -> RegisteredInstrument:
    instrument.full_clean()
    instrument._history_user = actor  # type: ignore[attr-defined]
    instrument.save()
    return instrument


@transaction.atomic
def instrument_create(
    *, actor: User, data: Mapping[str, Any], unit: Unit | None = None
) -> RegisteredInstrument:
    """Register an instrument (a 公平秤 too) for its owner, under the supervising office.

    An office's line is confirmed at once under its own unit; the bureau names the office (`unit`); a
    market operator's (协办单位) line goes to its market's supervising office for review (待审核).
    """
    _require(actor, "instruments.add_registeredinstrument", _("您没有登记计量器具的权限。"))
    office, market_unit, status = entry_owner(actor, unit)
    instrument = RegisteredInstrument(
        created_by=actor, unit=office, market_unit=market_unit, entry_status=status
    )
    _assign(instrument, data, INSTRUMENT_FIELDS)
    return _clean_and_save(actor, instrument)


@transaction.atomic
def instrument_update(
    *, actor: User, instrument: RegisteredInstrument, data: Mapping[str, Any]
) -> RegisteredInstrument:
    """Change a line's allow-listed fields. A market operator's change goes back for review."""
    locked = instrument_get_for_change(actor=actor, pk=instrument.pk)
    changed = _assign(locked, data, INSTRUMENT_FIELDS)
    if not changed:
        return locked
    if enters_as_market_operator(actor):
        locked.entry_status, locked.return_reason = EntryStatus.PENDING, ""
    return _clean_and_save(actor, locked)


def may_review_entries(actor: Any, instrument: RegisteredInstrument) -> bool:
    """The supervising office reviews its market operators' lines; the bureau may too."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    return may_review(actor) or (reviews_as_office(actor) and actor.unit_id == instrument.unit_id)


def _for_review(actor: Any, instrument: RegisteredInstrument) -> RegisteredInstrument:
    locked = get_for_user(RegisteredInstrument.objects.select_for_update(), actor, pk=instrument.pk)
    if not may_review_entries(actor, locked):
        raise PermissionDenied(_("您没有审核该台账记录的权限。"))
    if locked.entry_status != EntryStatus.PENDING:
        raise ValidationError(_("只有“待审核”的台账记录可以审核。"))
    return locked


@transaction.atomic
def instrument_confirm(*, actor: User, instrument: RegisteredInstrument) -> RegisteredInstrument:
    """待审核 → 已确认: the line counts in the register's figures and gets reminders."""
    locked = _for_review(actor, instrument)
    locked.entry_status, locked.return_reason = EntryStatus.CONFIRMED, ""
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["entry_status", "return_reason", "updated_at"])
    return locked


@transaction.atomic
def instrument_return(*, actor: User, instrument: RegisteredInstrument, reason: str) -> RegisteredInstrument:
    """待审核 → 已退回, with the reason the market operator reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": _("退回须填写原因。")})
    locked = _for_review(actor, instrument)
    locked.entry_status, locked.return_reason = EntryStatus.RETURNED, reason
    locked.full_clean()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["entry_status", "return_reason", "updated_at"])
    return locked


# --- The register follows approved inspections ------------------------------------------------------

COPIED_FACTS = (
    "result",
    "verified_on",
    "valid_until",
    "service_life_end",
    "certificate_no",
    "verifying_body",
)


def register_follow_inspection(*, inspection: InspectionRecord) -> int:
    """Copy each listed instrument's verification facts and its computed status to its register line,
    when this inspection is the line's latest (an older inspection approved late changes nothing).

    Called in the approval's transaction (instruments.signals); returns the number of lines updated.
    """
    rows = list(
        InspectedInstrument.objects.filter(inspection=inspection, registered__isnull=False).select_related(
            "instrument_type"
        )
    )
    if not rows:
        return 0
    lines = RegisteredInstrument.objects.select_for_update().in_bulk([row.registered_id for row in rows])
    updated = 0
    for row in rows:
        line = lines.get(row.registered_id)
        if line is None or (line.last_inspected_on is not None and line.last_inspected_on > inspection.date):
            continue
        for name in COPIED_FACTS:
            setattr(line, name, getattr(row, name))
        line.inspection_status = row.status_on(inspection.date)
        line.last_inspection, line.last_inspected_on = inspection, inspection.date
        line._history_user = inspection.reviewed_by  # type: ignore[attr-defined]
        line.save(
            update_fields=[
                *COPIED_FACTS,
                "inspection_status",
                "last_inspection",
                "last_inspected_on",
                "updated_at",
            ]
        )
        updated += 1
    return updated


# --- The public: ratings and problem reports --------------------------------------------------------


def rating_create(*, instrument: RegisteredInstrument, score: int) -> InstrumentRating:
    """A member of the public rates an instrument 1–5 (the caller rate-limits)."""
    rating = InstrumentRating(instrument=instrument, score=score)
    rating.full_clean()
    rating.save()
    return rating


# Crawlers and link previews open pages too; they are not scans. The rest is classed coarsely.
_BOT_MARKERS = ("bot", "spider", "crawl", "slurp", "preview", "headless", "python-requests", "curl/")
_MOBILE_MARKERS = ("mobile", "android", "iphone", "ipad", "harmonyos")


def scan_agent(user_agent: str) -> str | None:
    """The coarse class of a browser's User-Agent (InstrumentScan.Agent), or None for a robot."""
    agent = (user_agent or "").lower()
    if not agent or any(marker in agent for marker in _BOT_MARKERS):
        return None
    if "micromessenger" in agent:
        return InstrumentScan.Agent.WECHAT
    if "alipayclient" in agent:
        return InstrumentScan.Agent.ALIPAY
    if any(marker in agent for marker in _MOBILE_MARKERS):
        return InstrumentScan.Agent.MOBILE
    return InstrumentScan.Agent.DESKTOP


def scan_log(*, instrument: RegisteredInstrument, via_qr: bool, user_agent: str) -> InstrumentScan | None:
    """Log one opening of the instrument's scan page (the caller rate-limits per address): only the
    instrument, the time, whether the label's QR code opened it and the browser's class. A robot's
    visit is not a scan and is not logged (None)."""
    agent = scan_agent(user_agent)
    if agent is None:
        return None
    return InstrumentScan.objects.create(
        instrument=instrument, day=timezone.localdate(), via_qr=via_qr, agent=agent
    )


@transaction.atomic
def problem_report(*, instrument: RegisteredInstrument, text: str, contact: str = "") -> ProblemReport:
    """A member of the public reports a problem with an instrument (the caller rate-limits and decides
    whether `contact` may be kept): it is kept with the instrument and lands on the supervising office's
    舆情 desk as an incident at once; the office may turn it into an inspection lead."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写问题描述。")})
    if len(text) > PUBLIC_TEXT_MAX:
        raise ValidationError({"text": _("问题描述不能超过 %(n)d 字。") % {"n": PUBLIC_TEXT_MAX}})
    report = ProblemReport(instrument=instrument, text=text, contact=(contact or "").strip())
    report.full_clean()
    campaign = campaign_current()
    if campaign is None:
        raise ValidationError(_("尚未建立活动，暂不能受理，请拨打 12315 反映。"))
    place = _("%(owner)s 的%(name)s（器具码 %(code)s）") % {
        "owner": instrument.owner.name,
        "name": instrument.name,
        "code": instrument.code,
    }
    report.incident = incident_from_public_feedback(
        unit=instrument.unit,
        campaign=campaign,
        place=place,
        address=instrument.location,
        complaint=True,
        domain=instrument.instrument_type.domain,
        text=text,
        contact=report.contact,
        page=_("计量器具扫码页面"),
        discovered_by=_("公众（器具扫码）"),
    )
    report.save()
    return report


# --- Inspection leads --------------------------------------------------------------------------------


def _require_lead_rights(actor: Any) -> None:
    _require(actor, "instruments.add_inspectionlead", _("您没有登记检查线索的权限。"))


def _lead_save(actor: Any, lead: InspectionLead) -> InspectionLead:
    lead.full_clean()
    lead._history_user = actor  # type: ignore[attr-defined]
    lead.save()
    return lead


@transaction.atomic
def lead_from_problem_report(*, actor: User, report: ProblemReport) -> InspectionLead:
    """Turn a problem reported from a scan page into an inspection lead for the instrument's office."""
    _require_lead_rights(actor)
    report = get_for_user(
        ProblemReport.objects.select_related("instrument__owner").select_for_update(),
        actor,
        pk=report.pk,
        unit_field="instrument__unit",
    )
    existing = InspectionLead.objects.filter(problem_report=report).first()
    if existing is not None:
        return existing
    instrument = report.instrument
    lead = InspectionLead(
        unit_id=instrument.unit_id,
        instrument=instrument,
        owner=instrument.owner,
        incident=report.incident
        if report.incident_id and not InspectionLead.objects.filter(incident_id=report.incident_id).exists()
        else None,
        problem_report=report,
        summary=_("扫码反映：%(text)s") % {"text": report.text},
        created_by=actor,
    )
    return _lead_save(actor, lead)


@transaction.atomic
def lead_from_incident(*, actor: User, incident: OpinionIncident) -> InspectionLead:
    """Turn a 舆情 incident (a station's public feedback, a scan-page problem) into an inspection lead
    for its handling office; one lead per incident."""
    _require_lead_rights(actor)
    incident = get_for_user(
        OpinionIncident.objects.select_for_update(), actor, pk=incident.pk, unit_field="handling_unit"
    )
    existing = InspectionLead.objects.filter(incident=incident).first()
    if existing is not None:
        return existing
    report = ProblemReport.objects.filter(incident=incident).select_related("instrument").first()
    lead = InspectionLead(
        unit_id=incident.handling_unit_id,
        instrument=report.instrument if report else None,
        owner=report.instrument.owner if report else None,
        incident=incident,
        problem_report=report if report and not hasattr(report, "lead") else None,
        summary=_("舆情：%(title)s。%(summary)s") % {"title": incident.title, "summary": incident.summary},
        created_by=actor,
    )
    return _lead_save(actor, lead)


def may_handle_leads(actor: Any) -> bool:
    """Whether `actor` may plan or dismiss inspection leads (leadership may not); the pages ask it
    before they read a form, `_lead_for_change` again with the row locked."""
    return bool(actor.has_perm("instruments.change_inspectionlead"))


def _lead_for_change(actor: Any, lead: InspectionLead) -> InspectionLead:
    locked = get_for_user(InspectionLead.objects.select_for_update(), actor, pk=lead.pk)
    if not may_handle_leads(actor):
        raise PermissionDenied(_("您没有处理检查线索的权限。"))
    if locked.status != InspectionLead.Status.OPEN:
        raise ValidationError(_("该线索已处理（%(status)s）。") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def lead_plan(
    *,
    actor: User,
    lead: InspectionLead,
    planned_for: dt.date,
    party: Enterprise | None = None,
    domain: str = "",
) -> PlannedInspection:
    """Plan an inspection from a lead (through inspections' services); the lead is then 已安排检查."""
    locked = _lead_for_change(actor, lead)
    party = party or locked.owner
    if party is None:
        raise ValidationError({"party": _("请选择被检查单位。")})
    if not domain and locked.instrument_id:
        domain = locked.instrument.instrument_type.domain  # type: ignore[union-attr]
    plan = inspection_services.inspection_plan(
        actor=actor,
        unit=locked.unit,
        data={"party": party, "domain": domain, "planned_for": planned_for, "reason": locked.summary[:1000]},
    )
    locked.status, locked.planned_inspection = InspectionLead.Status.PLANNED, plan
    _lead_save(actor, locked)
    return plan


@transaction.atomic
def lead_dismiss(*, actor: User, lead: InspectionLead, reason: str) -> InspectionLead:
    """不予处理, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"closed_reason": _("请填写不予处理的理由。")})
    locked = _lead_for_change(actor, lead)
    locked.status, locked.closed_reason = InspectionLead.Status.DISMISSED, reason
    return _lead_save(actor, locked)


# --- Owner contacts ---------------------------------------------------------------------------------


@transaction.atomic
def owner_contact_save(
    *,
    actor: User,
    owner: Enterprise,
    data: Mapping[str, Any],
    robot_kind: str = "",
    robot_url: str = "",
    robot_secret: str | None = None,
) -> OwnerContact:
    """Set where `owner` gets its reminders: an e-mail and/or a 企业微信/钉钉 robot (one per owner).

    The contact belongs to the office that first entered it (scope); `robot_secret` None keeps the
    stored secret (forms never echo it).
    """
    contact = OwnerContact.objects.select_for_update().filter(owner=owner).first()
    if contact is None:
        _require(actor, "instruments.add_ownercontact", _("您没有登记提醒联系人的权限。"))
        if actor.unit_id is None:
            raise PermissionDenied(_("您的账号未关联单位，不能登记。"))
        contact = OwnerContact(owner=owner, unit_id=actor.unit_id)
    else:
        contact = get_for_user(OwnerContact.objects.select_for_update(), actor, pk=contact.pk)
        _require(actor, "instruments.change_ownercontact", _("您没有修改提醒联系人的权限。"))
    _assign(contact, {k: v for k, v in data.items() if k != "owner"}, OwnerContact.contact_fields)
    errors: dict[str, Any] = {}
    robot_url = (robot_url or "").strip()
    if not contact.email and not robot_url:
        errors["email"] = _("请至少填写电子邮箱或群机器人 Webhook 地址。")
    if robot_url and not robot_kind:
        errors["robot_kind"] = _("填写 Webhook 地址时须选择群机器人类型。")
    if errors:
        raise ValidationError(errors)
    contact.full_clean()
    robot = contact.robot
    if robot_url:
        robot = robot or Robot()
        robot.kind, robot.url, robot.label = robot_kind, robot_url, owner.name[:150]
        if robot_secret is not None:
            robot.secret = robot_secret
        robot.full_clean()
        robot._history_user = actor  # type: ignore[attr-defined]
        robot.save()
        contact.robot = robot
    elif robot is not None:
        contact.robot = None
        robot.delete()
    contact._history_user = actor  # type: ignore[attr-defined]
    contact.save()
    if not in_scope(actor, contact):
        raise Http404
    return contact
