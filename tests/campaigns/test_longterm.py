"""长效机制: each micro-station's approved activities all year round, across campaigns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import longterm
from records.models import ReviewStatus
from tests.clock import CampaignClock
from tests.factories import CampaignFactory
from tests.html import cells
from tests.microstations.factories import MicroStationFactory, StationActivityFactory
from tests.publicity.factories import PublicityActivityFactory

TODAY = dt.date(2025, 5, 20)


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


def held(station, day: dt.date, status: str = ReviewStatus.APPROVED):
    return StationActivityFactory(station=station, date=day, review_status=status)


def test_counts_approved_activities_of_the_last_twelve_months_across_campaigns(db):
    busy = MicroStationFactory(opened=True, name="民生计量科普宣传服务微站（自来水营业厅）")
    dormant = MicroStationFactory(opened=True, name="民生计量科普宣传服务微站（加油站）")
    last_year = CampaignFactory(year=2024, start_date=dt.date(2024, 4, 1), end_date=dt.date(2024, 12, 31))
    held(busy, dt.date(2025, 5, 10))
    held(busy, dt.date(2025, 1, 3))
    item = held(busy, dt.date(2024, 9, 1))
    type(item).objects.filter(pk=item.pk).update(campaign=last_year)  # held in last year's campaign
    held(busy, dt.date(2024, 5, 20))  # exactly a year ago: out of the twelve months
    held(busy, dt.date(2025, 5, 12), status=ReviewStatus.SUBMITTED)  # not yet approved
    PublicityActivityFactory(station=busy, date=dt.date(2025, 4, 30), review_status=ReviewStatus.APPROVED)

    rows = longterm.station_activity_counts(today=TODAY)

    assert [(r.name, r.last_12_months, r.this_year, r.last_activity) for r in rows] == [
        (busy.name, 4, 3, dt.date(2025, 5, 10)),
        (dormant.name, 0, 0, None),
    ]


@pytest.mark.parametrize("stations", [1, 5])
def test_the_count_runs_a_fixed_number_of_queries(db, stations, django_assert_num_queries):
    for _ in range(stations):
        held(MicroStationFactory(opened=True), dt.date(2025, 5, 1))

    # the stations, then station activities and publicity activities held at stations
    with django_assert_num_queries(3):
        rows = longterm.station_activity_counts(today=TODAY)
    assert len(rows) == stations


def test_the_plan_page_shows_the_stations_year(client, bureau_admin, db):
    station = MicroStationFactory(opened=True, name="民生计量科普宣传服务微站（供电营业厅）")
    held(station, dt.date(2025, 5, 2))
    client.force_login(bureau_admin)

    page = client.get(reverse("campaigns:plan", args=[2025]))

    assert cells(page, f"[data-station-year] tr[data-station='{station.pk}']") == [
        [station.name, "1", "1", "2025年5月2日"]
    ]
