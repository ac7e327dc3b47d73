"""Risk-based inspection targets: owners of registered instruments ranked for the next inspections,
each with the reasons behind its score, so that an office can see why and plan the top of the list.

Score = sum of the signals below, each capped so that no single signal can swamp the others. All
signals are read within the user's scope (the instruments its office supervises, its own inspections).

| signal                         | window              | points                 | cap |
|--------------------------------|---------------------|------------------------|-----|
| low ratings (1–2 of 5)         | last 365 days       | 3 per rating           | 15  |
| public problem reports         | last 365 days       | 5 per report           | 20  |
| 强检 instruments not valid today | today               | 4 per instrument       | 20  |
|   (超期未检, 检定不合格, 未检定, 到期未轮换)                                                      |
| previous findings              | last 730 days       | 2 per problem found    | 20  |
|   (problems found on approved inspections of the owner)                                         |
| no recent inspection           | —                   | never inspected: 10;   | 10  |
|                                |                     | last > 365 days: 10;   |     |
|                                |                     | last > 180 days: 5     |     |

Owners with a score of 0 are not listed. Ties are broken by name, then id, so the order is stable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from inspections.models import InspectionRecord, PlannedInspection
from inspections.verification import VerificationStatus
from instruments.models import (
    LOW_RATING_MAX,
    EntryStatus,
    InstrumentRating,
    ProblemReport,
    RegisteredInstrument,
)
from instruments.selectors import status_expression
from organizations.access import scope_to_user

RATING_WINDOW_DAYS = 365
LOW_RATING_POINTS, LOW_RATING_CAP = 3, 15
COMPLAINT_WINDOW_DAYS = 365
COMPLAINT_POINTS, COMPLAINT_CAP = 5, 20
NOT_VALID_POINTS, NOT_VALID_CAP = 4, 20
NOT_VALID = (
    VerificationStatus.OVERDUE,
    VerificationStatus.FAILED,
    VerificationStatus.UNVERIFIED,
    VerificationStatus.LIFE_EXPIRED,
)
FINDINGS_WINDOW_DAYS = 730
FINDING_POINTS, FINDINGS_CAP = 2, 20
NEVER_INSPECTED_POINTS = 10
STALE_DAYS, STALE_POINTS = 365, 10
AGEING_DAYS, AGEING_POINTS = 180, 5


@dataclass
class Reason:
    text: str
    points: int


@dataclass
class RiskEntry:
    owner: Enterprise
    unit_id: int  # the office that supervises most of the owner's instruments (a plan goes there)
    domain: str  # the inspection domain of most of the owner's instruments
    reasons: list[Reason] = field(default_factory=list)
    planned: bool = False

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def _capped(count: int, points: int, cap: int) -> int:
    return min(count * points, cap)


def risk_ranking(*, user: Any, day: dt.date | None = None) -> list[RiskEntry]:
    """The owners in the user's scope with a score above 0, highest first. Seven queries."""
    day = day or timezone.localdate()
    instruments = scope_to_user(RegisteredInstrument.objects.all(), user).filter(
        entry_status=EntryStatus.CONFIRMED, in_use=True
    )
    per_owner: dict[int, Counter[tuple[int, str]]] = defaultdict(Counter)
    not_valid: Counter[int] = Counter()
    rows = (
        instruments.annotate(status_today=status_expression(day))
        .values("owner_id", "unit_id", "instrument_type__domain", "status_today")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:  # 1
        per_owner[row["owner_id"]][(row["unit_id"], row["instrument_type__domain"])] += row["n"]
        if row["status_today"] in NOT_VALID:
            not_valid[row["owner_id"]] += row["n"]
    if not per_owner:
        return []
    owner_ids = list(per_owner)

    def since(days: int) -> dt.datetime:
        start = day - dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime.combine(start, dt.time.min))

    low_ratings = dict(
        InstrumentRating.objects.filter(  # 2
            instrument__in=instruments, score__lte=LOW_RATING_MAX, created_at__gte=since(RATING_WINDOW_DAYS)
        )
        .values_list("instrument__owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    complaints = dict(
        ProblemReport.objects.filter(
            instrument__in=instruments, created_at__gte=since(COMPLAINT_WINDOW_DAYS)
        )  # 3
        .values_list("instrument__owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    findings_since = day - dt.timedelta(days=FINDINGS_WINDOW_DAYS)
    inspections = {
        row["inspected_party_id"]: row
        for row in scope_to_user(InspectionRecord.objects.counted(), user)  # 4
        .filter(inspected_party_id__in=owner_ids, date__lte=day)
        .values("inspected_party_id")
        .annotate(last=Max("date"), problems=Sum("problems_found", filter=Q(date__gte=findings_since)))
        .order_by()
    }
    planned = set(
        scope_to_user(PlannedInspection.objects.all(), user)  # 5
        .filter(party_id__in=owner_ids, status=PlannedInspection.Status.PLANNED)
        .values_list("party_id", flat=True)
    )
    owners = Enterprise.objects.in_bulk(owner_ids)  # 6

    entries = []
    for owner_id, where in per_owner.items():
        (unit_id, domain), _count = where.most_common(1)[0]
        entry = RiskEntry(owner=owners[owner_id], unit_id=unit_id, domain=domain, planned=owner_id in planned)
        if n := low_ratings.get(owner_id, 0):
            entry.reasons.append(
                Reason(
                    _("近一年低评分（1–2 分）%(n)d 次") % {"n": n},
                    _capped(n, LOW_RATING_POINTS, LOW_RATING_CAP),
                )
            )
        if n := complaints.get(owner_id, 0):
            entry.reasons.append(
                Reason(
                    _("近一年群众反映问题 %(n)d 次") % {"n": n}, _capped(n, COMPLAINT_POINTS, COMPLAINT_CAP)
                )
            )
        if n := not_valid[owner_id]:
            entry.reasons.append(
                Reason(
                    _("强检器具 %(n)d 台件超期、不合格、未检定或到期未轮换") % {"n": n},
                    _capped(n, NOT_VALID_POINTS, NOT_VALID_CAP),
                )
            )
        inspected = inspections.get(owner_id)
        if inspected and (n := inspected["problems"] or 0):
            entry.reasons.append(
                Reason(_("近两年检查发现问题 %(n)d 个") % {"n": n}, _capped(n, FINDING_POINTS, FINDINGS_CAP))
            )
        if inspected is None:
            entry.reasons.append(Reason(_("从未检查"), NEVER_INSPECTED_POINTS))
        else:
            age = (day - inspected["last"]).days
            if age > STALE_DAYS:
                entry.reasons.append(
                    Reason(_("超过一年未检查（上次 %(day)s）") % {"day": inspected["last"]}, STALE_POINTS)
                )
            elif age > AGEING_DAYS:
                entry.reasons.append(
                    Reason(_("超过半年未检查（上次 %(day)s）") % {"day": inspected["last"]}, AGEING_POINTS)
                )
        if entry.score > 0:
            entries.append(entry)
    entries.sort(key=lambda e: (-e.score, e.owner.name, e.owner.pk))
    return entries


def reasons_text(entry: RiskEntry) -> str:
    """The reasons as one line, for a planned inspection's 计划理由."""
    parts = "；".join(f"{reason.text}（{reason.points} 分）" for reason in entry.reasons)
    return _("风险排序 %(score)d 分：%(parts)s") % {"score": entry.score, "parts": parts}
