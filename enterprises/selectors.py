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
from records.models import ReviewStatus

SOLVED = [MetrologyProblem.Status.SOLVED, MetrologyProblem.Status.CONFIRMED]


# --- Enterprises (not owned by a unit: every signed-in role reads the whole registry) ---------------


def _visible_visit_count(user: Any) -> Any:
    """The number of each enterprise's visits that `user` may see, as a subquery (one query in all)."""
    visits = (
        scope_to_user(EnterpriseVisit.objects.filter(enterprise=OuterRef("pk")), user)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(visits, output_field=IntegerField()), Value(0))


def enterprise_list_for_user(
    *,
    user: Any,
    kind: str = "",
    industry: str = "",
    size: str = "",
    township: str = "",
    search: str = "",
) -> QuerySet[Enterprise]:
    queryset = Enterprise.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    if industry:
        queryset = queryset.filter(industry=industry)
    if size:
        queryset = queryset.filter(size=size)
    if township:
        queryset = queryset.filter(township=township)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(credit_code__icontains=search.strip().upper())
            | Q(address__icontains=search)
            | Q(contact_name__icontains=search)
        )
    return queryset.annotate(visit_count=_visible_visit_count(user)).order_by("name", "pk")


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


def visit_list_for_user(
    *,
    user: Any,
    campaign: Campaign | None = None,
    enterprise_id: int | None = None,
    unit_id: int | None = None,
    programme: str = "",
    visit_type: str = "",
    review_status: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[EnterpriseVisit]:
    queryset = scope_to_user(EnterpriseVisit.objects.all(), user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if enterprise_id:
        queryset = queryset.filter(enterprise_id=enterprise_id)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if programme:
        queryset = queryset.filter(programme=programme)
    if visit_type:
        queryset = queryset.filter(with_visit_type(visit_type))
    if review_status:
        queryset = queryset.filter(review_status=review_status)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    if search:
        queryset = queryset.filter(
            Q(enterprise__name__icontains=search)
            | Q(enterprise__credit_code__icontains=search.strip().upper())
            | Q(needs_identified__icontains=search)
            | Q(summary__icontains=search)
            | Q(staff__icontains=search)
        )
    return (
        queryset.select_related("enterprise", "unit", "technical_partner", "created_by")
        .annotate(
            problem_count=Count("problems", distinct=True),
            solved_count=Count("problems", filter=Q(problems__status__in=SOLVED), distinct=True),
        )
        .order_by("-date", "-pk")
    )


def with_visit_type(code: str) -> Q:
    """Visits whose type list holds `code`. Matching the quoted code in the JSON text works the same on
    SQLite and PostgreSQL (JSON `contains` does not exist on SQLite); no code is part of another."""
    return Q(visit_types__icontains=f'"{code}"')


def visit_get_for_user(*, user: Any, pk: Any) -> EnterpriseVisit:
    return get_for_user(
        EnterpriseVisit.objects.select_related(
            "enterprise", "unit", "campaign", "technical_partner", "partner_lead", "created_by", "reviewed_by"
        ),
        user,
        pk=pk,
    )


def visit_totals(visits: QuerySet[EnterpriseVisit]) -> dict[str, Any]:
    """Sums over an already scoped and filtered visit queryset, in two queries (visits, then problems)."""
    totals = visits.order_by().aggregate(
        count=Count("pk"),
        instruments=Sum("instruments_serviced"),
        fees_waived=Sum("fees_waived"),
        saving=Sum("estimated_saving"),
        trainees=Sum("trainees"),
    )
    problems = MetrologyProblem.objects.filter(visit__in=visits.order_by().values("pk")).aggregate(
        raised=Count("pk"), solved=Count("pk", filter=Q(status__in=SOLVED))
    )
    return {
        "count": totals["count"] or 0,
        "instruments": totals["instruments"] or 0,
        "fees_waived": totals["fees_waived"] or Decimal(0),
        "saving": totals["saving"] or Decimal(0),
        "trainees": totals["trainees"] or 0,
        "problems": problems["raised"] or 0,
        "solved": problems["solved"] or 0,
    }


# --- Problems --------------------------------------------------------------------------------------


def problem_list_for_user(
    *, user: Any, status: str = "", category: str = "", visit_id: int | None = None
) -> QuerySet[MetrologyProblem]:
    queryset = scope_to_user(
        MetrologyProblem.objects.all(), user, unit_field=MetrologyProblem.unit_scope_field
    )
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if visit_id:
        queryset = queryset.filter(visit_id=visit_id)
    return queryset.select_related("visit", "visit__enterprise", "assigned_unit").order_by(
        "-raised_at", "-pk"
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


# --- Metrics (campaigns.metrics calls these with the campaign) -------------------------------------


def visits_reported_count(campaign: Campaign) -> int:
    """Visits submitted for review (drafts are still being written)."""
    return EnterpriseVisit.objects.filter(campaign=campaign).exclude(review_status=ReviewStatus.DRAFT).count()


def enterprises_served_count(campaign: Campaign) -> int:
    return (
        EnterpriseVisit.objects.filter(campaign=campaign)
        .exclude(review_status=ReviewStatus.DRAFT)
        .values("enterprise")
        .distinct()
        .count()
    )


def problems_solved_count(campaign: Campaign) -> int:
    """Solved tickets (also those the enterprise has since confirmed), counted from the tickets."""
    return MetrologyProblem.objects.filter(visit__campaign=campaign, status__in=SOLVED).count()


def instruments_serviced_count(campaign: Campaign) -> int:
    total = (
        EnterpriseVisit.objects.filter(campaign=campaign)
        .exclude(review_status=ReviewStatus.DRAFT)
        .aggregate(n=Sum("instruments_serviced"))["n"]
    )
    return int(total or 0)


def problem_counts(problems: QuerySet[MetrologyProblem]) -> dict[str, int]:
    counts = problems.order_by().aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in MetrologyProblem.Status},
    )
    return {key: value or 0 for key, value in counts.items()}


def visits_counted(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> QuerySet[EnterpriseVisit]:
    """The visits official figures count (all but drafts), for the dashboard and the summary report."""
    visits = EnterpriseVisit.objects.filter(campaign=campaign).exclude(review_status=ReviewStatus.DRAFT)
    if unit_id:
        visits = visits.filter(unit_id=unit_id)
    if date_from:
        visits = visits.filter(date__gte=date_from)
    if date_to:
        visits = visits.filter(date__lte=date_to)
    return visits
