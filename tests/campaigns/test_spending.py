"""经费: approved totals, submitted ones beside, and items above the campaign's threshold flagged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns import spending
from publicity.models import PublicityActivity
from records.models import ReviewStatus
from tests.clock import CampaignClock
from tests.html import one, text
from tests.microstations.factories import campaign_2025
from tests.publicity.factories import PublicityActivityFactory


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db):
    campaign = campaign_2025()
    campaign.cost_flag_threshold = Decimal(3000)
    campaign.save()
    return campaign


def activity(unit, cost: str, status: str, title: str = "") -> PublicityActivity:
    submitted = None if status == ReviewStatus.DRAFT else dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)
    return PublicityActivityFactory(
        unit=unit,
        cost=Decimal(cost),
        review_status=status,
        submitted_at=submitted,
        title=title or f"宣传活动 {cost} 元",
    )


def test_totals_count_approved_cost_and_show_submitted_beside(campaign, unit_a, unit_b):
    activity(unit_a, "1200.50", ReviewStatus.APPROVED)
    activity(unit_b, "800", ReviewStatus.APPROVED)
    activity(unit_a, "4500", ReviewStatus.SUBMITTED)
    activity(unit_a, "9999", ReviewStatus.DRAFT)

    result = spending.spending(campaign=campaign)

    assert [(r.label, r.approved, r.pending) for r in result.rows] == [
        ("微站活动", Decimal(0), Decimal(0)),
        ("宣传活动", Decimal("2000.50"), Decimal("4500.00")),
    ]
    assert (result.approved, result.pending) == (Decimal("2000.50"), Decimal("4500.00"))


def test_submitted_items_above_the_threshold_are_flagged_most_expensive_first(campaign, unit_a):
    activity(unit_a, "3000", ReviewStatus.APPROVED, "恰好等于提示线")
    above = activity(unit_a, "3000.01", ReviewStatus.APPROVED, "略超")
    most = activity(unit_a, "12000", ReviewStatus.SUBMITTED, "大型展会")
    activity(unit_a, "50000", ReviewStatus.DRAFT, "草稿不算")

    assert spending.spending(campaign=campaign).flagged == [most, above]


def test_an_office_sees_only_its_own_spending(campaign, unit_a, unit_b, office_a):
    activity(unit_a, "100", ReviewStatus.APPROVED)
    activity(unit_b, "5000", ReviewStatus.APPROVED)

    result = spending.spending(campaign=campaign, user=office_a)

    assert result.approved == Decimal(100)
    assert result.flagged == []


def test_a_negative_cost_is_refused(campaign, unit_a):
    from django.core.exceptions import ValidationError

    item = PublicityActivityFactory.build(unit=unit_a, campaign=campaign, cost=Decimal(-1))
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean(exclude=["created_by"])
    assert "cost" in excinfo.value.message_dict


def test_the_plan_page_shows_spending_and_the_admin_changes_the_threshold(
    client, bureau_admin, campaign, unit_a
):
    activity(unit_a, "3500", ReviewStatus.APPROVED, "展板制作")
    client.force_login(bureau_admin)

    page = client.get(reverse("campaigns:plan", args=[2025]))
    assert text(one(page, "[data-spending-total]")) == "3500.00"
    assert "展板制作" in text(one(page, "[data-spending-flagged]"))

    client.post(
        reverse("campaigns:plan", args=[2025]),
        {
            "start_date": "2025-04-25",
            "end_date": "2025-06-30",
            "reminder_days_ahead": 3,
            "escalation_days": 3,
            "cost_flag_threshold": "4000",
        },
    )
    campaign.refresh_from_db()
    assert campaign.cost_flag_threshold == Decimal(4000)
    page = client.get(reverse("campaigns:plan", args=[2025]))
    assert "没有超过提示线的活动。" in text(one(page, "[data-spending-flagged]"))


def test_station_activities_cost_counts_too(campaign):
    from tests.microstations.factories import StationActivityFactory

    item = StationActivityFactory(cost=Decimal("3200"), review_status=ReviewStatus.APPROVED)
    type(item).objects.filter(pk=item.pk).update(submitted_at=dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC))

    result = spending.spending(campaign=campaign)

    assert [(r.label, r.approved) for r in result.rows] == [
        ("微站活动", Decimal(3200)),
        ("宣传活动", Decimal(0)),
    ]
    assert [flagged.pk for flagged in result.flagged] == [item.pk]
