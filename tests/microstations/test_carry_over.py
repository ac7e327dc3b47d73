"""Stations are standing registries (issue 13): an activity counts for the campaign whose dates cover
it, whatever campaign its station was entered under; the opened-stations metric can be read as of a
milestone's day."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.metrics import get
from microstations.models import MicroStation, StationActivity
from organizations.models import User
from records import services
from tests.factories import CampaignFactory
from tests.microstations.factories import MicroStationFactory

pytestmark = pytest.mark.django_db


def logged(actor: User, station: MicroStation, day: dt.date) -> StationActivity:
    data = {"station": station, "date": day, "topic": StationActivity.Topic.SCIENCE}
    data.update(title="计量科普进营业厅", people_reached=50)
    return services.record_save(actor=actor, model=StationActivity, data=data)


def test_an_activity_at_last_years_station_counts_for_the_campaign_covering_its_date(station_a, office_a):
    next_year = CampaignFactory(year=2026, start_date=dt.date(2026, 4, 25), end_date=dt.date(2026, 6, 30))
    activity = logged(office_a, station_a, dt.date(2026, 5, 20))
    assert station_a.campaign.year == 2025
    assert (activity.campaign, activity.unit) == (next_year, station_a.supervising_unit)


def test_an_activity_in_the_stations_own_campaign_stays_there(station_a, office_a):
    activity = logged(office_a, station_a, dt.date(2025, 5, 20))
    assert activity.campaign == station_a.campaign


def test_stations_opened_as_of_a_day(campaign, unit_a):
    MicroStationFactory(
        supervising_unit=unit_a, stage=MicroStation.Stage.OPENED, opened_on=dt.date(2025, 5, 10)
    )
    MicroStationFactory(
        supervising_unit=unit_a, stage=MicroStation.Stage.OPENED, opened_on=dt.date(2025, 5, 25)
    )
    MicroStationFactory(supervising_unit=unit_a)
    metric = get("microstations.stations_opened")
    assert metric is not None
    assert metric.count(campaign) == 2
    assert metric.count_as_of is not None
    assert metric.count_as_of(campaign, dt.date(2025, 5, 20)) == 1
