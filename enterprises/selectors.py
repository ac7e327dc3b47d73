"""Reads of the enterprise registry (shared by every role), and scoped reads of visits and problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from campaigns.models import Campaign
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from organizations.access import get_for_user, scope_to_user
from records.models import counted_q, pending_q

SOLVED = [MetrologyProblem.Status.SOLVED, MetrologyProblem.Status.CONFIRMED]


# --- Enterprises (not owned by a unit: every signed-in role reads the whole registry) ---------------


def _visible_visit_count(user: Any, condition: Q) -> Any:
    """How many of each enterprise's visits that `user` may see meet `condition`, as a subquery (one
    query in all, whatever the page size)."""
    visits = (
        scope_to_user(EnterpriseVisit.objects.filter(condition, enterprise=OuterRef("pk")), user)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
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


def visit_list_for_user(*, user: Any) -> QuerySet[EnterpriseVisit]:
    """The visits `user` may see, with what their rows show; enterprises.filters narrows it."""
    return (
        scope_to_user(EnterpriseVisit.objects.all(), user)
        .select_related("enterprise", "unit", "technical_partner", "created_by")
        .annotate(
            problem_count=Count("problems", distinct=True),
            solved_count=Count("problems", filter=Q(problems__status__in=SOLVED), distinct=True),
        )
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


def visit_totals(visits: QuerySet[EnterpriseVisit]) -> dict[str, Any]:
    """The official figures of a scoped and filtered visit queryset, in two queries.

    Figures count approved visits only (and the problems raised on them); `pending` is the number of
    visits awaiting review among `visits`, shown beside the figures (待审核 N), never added in.
    """
    counted = counted_q()
    totals = visits.order_by().aggregate(
        count=Count("pk", filter=counted),
        pending=Count("pk", filter=pending_q()),
        instruments=Sum("instruments_serviced", filter=counted),
        fees_waived=Sum("fees_waived", filter=counted),
        saving=Sum("estimated_saving", filter=counted),
        trainees=Sum("trainees", filter=counted),
    )
    problems = MetrologyProblem.objects.filter(
        visit__in=visits.filter(counted).order_by().values("pk")
    ).aggregate(raised=Count("pk"), solved=Count("pk", filter=Q(status__in=SOLVED)))
    return {
        "count": totals["count"] or 0,
        "pending": totals["pending"] or 0,
        "instruments": totals["instruments"] or 0,
        "fees_waived": totals["fees_waived"] or Decimal(0),
        "saving": totals["saving"] or Decimal(0),
        "trainees": totals["trainees"] or 0,
        "problems": problems["raised"] or 0,
        "solved": problems["solved"] or 0,
    }


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
    if date_from:
        visits = visits.filter(date__gte=date_from)
    if date_to:
        visits = visits.filter(date__lte=date_to)
    return visits


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
