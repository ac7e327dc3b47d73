"""Factories for workstream 1 (micro-stations, their activities, volunteers), for every test module to import.

Records land in the 2025 campaign with the demo dates (25 April – 30 June 2025), so that the default
activity date (20 May 2025) is inside the campaign and in the past whenever the tests run.
"""

from __future__ import annotations

import datetime as dt

import factory

from campaigns.models import Campaign
from microstations.models import MicroStation, StationActivity
from tests.factories import CampaignFactory, UnitFactory, UserFactory
from volunteers.models import Volunteer

CAMPAIGN_START = dt.date(2025, 4, 25)
CAMPAIGN_END = dt.date(2025, 6, 30)
ACTIVITY_DAY = dt.date(2025, 5, 20)


def campaign_2025() -> Campaign:
    """The 2025 campaign (shared by get-or-create), with its demo dates filled in if it has none."""
    campaign = CampaignFactory(year=2025)
    if campaign.start_date is None and campaign.end_date is None:
        campaign.start_date, campaign.end_date = CAMPAIGN_START, CAMPAIGN_END
        campaign.save(update_fields=["start_date", "end_date"])
    return campaign


class MicroStationFactory(factory.django.DjangoModelFactory):
    """A planned station supervised by a fresh 市场监管所; `MicroStationFactory(opened=True)` has opened."""

    class Meta:
        model = MicroStation

    class Params:
        opened = factory.Trait(stage=MicroStation.Stage.OPENED, opened_on=dt.date(2025, 5, 16))

    campaign = factory.LazyFunction(campaign_2025)
    name = factory.Sequence(lambda n: f"民生计量科普宣传服务微站（测试{n}号营业厅）")
    host_name = factory.Sequence(lambda n: f"测试{n}号营业厅")
    station_type = MicroStation.StationType.POWER_HALL
    address = "巫山县高唐街道广东中路"
    township = "高唐街道"
    focus_area = MicroStation.FocusArea.CROWDED
    contact_name = "李经理"
    contact_phone = "023-57681200"
    supervising_unit = factory.SubFactory(UnitFactory)
    stage = MicroStation.Stage.PLANNED
    opened_on = None


class StationActivityFactory(factory.django.DjangoModelFactory):
    """A draft activity; its campaign and unit follow its station, as the service sets them."""

    class Meta:
        model = StationActivity

    station = factory.SubFactory(MicroStationFactory, opened=True)
    campaign = factory.LazyAttribute(lambda o: o.station.campaign)
    unit = factory.LazyAttribute(lambda o: o.station.supervising_unit)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.unit))
    date = ACTIVITY_DAY
    topic = StationActivity.Topic.SCIENCE
    title = factory.Sequence(lambda n: f"计量科普进社区（第{n}场）")
    people_reached = 120
    materials_distributed = 80
    volunteers_present = 2
    summary = "现场解答群众咨询。"


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An adult 义务宣传员; `VolunteerFactory(junior=True)` is a 小小宣传员 with guardian consent."""

    class Meta:
        model = Volunteer

    class Params:
        junior = factory.Trait(
            kind=Volunteer.Kind.JUNIOR,
            group=Volunteer.Group.STUDENT,
            guardian_name="李建国",
            guardian_phone=factory.Sequence(lambda n: f"1390000{n % 10000:04d}"),
            guardian_consent=True,
        )

    station = factory.SubFactory(MicroStationFactory, opened=True)
    campaign = factory.LazyAttribute(lambda o: o.station.campaign)
    name = factory.Sequence(lambda n: f"宣传员{n}")
    kind = Volunteer.Kind.PUBLICIST
    group = Volunteer.Group.RESIDENTS_COMMITTEE
    phone = factory.Sequence(lambda n: f"1380000{n % 10000:04d}")
    recruited_on = dt.date(2025, 5, 10)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.station.supervising_unit))
