"""The dashboard's planning panels (templates/dashboard/_planning_*.html), fed by campaigns selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from campaigns import services
from campaigns.models import PartyGroup
from campaigns.selectors import dashboard_panels
from organizations.models import Unit
from records.models import ReviewStatus
from tests.clock import CampaignClock
from tests.factories import UnitFactory
from tests.microstations.factories import campaign_2025
from tests.publicity.factories import PublicityActivityFactory

TODAY = dt.date(2025, 5, 20)


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db, bureau_admin):
    campaign = campaign_2025()
    offices = PartyGroup.objects.create(
        campaign=campaign, label="各市场监管所", unit_kinds=[Unit.Kind.OFFICE]
    )
    services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=offices,
        record_types=["publicity.newsitem"],
        weekly_until=TODAY,
    )
    return campaign


def test_the_panels_cost_nothing_until_shown(campaign, django_assert_num_queries):
    with django_assert_num_queries(0):
        panels = dashboard_panels(campaign=campaign, today=TODAY)
    assert set(panels) == {"planning_reporting", "planning_spending", "planning_stations"}


@pytest.mark.parametrize("offices", [1, 6])
def test_the_panels_render_with_a_fixed_number_of_queries(campaign, offices, django_assert_num_queries):
    for n in range(offices):
        unit = UnitFactory(kind=Unit.Kind.OFFICE)
        PublicityActivityFactory(
            unit=unit,
            cost=Decimal(6000 + n),
            review_status=ReviewStatus.APPROVED,
            submitted_at=dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC),
        )
    panels = dashboard_panels(campaign=campaign, today=TODAY)

    # Grid: windows, their group's excluded and added units, units, news first submissions (5);
    # 经费: approved and submitted sums and flagged items with their units, for publicity and station
    # activities (6).
    with django_assert_num_queries(11):
        html = render_to_string("dashboard/_planning_reporting.html", panels) + render_to_string(
            "dashboard/_planning_spending.html", panels
        )
    assert html.count("data-unit=") == offices
    assert html.count('class="spending-flag"') == offices


def test_the_dashboard_hands_the_panels_to_its_template(client, campaign, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    grid = response.context["planning_reporting"]
    assert [w.label for w in grid.windows] == ["第1周", "第2周", "第3周", "第4周"]
    assert response.context["planning_spending"].threshold == Decimal(5000)
    assert response.context["planning_stations"] == []
    html = render_to_string("dashboard/_planning_stations.html", {"planning_stations": []})
    assert "尚无微站。" in html
