"""The station activity list's figures line (已通过 N 场，覆盖 … 人次，发放资料 … 份) reads the precomputed
facts (records.lists), equals a recount of the approved activities it lists, and counts the records
when narrowed by what the facts do not hold (issue 14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from microstations import selectors
from microstations.models import StationActivity
from records.facts import facts_rebuild
from records.models import Fact, ReviewStatus
from tests.html import text_of
from tests.microstations.factories import StationActivityFactory

LIST = "/workbench/microstations/activities/"
LABEL = "microstations.stationactivity"


@pytest.fixture
def activities(campaign, station_a, station_b, office_a, office_b):
    """Two approved activities at station_a, one at station_b, one submitted and one draft at station_a;
    the factory approves without the review service, so the figures are recounted after."""
    approved = {"review_status": ReviewStatus.APPROVED}
    made = [
        StationActivityFactory(station=station_a, created_by=office_a, **approved),
        StationActivityFactory(
            station=station_a, created_by=office_a, date=dt.date(2025, 5, 21), people_reached=30, **approved
        ),
        StationActivityFactory(station=station_b, created_by=office_b, **approved),
        StationActivityFactory(station=station_a, created_by=office_a, review_status=ReviewStatus.SUBMITTED),
        StationActivityFactory(station=station_a, created_by=office_a),
    ]
    facts_rebuild(campaign)
    return made


@pytest.mark.parametrize(("actor", "count", "people"), [("leader", 3, 270), ("office_a", 2, 150)])
def test_the_line_equals_a_recount_for_each_role(db, client, request, activities, actor, count, people):
    user = request.getfixturevalue(actor)
    client.force_login(user)

    response = client.get(LIST)

    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals == selectors.activity_totals(response.context["view"].object_list)
    assert totals == {"count": count, "people": people, "materials": 80 * count, "pending": 1}
    assert text_of(response, '[data-testid="totals"]').startswith(f"已通过 {count} 场，覆盖 {people} 人次")


def test_the_line_reads_the_facts_not_the_records(client, activities, leader):
    Fact.objects.filter(record_type=LABEL, metric="people_reached", unit=activities[2].unit).update(
        value=Decimal(10_000)
    )
    client.force_login(leader)

    response = client.get(LIST)

    assert response.context["totals"]["people"] == 120 + 30 + 10_000  # station_a's two, and the cell


@pytest.mark.parametrize(
    "query", ["date_from=2025-05-21", "review_status=submitted", f"topic={StationActivity.Topic.SCIENCE}"]
)
def test_filtered_lines_equal_a_recount(client, activities, leader, query):
    """The facts answer a date or review filter; any other filter counts the records."""
    client.force_login(leader)

    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert response.context["totals"] == selectors.activity_totals(response.context["view"].object_list)
