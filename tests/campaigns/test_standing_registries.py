"""Stations are standing registries: entered once, they carry over to next year's campaign, and what
happens at them counts toward the campaign active on the day (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns import metrics, selectors
from campaigns.cloning import campaign_clone
from campaigns.models import Campaign
from enterprises.models import Enterprise, EnterpriseVisit
from microstations.models import MicroStation, StationActivity
from organizations.roles import Role
from records.services import record_approve, record_save
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import CampaignFactory, UserFactory
from tests.microstations.factories import MicroStationFactory

NEXT_YEAR_DAY = dt.date(2026, 5, 18)


@pytest.fixture
def campaign_2025(db) -> Campaign:
    return CampaignFactory(
        year=2025,
        start_date=dt.date(2025, 4, 25),
        end_date=dt.date(2025, 6, 30),
        metrology_day=dt.date(2025, 5, 20),
    )


def test_the_campaign_for_a_date_is_the_one_covering_it_else_that_years(campaign_2025):
    undated_2027 = CampaignFactory(year=2027, start_date=None, end_date=None)

    assert selectors.campaign_for_date(dt.date(2025, 5, 1)) == campaign_2025
    # After 2025's campaign ended: still 2025's (the year's campaign), not the undated 2027 one.
    assert selectors.campaign_for_date(dt.date(2025, 12, 1)) == campaign_2025
    assert selectors.campaign_for_date(dt.date(2027, 1, 5)) == undated_2027
    assert selectors.campaign_for_date(dt.date(2024, 12, 1)) is None
    # A campaign whose dates start the year before covers those days.
    early_2026 = CampaignFactory(year=2026, start_date=dt.date(2025, 11, 1), end_date=dt.date(2026, 6, 30))
    assert selectors.campaign_for_date(dt.date(2025, 12, 1)) == early_2026


def test_a_2026_clone_counts_a_2025_stations_2026_activity_without_re_entering_it(
    campaign_2025, bureau_admin, unit_a
):
    station = MicroStationFactory(campaign=campaign_2025, supervising_unit=unit_a, opened=True)
    office = UserFactory(username="office_a_2026", unit=unit_a, roles=[Role.OFFICE])
    campaign_2026 = campaign_clone(actor=bureau_admin, from_year=2025, to_year=2026).campaign

    activity = record_save(
        actor=office,
        model=StationActivity,
        data={
            "station": station,
            "date": NEXT_YEAR_DAY,
            "topic": StationActivity.Topic.SCIENCE,
            "title": "2026年计量科普进社区",
            "people_reached": 90,
        },
        submit=True,
    )
    record_approve(actor=bureau_admin, record=activity)

    assert MicroStation.objects.count() == 1  # no re-entry: the 2025 station serves 2026
    assert activity.campaign == campaign_2026
    assert StationActivity.objects.filter(campaign=campaign_2026).counted().count() == 1
    assert not StationActivity.objects.filter(campaign=campaign_2025).exists()


def test_a_2026_clone_counts_a_registered_enterprises_2026_visit_for_2026(
    campaign_2025, bureau_admin, unit_a
):
    """The enterprise registry belongs to no campaign: last year's enterprise is served again in 2026
    without re-entering it, and the visit counts toward 2026's figures, not 2025's."""
    enterprise = EnterpriseFactory(name="巫山县三峡红脆李食品有限公司")
    office = UserFactory(username="office_a_sme_2026", unit=unit_a, roles=[Role.OFFICE])
    campaign_2026 = campaign_clone(actor=bureau_admin, from_year=2025, to_year=2026).campaign

    visit = record_save(
        actor=office,
        model=EnterpriseVisit,
        data={
            "enterprise": enterprise,
            "date": NEXT_YEAR_DAY,
            "visit_types": [EnterpriseVisit.VisitType.SURVEY],
            "staff": "张伟",
            "instruments_serviced": 2,
        },
        submit=True,
    )
    record_approve(actor=bureau_admin, record=visit)

    visits = metrics.get("enterprises.visits")
    assert visits is not None
    assert Enterprise.objects.count() == 1
    assert (visit.campaign, visits.count(campaign_2026), visits.count(campaign_2025)) == (campaign_2026, 1, 0)
