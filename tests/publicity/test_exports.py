"""The workbook sheets publicity registers: 宣传活动 and 信息报送, approved records only, in the
report's period and unit."""

from __future__ import annotations

import datetime as dt

from core.exporters import SheetContext, registered
from publicity.exports import ACTIVITY_HEADERS, NEWS_HEADERS, ActivitySheet, NewsSheet
from records.models import ReviewStatus
from tests.publicity.factories import AdoptionFactory, NewsItemFactory, PublicityActivityFactory


def test_the_sheets_are_registered_in_workbook_order():
    sheets = {sheet.identifier: sheet for sheet in registered()}

    assert (sheets["publicity.activities"].title, sheets["publicity.activities"].order) == ("宣传活动", 60)
    assert (sheets["publicity.news"].title, sheets["publicity.news"].order) == ("信息报送", 70)
    assert sheets["publicity.activities"].headers == ACTIVITY_HEADERS
    assert sheets["publicity.news"].headers == NEWS_HEADERS


def test_the_activity_sheet_lists_approved_activities_of_the_period_and_unit(campaign, unit_a, unit_b):
    kept = PublicityActivityFactory(unit=unit_a, approved=True, title="通过的", date=dt.date(2025, 5, 20))
    PublicityActivityFactory(unit=unit_a, approved=True, title="期外的", date=dt.date(2025, 5, 1))
    PublicityActivityFactory(unit=unit_b, approved=True, title="别的单位", date=dt.date(2025, 5, 20))
    for status in (ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED):
        PublicityActivityFactory(unit=unit_a, review_status=status, title=status, date=dt.date(2025, 5, 20))
    context = SheetContext(
        campaign=campaign, date_from=dt.date(2025, 5, 10), date_to=dt.date(2025, 5, 31), unit=unit_a
    )

    rows = list(ActivitySheet().rows(context))

    assert [row[2] for row in rows] == [kept.title]
    assert rows[0][-1] == "已通过"


def test_the_news_sheet_lists_approved_items_with_their_adoptions(campaign, unit_a):
    item = NewsItemFactory(unit=unit_a, approved=True, title="已通过的信息")
    AdoptionFactory(news_item=item, level="province", outlet="重庆日报")
    NewsItemFactory(unit=unit_a, review_status=ReviewStatus.SUBMITTED, title="待审核的信息")

    rows = list(NewsSheet().rows(SheetContext(campaign=campaign)))

    assert [(row[2], row[4], row[5]) for row in rows] == [("已通过的信息", 1, "省级")]
