"""Factories for publicity activities, news items and adoptions.

Records land in the 2025 campaign with its demo dates (25 April – 30 June 2025), as in the
micro-station factories, so that the default dates are inside the campaign and in the past.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import ReviewStatus
from tests.factories import UnitFactory, UserFactory
from tests.microstations.factories import ACTIVITY_DAY, campaign_2025


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
