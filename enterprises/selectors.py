"""Reads of the enterprise registry (shared by every role), and scoped reads of visits and problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from campaigns.models import Campaign
from core.periods import period_q
from enterprises.models import (
    Enterprise,
    EnterpriseVisit,
    IntegrityCommitment,
    IntegrityEntry,
    MetrologyProblem,
    Partnership,
)
from organizations.access import get_for_user, scope_to_user
from records.facts import FactTotals
from records.lists import pending_count
from records.models import counted_q, pending_q

SOLVED = [MetrologyProblem.Status.SOLVED, MetrologyProblem.Status.CONFIRMED]


# --- Enterprises (not owned by a unit: every signed-in role reads the whole registry) ---------------


def _visible_visit_count(user: Any, condition: Q) -> Any:
    """How many of each enterprise's visits that `user` may see meet `condition`, as a subquery (one
    query in all, whatever the page size; counted from the (enterprise, review_status, unit) index)."""
    visits = (
        scope_to_user(EnterpriseVisit.objects.filter(condition, enterprise=OuterRef("pk")), user)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(visits, output_field=IntegerField()), Value(0))


def enterprise_list_for_user(*, user: Any) -> QuerySet[Enterprise]:
    """The registry with each enterprise's approved visits (the official 服务次数) and those awaiting
    review, both counted within the user's scope; enterprises.filters narrows it."""
    return Enterprise.objects.annotate(
        visit_count=_visible_visit_count(user, counted_q()),
        visit_pending=_visible_visit_count(user, pending_q()),
    ).order_by("name", "pk")


def enterprise_get(*, pk: Any) -> Enterprise:
    """One enterprise of the registry, or Http404."""
    try:
        return Enterprise.objects.select_related("created_by").get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def enterprise_choices() -> QuerySet[Enterprise]:
    """Enterprises to pick from in a form (name order)."""
    return Enterprise.objects.only("pk", "name").order_by("name", "pk")


def partnership_leads() -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(pk__in=Partnership.objects.values("lead_id")).order_by("name", "pk")


def partnerships_of(enterprise: Enterprise) -> list[Partnership]:
    """The pairings the enterprise leads or belongs to, with their partners (two queries)."""
    partners = Prefetch("partners", queryset=Enterprise.objects.order_by("name", "pk"))
    return list(
        Partnership.objects.filter(Q(lead=enterprise) | Q(partners=enterprise))
        .distinct()
        .select_related("lead", "campaign")
        .prefetch_related(partners)
        .order_by("-campaign__year", "name")
    )


def partnership_list() -> QuerySet[Partnership]:
    return (
        Partnership.objects.select_related("lead", "campaign")
        .prefetch_related(Prefetch("partners", queryset=Enterprise.objects.order_by("name", "pk")))
        .order_by("campaign", "name", "pk")
    )


# --- Visits ----------------------------------------------------------------------------------------


def _problem_count(condition: Q) -> Any:
    """How many of a visit's problems meet `condition`, as a subquery: the database counts them for the
    rows of the page it returns only (read off the (date, id) index), where a COUNT over the joined
    problems grouped every visit in scope before the LIMIT (issue 14 list budget)."""
    problems = (
        MetrologyProblem.objects.filter(condition, visit=OuterRef("pk"))
        .order_by()
        .values("visit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(problems, output_field=IntegerField()), Value(0))


def visit_list_for_user(*, user: Any) -> QuerySet[EnterpriseVisit]:
    """The visits `user` may see, newest first, with what their rows show (each visit's problems and
    those solved, counted per row returned); enterprises.filters narrows it."""
    return (
        scope_to_user(EnterpriseVisit.objects.all(), user)
        .select_related("enterprise", "unit", "technical_partner", "created_by")
        .annotate(problem_count=_problem_count(Q()), solved_count=_problem_count(Q(status__in=SOLVED)))
        .order_by("-date", "-pk")
    )


def visit_get_for_user(*, user: Any, pk: Any) -> EnterpriseVisit:
    return get_for_user(
        EnterpriseVisit.objects.select_related(
            "enterprise", "unit", "campaign", "technical_partner", "partner_lead", "created_by", "reviewed_by"
        ),
        user,
        pk=pk,
    )


def visit_totals(visits: QuerySet[EnterpriseVisit], *, facts: FactTotals | None = None) -> dict[str, Any]:
    """The official figures of a scoped and filtered visit queryset, in two queries (three with `facts`).

    Figures count approved visits only (and the problems raised on them); `pending` is the number of
    visits awaiting review among `visits`, shown beside the figures (待审核 N), never added in. With
    `facts` (records.lists.list_facts of the same list) the visits' own figures are read from them, not
    summed over the records; the problems, which the facts do not hold, are counted from the records.
    """
    counted = counted_q()
    if facts is not None:
        label = EnterpriseVisit._meta.label_lower
        return {
            "count": int(facts.total(label, "count")),
            "pending": pending_count(visits),
            "instruments": int(facts.total(label, "instruments_serviced")),
            "fees_waived": facts.total(label, "fees_waived"),
            "saving": facts.total(label, "estimated_saving"),
            "trainees": int(facts.total(label, "trainees")),
            **_problem_totals(visits),
        }
    totals = visits.order_by().aggregate(
        count=Count("pk", filter=counted),
        pending=Count("pk", filter=pending_q()),
        instruments=Sum("instruments_serviced", filter=counted),
        fees_waived=Sum("fees_waived", filter=counted),
        saving=Sum("estimated_saving", filter=counted),
        trainees=Sum("trainees", filter=counted),
    )
    return {
        "count": totals["count"] or 0,
        "pending": totals["pending"] or 0,
        "instruments": totals["instruments"] or 0,
        "fees_waived": totals["fees_waived"] or Decimal(0),
        "saving": totals["saving"] or Decimal(0),
        "trainees": totals["trainees"] or 0,
        **_problem_totals(visits),
    }


def _problem_totals(visits: QuerySet[EnterpriseVisit]) -> dict[str, int]:
    """The problems raised on the approved visits among `visits`, and those solved (one query)."""
    problems = MetrologyProblem.objects.filter(
        visit__in=visits.filter(counted_q()).order_by().values("pk")
    ).aggregate(raised=Count("pk"), solved=Count("pk", filter=Q(status__in=SOLVED)))
    return {"problems": problems["raised"] or 0, "solved": problems["solved"] or 0}


# --- Problems --------------------------------------------------------------------------------------


def problem_list_for_user(*, user: Any) -> QuerySet[MetrologyProblem]:
    """The tickets of the visits `user` may see (the API's filterset narrows them)."""
    return (
        scope_to_user(MetrologyProblem.objects.all(), user, unit_field=MetrologyProblem.unit_scope_field)
        .select_related("visit", "visit__enterprise", "assigned_unit")
        .order_by("-raised_at", "-pk")
    )


def problem_get_for_user(*, user: Any, pk: Any) -> MetrologyProblem:
    return get_for_user(
        MetrologyProblem.objects.select_related("visit", "visit__enterprise", "visit__unit"),
        user,
        pk=pk,
        unit_field=MetrologyProblem.unit_scope_field,
    )


def problems_of_visit(visit: EnterpriseVisit) -> QuerySet[MetrologyProblem]:
    """A visit's problems with everyone who handled them (one query); the visit is already in scope."""
    return visit.problems.select_related(
        "raised_by", "assigned_unit", "assigned_by", "solved_by", "confirmation_recorded_by"
    ).order_by("raised_at", "pk")


# --- Metrics (campaigns.metrics calls these with the campaign): approved visits only -----------------


def visits_approved_count(campaign: Campaign) -> int:
    return EnterpriseVisit.objects.filter(campaign=campaign).counted().count()


def enterprises_served_count(campaign: Campaign) -> int:
    return EnterpriseVisit.objects.filter(campaign=campaign).counted().values("enterprise").distinct().count()


def problems_solved_count(campaign: Campaign) -> int:
    """Solved tickets (also those the enterprise has since confirmed) of approved visits."""
    return MetrologyProblem.objects.filter(
        counted_q("visit__"), visit__campaign=campaign, status__in=SOLVED
    ).count()


def instruments_serviced_count(campaign: Campaign) -> int:
    total = (
        EnterpriseVisit.objects.filter(campaign=campaign)
        .counted()
        .aggregate(n=Sum("instruments_serviced"))["n"]
    )
    return int(total or 0)


def problem_counts(problems: QuerySet[MetrologyProblem]) -> dict[str, int]:
    counts = problems.order_by().aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in MetrologyProblem.Status},
    )
    return {key: value or 0 for key, value in counts.items()}


def visits_in_period(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> QuerySet[EnterpriseVisit]:
    """A campaign's visits in a period (and unit), whatever their review state: hand it to
    `visit_totals` for the official figures with the pending count beside them."""
    visits = EnterpriseVisit.objects.filter(campaign=campaign)
    if unit_id:
        visits = visits.filter(unit_id=unit_id)
    return visits.filter(period_q("date", date_from, date_to))


def visits_counted(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> QuerySet[EnterpriseVisit]:
    """The visits official figures count (approved only), for the dashboard and the summary workbook."""
    return visits_in_period(
        campaign=campaign, date_from=date_from, date_to=date_to, unit_id=unit_id
    ).counted()  # type: ignore[attr-defined]


# --- 诚信计量 (rows belong to the recording office: scoped like visits) -------------------------------


def integrity_entry_list_for_user(*, user: Any) -> QuerySet[IntegrityEntry]:
    """The list entries `user` may see, open ones first; enterprises.filters narrows it."""
    return (
        scope_to_user(IntegrityEntry.objects.all(), user)
        .select_related("enterprise", "unit", "created_by", "ended_by")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-pk")
    )


def integrity_entry_get_for_user(*, user: Any, pk: Any) -> IntegrityEntry:
    return get_for_user(IntegrityEntry.objects.select_related("enterprise", "unit"), user, pk=pk)


def commitment_list_for_user(*, user: Any) -> QuerySet[IntegrityCommitment]:
    return (
        scope_to_user(IntegrityCommitment.objects.all(), user)
        .select_related("enterprise", "unit", "created_by")
        .order_by("-signed_on", "-pk")
    )


def commitment_get_for_user(*, user: Any, pk: Any) -> IntegrityCommitment:
    return get_for_user(
        IntegrityCommitment.objects.select_related("enterprise", "unit", "created_by"), user, pk=pk
    )


def integrity_of(*, enterprise: Enterprise, user: Any) -> dict[str, Any]:
    """What the enterprise page shows of its 诚信计量 (within the user's scope): the open entries, the
    ended ones (history), and the commitments. Two queries."""
    entries = list(integrity_entry_list_for_user(user=user).filter(enterprise=enterprise))
    return {
        "open": [e for e in entries if e.ended_on is None],
        "ended": [e for e in entries if e.ended_on is not None],
        "commitments": list(commitment_list_for_user(user=user).filter(enterprise=enterprise)[:10]),
    }
