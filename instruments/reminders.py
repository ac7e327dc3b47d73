"""Verification reminders to instrument owners: due within 30 days, and overdue.

Each confirmed 强检 line in use whose owner keeps a contact (an e-mail or a 企业微信/钉钉 robot) gets at
most one notice per kind and day, whatever reruns, retries or double beats happen: the OwnerReminder
row (unique instrument, kind, day) and its Digest (unique kind, audience, day) are the claim, and the
Digest's deliveries are the send log. A due notice goes once per validity period (none since the
window opened); an overdue notice goes on the first overdue run and then every 30 days, so a missed
beat delays a notice by a day rather than losing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from inspections.verification import VerificationStatus
from instruments.models import OwnerContact, OwnerReminder, RegisteredInstrument
from instruments.selectors import status_expression
from notifications.services import digest_create

DUE_WITHIN = dt.timedelta(days=30)
OVERDUE_EVERY = dt.timedelta(days=30)
# e-CQS, where owners book verification (预约检定); the bureau may point it at the provincial system.
BOOKING_HINT = "请登录全国计量器具强制检定管理系统（e-CQS）或本省强检系统预约检定。"


@dataclass(frozen=True)
class ReminderRun:
    due: int
    overdue: int


def _with_contact() -> Q:
    contact = OwnerContact.objects.filter(owner=OuterRef("owner"), reminders_enabled=True).filter(
        ~Q(email="") | Q(robot__is_active=True)
    )
    return Q(Exists(contact))


def _reminded_since(kind: str, since: dt.date) -> Exists:
    return Exists(OwnerReminder.objects.filter(instrument=OuterRef("pk"), kind=kind, day__gte=since))


def _candidates(day: dt.date) -> tuple[list[RegisteredInstrument], list[RegisteredInstrument]]:
    lines = (
        RegisteredInstrument.objects.confirmed()
        .mandatory()
        .filter(_with_contact())
        .annotate(status_today=status_expression(day))
        .select_related("owner__instrument_contact__robot", "instrument_type")
        .order_by("pk")
    )
    due = lines.filter(
        status_today=VerificationStatus.VALID.value,
        instrument_type__first_verification_only=False,
        valid_until__lte=day + DUE_WITHIN,
    ).exclude(_reminded_since(OwnerReminder.Kind.DUE, day - DUE_WITHIN))
    overdue = lines.filter(
        status_today__in=[VerificationStatus.OVERDUE.value, VerificationStatus.LIFE_EXPIRED.value]
    ).exclude(_reminded_since(OwnerReminder.Kind.OVERDUE, day - OVERDUE_EVERY + dt.timedelta(days=1)))
    return list(due), list(overdue)


def _message(line: RegisteredInstrument, kind: str) -> tuple[str, str]:
    values = {
        "owner": line.owner.name,
        "name": line.name,
        "serial": line.serial_no or "—",
        "code": line.code,
        "location": line.location,
        "until": f"{line.valid_until:%Y-%m-%d}" if line.valid_until else "—",
    }
    if kind == OwnerReminder.Kind.DUE:
        subject = _("【计量器具检定到期提醒】%(name)s（%(code)s）") % values
        body = (
            _(
                "%(owner)s：贵单位的%(name)s（出厂编号 %(serial)s，器具码 %(code)s，安装地点 %(location)s）"
                "检定有效期至 %(until)s，请在到期前申请周期检定。"
            )
            % values
        )
    else:
        subject = _("【计量器具超期未检提醒】%(name)s（%(code)s）") % values
        body = (
            _(
                "%(owner)s：贵单位的%(name)s（出厂编号 %(serial)s，器具码 %(code)s，安装地点 %(location)s）"
                "检定有效期至 %(until)s，已超期或已到使用期限，请立即停止用于贸易结算等强检用途并申请检定或轮换。"
            )
            % values
        )
    return subject, f"{body}{_(BOOKING_HINT)}"


def _notify(line: RegisteredInstrument, kind: str, day: dt.date) -> bool:
    """Claim (line, kind, day) and plan the notice; False if it was claimed before."""
    contact = line.owner.instrument_contact
    subject, body = _message(line, kind)
    try:
        with transaction.atomic():
            reminder = OwnerReminder.objects.create(instrument=line, kind=kind, day=day)
            digest = digest_create(
                kind=f"instrument_{kind}",
                audience=f"instrument:{line.pk}",
                day=day,
                subject=subject,
                body=body,
                recipients=[],
                emails=[contact.email] if contact.email else [],
                robots=[contact.robot] if contact.robot is not None else [],
            )
            if digest is None:
                raise IntegrityError("digest already claimed")
            reminder.digest = digest
            reminder.save(update_fields=["digest"])
    except IntegrityError:
        return False
    return True


def owner_reminders_send(*, day: dt.date) -> ReminderRun:
    """Send the day's due and overdue notices to owners (idempotent per instrument, kind and day)."""
    due, overdue = _candidates(day)
    sent_due = sum(_notify(line, OwnerReminder.Kind.DUE, day) for line in due)
    sent_overdue = sum(_notify(line, OwnerReminder.Kind.OVERDUE, day) for line in overdue)
    return ReminderRun(due=sent_due, overdue=sent_overdue)
