"""Factories for publicity activities, news items, adoptions and 舆情 incidents.

Records land in the 2025 campaign with its demo dates (25 April – 30 June 2025), as in the
micro-station factories, so that the default dates are inside the campaign and in the past.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from publicity.models import Adoption, NewsItem, OpinionIncident, OpinionLevel, PublicityActivity
from records.models import ReviewStatus
from tests.factories import UnitFactory, UserFactory
from tests.microstations.factories import ACTIVITY_DAY, campaign_2025

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


class PublicityActivityFactory(factory.django.DjangoModelFactory):
    """A draft offline activity of a fresh 市场监管所; `online=True` makes it an online post."""

    class Meta:
        model = PublicityActivity
        skip_postgeneration_save = True

    class Params:
        online = factory.Trait(
            channel=PublicityActivity.Channel.ONLINE,
            form=PublicityActivity.Form.ONLINE_PUSH,
            venue_type="",
            participants=0,
            materials_distributed=0,
            platform=PublicityActivity.Platform.WECHAT,
            post_format=PublicityActivity.PostFormat.GRAPHIC,
            url=factory.Sequence(lambda n: f"https://mp.weixin.qq.com/s/wushan-{n}"),
            views=1500,
        )
        approved = factory.Trait(review_status=ReviewStatus.APPROVED)

    campaign = factory.LazyFunction(campaign_2025)
    unit = factory.SubFactory(UnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.unit))
    title = factory.Sequence(lambda n: f"“守护民生 公平计量”进社区（第{n}场）")
    date = ACTIVITY_DAY
    channel = PublicityActivity.Channel.OFFLINE
    form = PublicityActivity.Form.COMMUNITY
    venue_type = PublicityActivity.VenueType.COMMUNITY_CENTER
    venue = "高唐街道南陵社区服务中心"
    participants = 150
    materials_distributed = 200
    consultations = 30
    posters = 4
    phone_weight_labels = 50
    free_verifications = 12
    integrity_pledges = 3
    summary = "现场讲解计量知识，为群众免费校准电子秤。"


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    class Params:
        approved = factory.Trait(
            review_status=ReviewStatus.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            reviewed_at=factory.LazyFunction(timezone.now),
        )

    campaign = factory.LazyFunction(campaign_2025)
    unit = factory.SubFactory(UnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.unit))
    title = factory.Sequence(lambda n: f"巫山县开展“5·20世界计量日”宣传活动（{n}）")
    body = "5月20日，巫山县市场监管局在神女广场开展世界计量日主题宣传活动。"


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    news_item = factory.SubFactory(NewsItemFactory, approved=True)
    level = Adoption.Level.COUNTY
    outlet = factory.Sequence(lambda n: f"巫山县人民政府网{n}")
    url = "https://www.cqws.gov.cn/news/520"
    adopted_on = dt.date(2025, 5, 22)
    recorded_by = factory.SubFactory(UserFactory)


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
