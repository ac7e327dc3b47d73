"""Factories for workstream 4 (enterprises, SME service visits, problem tickets, 伙伴计划).

Visits land in the 2025 campaign with the demo dates (25 April – 30 June 2025), so that the default
visit date (20 May 2025) is inside the campaign and in the past whenever the tests run.
"""

from __future__ import annotations

import datetime as dt

import factory

from campaigns.models import Campaign
from enterprises import uscc
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from tests.factories import CampaignFactory, UnitFactory, UserFactory

CAMPAIGN_START = dt.date(2025, 4, 25)
CAMPAIGN_END = dt.date(2025, 6, 30)
VISIT_DAY = dt.date(2025, 5, 20)


def campaign_2025() -> Campaign:
    """The 2025 campaign (shared by get-or-create), with its demo dates filled in if it has none."""
    campaign = CampaignFactory(year=2025)
    if campaign.start_date is None and campaign.end_date is None:
        campaign.start_date, campaign.end_date = CAMPAIGN_START, CAMPAIGN_END
        campaign.save(update_fields=["start_date", "end_date"])
    return campaign


def credit_code(number: int, prefix: str = "91") -> str:
    """A valid code of a Wushan holder, distinct per number (the demo uses another organisation series)."""
    return uscc.make_code(f"{prefix}{uscc.WUSHAN_REGION}MA6T{number:05d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A small Wushan company with a valid credit code; `EnterpriseFactory(stall=True)` has no code."""

    class Meta:
        model = Enterprise

    class Params:
        stall = factory.Trait(
            kind=Enterprise.Kind.STALL,
            credit_code="",
            industry=Enterprise.Industry.RETAIL,
            size=Enterprise.Size.MICRO,
        )

    name = factory.Sequence(lambda n: f"巫山县测试{n}号食品有限公司")
    credit_code = factory.Sequence(credit_code)
    kind = Enterprise.Kind.COMPANY
    industry = Enterprise.Industry.FOOD
    size = Enterprise.Size.SMALL
    address = "巫山县高唐街道广东中路 1 号"
    township = "高唐街道"
    contact_name = "王经理"
    contact_phone = "023-57681234"
    created_by = factory.SubFactory(UserFactory)


class EnterpriseVisitFactory(factory.django.DjangoModelFactory):
    """A draft SME service visit by a fresh 市场监管所 (pass `unit=` and `created_by=` for an actor's)."""

    class Meta:
        model = EnterpriseVisit

    enterprise = factory.SubFactory(EnterpriseFactory)
    campaign = factory.LazyFunction(campaign_2025)
    unit = factory.SubFactory(UnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.unit))
    date = VISIT_DAY
    visit_types = factory.LazyFunction(lambda: [EnterpriseVisit.VisitType.SURVEY])
    staff = "张伟、李娜"
    needs_identified = "电子秤临近检定周期，需集中送检"
    instruments_serviced = 3


class MetrologyProblemFactory(factory.django.DjangoModelFactory):
    """A ticket just raised on a visit, by the visit's author."""

    class Meta:
        model = MetrologyProblem

    visit = factory.SubFactory(EnterpriseVisitFactory)
    category = MetrologyProblem.Category.INSTRUMENTS
    description = factory.Sequence(lambda n: f"第{n}台电子秤超期未检")
    raised_by = factory.LazyAttribute(lambda o: o.visit.created_by)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    campaign = factory.LazyFunction(campaign_2025)
    name = factory.Sequence(lambda n: f"测试{n}号计量伙伴结对")
    lead = factory.SubFactory(EnterpriseFactory, size=Enterprise.Size.LARGE)

    @factory.post_generation
    def partners(self, create: bool, extracted: list[Enterprise] | None, **kwargs: object) -> None:
        if create and extracted:
            self.partners.set(extracted)
