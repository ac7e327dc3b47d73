"""The verification status of an inspected instrument, computed from its facts and the inspection date.

The status is never stored: it depends on the day of the inspection, and the periods behind it are
editable data (InstrumentType). It is computed in two places that must agree — `verification_status`
for one instrument in Python (detail pages, the API) and `verification_status_expression` for
aggregates in the database (the statistics table) — so both live here, side by side, and a test runs
both over the same table of boundary cases.

Precedence, first match wins:
1. 非强检 — the type is not subject to mandatory verification: nothing else applies.
2. 检定不合格 — the recorded result is a failure.
3. 未检定 — the result is "not verified", or there is neither a verification date nor a valid-until date.
4. 到期未轮换 — the service life ended before the inspection day (ending on the day is still in service).
5. 超期未检 — a periodically verified instrument whose valid-until date is before the inspection day
   (valid until the inspection day itself is still valid); first-verification-only meters never expire.
6. 合格有效 — otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _


class VerificationStatus(models.TextChoices):
    VALID = "valid", _("合格有效")
    OVERDUE = "overdue", _("超期未检")
    UNVERIFIED = "unverified", _("未检定")
    FAILED = "failed", _("检定不合格")
    LIFE_EXPIRED = "life_expired", _("到期未轮换")
    NOT_MANDATORY = "not_mandatory", _("非强检")


class Result(models.TextChoices):
    """The verification result as the certificate or mark shows it."""

    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    NONE = "none", _("未检")


# The one status 合格率 counts. A 非强检 instrument owes no verification, so it is neither passing nor
# failing: it counts in 检查器具 and in neither rate (DOMAIN.md).
PASSING = (VerificationStatus.VALID,)


@dataclass(frozen=True)
class InstrumentFacts:
    mandatory: bool
    first_verification_only: bool
    result: str
    verified_on: dt.date | None
    valid_until: dt.date | None
    service_life_end: dt.date | None


def verification_status(facts: InstrumentFacts, *, on: dt.date) -> VerificationStatus:
    """The status of one instrument inspected on `on` (see the module docstring for the rules)."""
    if not facts.mandatory:
        return VerificationStatus.NOT_MANDATORY
    if facts.result == Result.FAILED:
        return VerificationStatus.FAILED
    if facts.result == Result.NONE or (facts.verified_on is None and facts.valid_until is None):
        return VerificationStatus.UNVERIFIED
    if facts.service_life_end is not None and facts.service_life_end < on:
        return VerificationStatus.LIFE_EXPIRED
    if not facts.first_verification_only and facts.valid_until is not None and facts.valid_until < on:
        return VerificationStatus.OVERDUE
    return VerificationStatus.VALID


class VerificationFactsMixin:
    """`facts` and `status_on(day)` for a model that holds an `instrument_type` and the verification
    fields: a listed instrument (InspectedInstrument) and a register line (RegisteredInstrument)
    decide their status by the one set of rules above."""

    # Declared for the type checker only: the model's own fields provide them.
    instrument_type: Any
    result: str
    verified_on: dt.date | None
    valid_until: dt.date | None
    service_life_end: dt.date | None

    @property
    def facts(self) -> InstrumentFacts:
        kind = self.instrument_type
        return InstrumentFacts(
            mandatory=kind.mandatory,
            first_verification_only=kind.first_verification_only,
            result=self.result,
            verified_on=self.verified_on,
            valid_until=self.valid_until,
            service_life_end=self.service_life_end,
        )

    def status_on(self, day: dt.date) -> VerificationStatus:
        return verification_status(self.facts, on=day)


def verification_status_expression(*, on: F | None = None) -> Case:
    """The same rules as a database expression over InspectedInstrument rows (for annotate/aggregate).

    `on` defaults to the instrument's inspection date. Comparisons with NULL dates are false in SQL,
    which is what the Python rules do with None.
    """
    day = on if on is not None else F("inspection__date")
    return Case(
        When(instrument_type__mandatory=False, then=Value(VerificationStatus.NOT_MANDATORY.value)),
        When(result=Result.FAILED, then=Value(VerificationStatus.FAILED.value)),
        When(
            Q(result=Result.NONE) | Q(verified_on__isnull=True, valid_until__isnull=True),
            then=Value(VerificationStatus.UNVERIFIED.value),
        ),
        When(service_life_end__lt=day, then=Value(VerificationStatus.LIFE_EXPIRED.value)),
        When(
            Q(instrument_type__first_verification_only=False, valid_until__lt=day),
            then=Value(VerificationStatus.OVERDUE.value),
        ),
        default=Value(VerificationStatus.VALID.value),
        output_field=models.CharField(),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def period_end(start: dt.date, months: int) -> dt.date:
    """The last valid day of a period of `months` starting on `start`, as certificates print it:
    verified on 2025-05-20 for 12 months is valid until 2026-05-19."""
    return add_months(start, months) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Figures:
    """The instrument figures of one record or of many: the columns of the statistics table and the
    two rates.

    Every 强检 instrument has exactly one status: 合格有效 (`passing`), 检定不合格, 未检定, 超期未检 or
    到期未轮换, so `mandatory` = passing + failed + unverified + overdue + life_expired. 非强检
    instruments count in `instruments` only.
    """

    instruments: int = 0
    mandatory: int = 0
    unverified: int = 0
    overdue: int = 0
    failed: int = 0
    life_expired: int = 0
    passing: int = 0
    broken_seals: int = 0

    @classmethod
    def entered(
        cls,
        *,
        instruments: int,
        mandatory: int,
        unverified: int,
        overdue: int,
        failed: int,
        life_expired: int,
        broken_seals: int,
    ) -> Figures:
        """The figures of counts entered by hand (no instruments listed): the 强检 instruments under
        no other status are 合格有效."""
        passing = mandatory - unverified - overdue - failed - life_expired
        return cls(
            instruments=instruments,
            mandatory=mandatory,
            unverified=unverified,
            overdue=overdue,
            failed=failed,
            life_expired=life_expired,
            passing=max(passing, 0),
            broken_seals=broken_seals,
        )

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__}
        )

    @property
    def inspected_rate(self) -> Decimal | None:
        """受检率 % = (合格有效 + 检定不合格) / 强检器具; None (shown “—”) without 强检 instruments."""
        return percent(self.passing + self.failed, self.mandatory)

    @property
    def pass_rate(self) -> Decimal | None:
        """合格率 % = 合格有效 / 强检器具; None (shown “—”) without 强检 instruments."""
        return percent(self.passing, self.mandatory)


RATE_PLACES = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent to one decimal, half-up (6.25 → 6.3, as the county rounds by hand:
    Decimal, never float, whose 6.25 may be stored below the half); None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
