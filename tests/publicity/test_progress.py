"""Publicity progress, metrics and the adoption ranking, counted from records in the database."""

from __future__ import annotations

import pytest

from campaigns import metrics
from campaigns.models import Target
from organizations.models import Unit
from publicity import selectors
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import ReviewStatus
from tests.factories import UnitFactory
from tests.publicity.factories import AdoptionFactory, NewsItemFactory, PublicityActivityFactory


@pytest.fixture
def records(campaign, unit_a, unit_b):
    """Approved offline, online and blended activities in two units, plus a draft that must not count."""
    PublicityActivityFactory(unit=unit_a, approved=True, participants=100, materials_distributed=200)
    PublicityActivityFactory(unit=unit_a, approved=True, online=True, views=1000)
    PublicityActivityFactory(
        unit=unit_b,
        approved=True,
        online=True,
        channel=PublicityActivity.Channel.BLENDED,
        venue_type=PublicityActivity.VenueType.GOV_HALL,
        participants=50,
        materials_distributed=30,
        views=500,
    )
    PublicityActivityFactory(unit=unit_b, participants=999, materials_distributed=999)  # draft


def test_the_metrics_are_registered_and_count_approved_records(records, campaign):
    registered = metrics.registered()

    counts = {key: registered[key].count(campaign) for key in registered if key.startswith("publicity.")}

    assert counts == {
        "publicity.offline_activities": 2,  # the offline one and the blended one
        "publicity.online_posts": 2,  # the online one and the blended one
        "publicity.online_views": 1500,
        "publicity.participants": 150,
        "publicity.materials": 230,
        "publicity.adopted_news": 0,
    }


def test_a_target_naming_a_publicity_metric_shows_its_actual(records, campaign):
    target = Target.objects.create(
        campaign=campaign, metric="publicity.online_posts", label="线上作品", goal=10
    )

    assert metrics.actual_for(target) == 2


def test_progress_per_unit_is_one_grouped_query(
    records, campaign, leader, unit_a, unit_b, django_assert_num_queries
):
    # 1-2 the leader's user and group permissions (scoping), 3 the grouped sums.
    with django_assert_num_queries(3):
        rows = selectors.publicity_progress_by_unit(user=leader, campaign=campaign)

    by_unit = {row["unit_id"]: row for row in rows}
    assert set(by_unit) == {unit_a.pk, unit_b.pk}
    assert (by_unit[unit_a.pk]["offline"], by_unit[unit_a.pk]["online"], by_unit[unit_a.pk]["views"]) == (
        1,
        1,
        1000,
    )
    assert (by_unit[unit_b.pk]["participants"], by_unit[unit_b.pk]["materials"]) == (50, 30)


def test_an_office_sees_only_its_own_units_progress(records, campaign, office_a, unit_a):
    totals = selectors.publicity_progress(user=office_a, campaign=campaign)
    rows = selectors.publicity_progress_by_unit(user=office_a, campaign=campaign)

    assert (totals["activities"], totals["offline"], totals["online"], totals["views"]) == (2, 1, 1, 1000)
    assert [row["unit_id"] for row in rows] == [unit_a.pk]


def test_offices_are_ranked_by_adopted_items_in_one_query(
    campaign, unit_a, unit_b, django_assert_num_queries
):
    unit_c = UnitFactory(name="丙地市场监管所", short_name="丙地所")
    for _ in range(2):
        AdoptionFactory(news_item=NewsItemFactory(unit=unit_b, approved=True))
    AdoptionFactory(news_item=NewsItemFactory(unit=unit_a, approved=True), level=Adoption.Level.PROVINCE)
    triple = NewsItemFactory(unit=unit_a, approved=True)
    for level in (Adoption.Level.COUNTY, Adoption.Level.CITY, Adoption.Level.NATIONAL):
        AdoptionFactory(news_item=triple, level=level)
    NewsItemFactory(unit=unit_c, review_status=ReviewStatus.SUBMITTED)
    NewsItemFactory(unit=UnitFactory(name="价监科", kind=Unit.Kind.SECTION))  # a draft: not ranked by it
    inactive = UnitFactory(name="已撤并市场监管所", is_active=False)

    # 1 the units with every count as a correlated subquery.
    with django_assert_num_queries(1):
        ranking = list(selectors.news_ranking(campaign=campaign))

    rows = {u.name: (u.pending_items, u.approved_items, u.adopted_items, u.adoptions_total) for u in ranking}
    assert [u.name for u in ranking][:3] == ["甲地市场监管所", "乙地市场监管所", "丙地市场监管所"]
    assert rows["甲地市场监管所"] == (0, 2, 2, 4)
    assert rows["乙地市场监管所"] == (0, 2, 2, 2)
    # A submitted item waits beside the figures (待审核) and counts in none of them.
    assert rows["丙地市场监管所"] == (1, 0, 0, 0)
    a = ranking[0]
    assert (a.adopted_county, a.adopted_city, a.adopted_province, a.adopted_national) == (1, 1, 1, 1)
    assert "价监科" in rows  # it reported news, so it is listed too
    assert inactive.name not in rows


def test_a_news_item_adopted_by_three_outlets_counts_once_as_adopted(campaign):
    item = NewsItemFactory(approved=True)
    for level in Adoption.Level.values[:3]:
        AdoptionFactory(news_item=item, level=level)

    assert selectors.adopted_news_count(campaign) == 1


def test_an_adoption_of_an_item_no_longer_approved_changes_no_figure(campaign, unit_a):
    """Only approved items count; data that slipped past the services (an item set back to submitted
    after its adoption) moves neither the ranking nor the target metric."""
    item = NewsItemFactory(unit=unit_a, approved=True)
    AdoptionFactory(news_item=item)
    NewsItem.objects.filter(pk=item.pk).update(review_status=ReviewStatus.SUBMITTED)

    row = next(u for u in selectors.news_ranking(campaign=campaign) if u.pk == unit_a.pk)

    assert (row.pending_items, row.approved_items, row.adopted_items, row.adoptions_total) == (1, 0, 0, 0)
    assert selectors.adopted_news_count(campaign) == 0


@pytest.mark.parametrize("status", [ReviewStatus.SUBMITTED, ReviewStatus.RETURNED])
def test_a_submitted_or_returned_activity_changes_no_figure_until_approved(
    campaign, office_a, bureau_admin, status
):
    activity = PublicityActivityFactory(unit=office_a.unit, review_status=status, participants=150)
    before = selectors.publicity_progress(user=bureau_admin, campaign=campaign)
    targets_before = selectors.offline_activities_count(campaign), selectors.participants_count(campaign)

    assert (before["offline"], before["participants"]) == (0, 0)
    assert before["pending"] == (1 if status == ReviewStatus.SUBMITTED else 0)
    assert targets_before == (0, 0)

    PublicityActivity.objects.filter(pk=activity.pk).update(review_status=ReviewStatus.APPROVED)
    after = selectors.publicity_progress(user=bureau_admin, campaign=campaign)

    assert (after["offline"], after["participants"], after["pending"]) == (1, 150, 0)
    assert (selectors.offline_activities_count(campaign), selectors.participants_count(campaign)) == (1, 150)
