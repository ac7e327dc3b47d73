"""Factories for 舆情 incidents and the seeded levels.

Incidents land in the 2025 campaign with its demo dates (25 April – 30 June 2025), as in the
micro-station factories, so that the default times are inside the campaign and in the past.
"""

from __future__ import annotations

import datetime as dt

import factory

from opinion.models import OpinionIncident, OpinionLevel
from tests.factories import UnitFactory, UserFactory
from tests.microstations.factories import campaign_2025

DISCOVERED_AT = dt.datetime(2025, 5, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def level(code: str = "general") -> OpinionLevel:
    """A level as the data migration seeded it (created again with the seeded hours if a flush removed it)."""
    defaults = {
        "general": ("一般", 1, 24, 48),
        "larger": ("较大", 2, 12, 24),
        "major": ("重大", 3, 2, 5),
        "especially_major": ("特别重大", 4, 1, 5),
    }[code]
    name, rank, report, response = defaults
    found, _created = OpinionLevel.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "rank": rank,
            "report_deadline_hours": report,
            "response_deadline_hours": response,
        },
    )
    return found


class OpinionIncidentFactory(factory.django.DjangoModelFactory):
    """A newly found 一般 incident handled by a fresh 市场监管所."""

    class Meta:
        model = OpinionIncident

    campaign = factory.LazyFunction(campaign_2025)
    handling_unit = factory.SubFactory(UnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.handling_unit))
    title = factory.Sequence(lambda n: f"网传某超市电子秤缺斤少两（{n}）")
    discovered_at = DISCOVERED_AT
    discovered_by = "舆情监测员"
    source = OpinionIncident.Source.SELF_MEDIA
    platform = "抖音"
    url = "https://www.douyin.com/video/520"
    summary = "网民发布视频称在某超市购买水果缺斤少两。"
    domain = OpinionIncident.Domain.SCALES
    involved_party = "某超市"
    reach = 3000
    level = factory.LazyFunction(level)
