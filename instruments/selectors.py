"""Reads of the register: scoped lists for offices, public reads for the scan page and the quarterly
list, and the 强检 coverage figures of the dashboard and the workbook.

Coverage counts confirmed lines in use only (a market operator's line awaiting review is not yet an
official figure), and the verification status as of the day asked, computed in the database by the
same rules as for one instrument (inspections.verification).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Value
from django.utils import timezone

from inspections.models import DOMAIN_ROW_LABELS, Domain
from inspections.verification import VerificationStatus, percent, verification_status_expression
from instruments.models import (
    LOW_RATING_MAX,
    EntryStatus,
    InspectionLead,
    InstrumentRating,
    InstrumentScan,
    OwnerReminder,
    ProblemReport,
    RegisteredInstrument,
    RegisteredInstrumentQuerySet,
)
from organizations.access import get_for_user, scope_to_user

LIST_RELATED = ("owner", "instrument_type", "unit", "host_market")


def status_expression(day: dt.date) -> Any:
    """The verification status of register lines on `day`, as a database expression."""
    return verification_status_expression(on=Value(day))  # type: ignore[arg-type]


def instrument_list_for_user(*, user: Any) -> QuerySet[RegisteredInstrument]:
    """The lines `user` may read, newest first, with what a list row shows (one query)."""
    return (
        scope_to_user(RegisteredInstrument.objects.all(), user)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-pk")
    )


def instrument_get_for_user(*, user: Any, pk: Any) -> RegisteredInstrument:
    return get_for_user(
        RegisteredInstrument.objects.select_related(*LIST_RELATED, "market_unit"), user, pk=pk
    )


def instruments_pending_review(*, user: Any) -> QuerySet[RegisteredInstrument]:
    """Market operators' lines awaiting the user's office (or the bureau) review."""
    return instrument_list_for_user(user=user).filter(entry_status=EntryStatus.PENDING)


def instruments_with_status(
    queryset: QuerySet[RegisteredInstrument], *, day: dt.date
) -> QuerySet[RegisteredInstrument]:
    """`queryset` annotated with `status_today`, the verification status on `day`."""
    return queryset.annotate(status_today=status_expression(day))


# --- Public reads (no user: the scan page, the quarterly list, the map) ---------------------------


def public_instruments() -> RegisteredInstrumentQuerySet:
    """Confirmed lines in use: what the public pages may show."""
    return RegisteredInstrument.objects.confirmed().select_related(*LIST_RELATED)


def fair_scales_located() -> QuerySet[RegisteredInstrument]:
    """Confirmed 公平秤 in use with coordinates, for the map and "nearest 公平秤" (one query)."""
    return public_instruments().filter(
        kind=RegisteredInstrument.Kind.FAIR_SCALE, longitude__isnull=False, latitude__isnull=False
    )


def fair_scales_to_recommend(day: dt.date) -> QuerySet[RegisteredInstrument]:
    """The located 公平秤 a public page may send a buyer to on `day`: those whose verification is valid
    then (the map shows the others too, by status; a buyer re-weighing a purchase needs a scale that is
    itself in date)."""
    return (
        fair_scales_located()
        .annotate(status_today=status_expression(day))
        .filter(status_today=VerificationStatus.VALID)
    )


def instruments_due_or_overdue(*, start: dt.date, end: dt.date) -> QuerySet[RegisteredInstrument]:
    """Confirmed 强检 lines in use whose verification runs out by `end` (due within [start, end], or
    already past before `start`), or whose service life ends by `end`: the 安吉 quarterly list."""
    return (
        public_instruments()
        .mandatory()
        .filter(
            Q(instrument_type__first_verification_only=False, valid_until__lte=end)
            | Q(service_life_end__lte=end)
        )
        .order_by("valid_until", "owner__name", "pk")
    )


def problem_reports_for_user(*, user: Any) -> QuerySet[ProblemReport]:
    return (
        scope_to_user(ProblemReport.objects.all(), user, unit_field="instrument__unit")
        .select_related("instrument__owner", "incident", "lead")
        .order_by("-created_at", "-pk")
    )


def lead_list_for_user(*, user: Any) -> QuerySet[InspectionLead]:
    return scope_to_user(InspectionLead.objects.all(), user).select_related(
        "unit", "owner", "instrument", "incident", "problem_report", "planned_inspection"
    )


def lead_get_for_user(*, user: Any, pk: Any) -> InspectionLead:
    return get_for_user(
        InspectionLead.objects.select_related("owner", "instrument__instrument_type"), user, pk=pk
    )


# --- Figures for the dashboard and the workbook -----------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """强检 coverage of one domain or one office: lines with a valid verification over all 强检 lines."""

    key: str
    label: str
    mandatory: int
    valid: int

    @property
    def rate(self) -> Decimal | None:
        """覆盖率 %; None (shown “—”) without 强检 lines."""
        return percent(self.valid, self.mandatory)


@dataclass(frozen=True)
class Coverage:
    """强检 coverage on `day`, owners reminded and the public's use of the scan pages in the period."""

    day: dt.date
    by_domain: list[CoverageRow]
    by_office: list[CoverageRow]
    total: CoverageRow
    owners_reminded: int
    reminders_sent: int
    scans: int = 0
    scans_via_qr: int = 0
    ratings: int = 0
    rating_average: Decimal | None = None
    low_ratings: int = 0
    problems: int = 0


def _in_period(
    queryset: QuerySet[Any], field: str, date_from: dt.date | None, date_to: dt.date | None
) -> Any:
    if date_from:
        queryset = queryset.filter(**{f"{field}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field}__lte": date_to})
    return queryset


def _scoped(queryset: QuerySet[Any], *, user: Any, unit_id: int | None, unit_field: str) -> Any:
    if user is not None:
        queryset = scope_to_user(queryset, user, unit_field=unit_field)
    if unit_id:
        queryset = queryset.filter(**{f"{unit_field}_id": unit_id})
    return queryset


def instrument_coverage(
    *,
    user: Any = None,
    unit_id: int | None = None,
    day: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Coverage:
    """The register's figures for the dashboard and the workbook, in `user`'s scope (None: every
    unit, for reports) and optionally one supervising unit's:

    - 强检 coverage on `day` (default today): confirmed 强检 lines in use registered by that day with a
      valid verification on it, over all of them, by domain and by office;
    - owners reminded: distinct owners with a reminder in [date_from, date_to] (open ends: all time);
    - scans of the public pages, ratings (count, average, low ones) and problems reported in the period.

    Five queries, whatever the data size (plus the user's permissions once, when scoped).
    """
    day = day or timezone.localdate()
    registered_by = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    base = _scoped(
        RegisteredInstrument.objects.confirmed().mandatory().filter(created_at__lt=registered_by),
        user=user,
        unit_id=unit_id,
        unit_field="unit",
    )
    valid = Q(status_today=VerificationStatus.VALID.value)
    cells = list(
        base.annotate(status_today=status_expression(day))
        .values("instrument_type__domain", "unit", "unit__name")
        .annotate(mandatory=Count("pk"), valid=Count("pk", filter=valid))
        .order_by("unit__sort_order", "unit__name", "unit", "instrument_type__domain")
    )
    by_domain = []
    for domain in Domain.values:
        mine = [cell for cell in cells if cell["instrument_type__domain"] == domain]
        by_domain.append(
            CoverageRow(
                key=domain,
                label=str(DOMAIN_ROW_LABELS[domain]),
                mandatory=sum(cell["mandatory"] for cell in mine),
                valid=sum(cell["valid"] for cell in mine),
            )
        )
    offices: dict[int, CoverageRow] = {}
    for cell in cells:
        before = offices.get(cell["unit"])
        offices[cell["unit"]] = CoverageRow(
            key=str(cell["unit"]),
            label=cell["unit__name"],
            mandatory=cell["mandatory"] + (before.mandatory if before else 0),
            valid=cell["valid"] + (before.valid if before else 0),
        )
    total = CoverageRow(
        key="total",
        label="合计",
        mandatory=sum(row.mandatory for row in by_domain),
        valid=sum(row.valid for row in by_domain),
    )

    def scoped(queryset: QuerySet[Any], field: str) -> Any:
        return _in_period(
            _scoped(queryset, user=user, unit_id=unit_id, unit_field="instrument__unit"),
            field,
            date_from,
            date_to,
        )

    reminded = scoped(OwnerReminder.objects.all(), "day").aggregate(
        owners=Count("instrument__owner", distinct=True), sent=Count("pk")
    )
    scans = scoped(InstrumentScan.objects.all(), "day").aggregate(
        all=Count("pk"), via_qr=Count("pk", filter=Q(via_qr=True))
    )
    ratings = scoped(InstrumentRating.objects.all(), "created_at__date").aggregate(
        count=Count("pk"), average=Avg("score"), low=Count("pk", filter=Q(score__lte=LOW_RATING_MAX))
    )
    problems = scoped(ProblemReport.objects.all(), "created_at__date").count()
    average = ratings["average"]
    return Coverage(
        day=day,
        by_domain=by_domain,
        by_office=list(offices.values()),
        total=total,
        owners_reminded=reminded["owners"],
        reminders_sent=reminded["sent"],
        scans=scans["all"],
        scans_via_qr=scans["via_qr"],
        ratings=ratings["count"],
        rating_average=None if average is None else Decimal(str(average)).quantize(Decimal("0.1")),
        low_ratings=ratings["low"],
        problems=problems,
    )
