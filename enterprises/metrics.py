"""The SME-service figures as they stood at the end of a day, for milestones judged on their own date
(campaigns.metrics' `count_as_of`; registered beside the plain counts in EnterprisesConfig.ready).

Each is its plain count in enterprises.selectors cut at `day`: approved visits (the records kit's
`counted()`) dated up to that day; a problem counts once it was solved by then. Approval may come after
the visit's day: what counts is the day the work was done, as for every other dated figure.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet, Sum

from campaigns.models import Campaign
from enterprises.models import EnterpriseVisit, MetrologyProblem
from records.models import counted_q

SOLVED = [MetrologyProblem.Status.SOLVED, MetrologyProblem.Status.CONFIRMED]


def _visits_as_of(campaign: Campaign, day: dt.date) -> QuerySet[EnterpriseVisit]:
    return EnterpriseVisit.objects.filter(campaign=campaign, date__lte=day).counted()


def visits_approved_count_as_of(campaign: Campaign, day: dt.date) -> int:
    return _visits_as_of(campaign, day).count()


def enterprises_served_count_as_of(campaign: Campaign, day: dt.date) -> int:
    return _visits_as_of(campaign, day).values("enterprise").distinct().count()


def problems_solved_count_as_of(campaign: Campaign, day: dt.date) -> int:
    """Tickets of approved visits solved (or since confirmed) by the end of `day`, Shanghai time."""
    return MetrologyProblem.objects.filter(
        counted_q("visit__"),
        visit__campaign=campaign,
        status__in=SOLVED,
        solved_at__date__lte=day,
    ).count()


def instruments_serviced_count_as_of(campaign: Campaign, day: dt.date) -> int:
    total = _visits_as_of(campaign, day).aggregate(n=Sum("instruments_serviced"))["n"]
    return int(total or 0)
