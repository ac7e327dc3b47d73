"""The publicity activity list's figures line (审核通过 N 场…) reads the precomputed facts (records.lists),
equals a recount of the approved activities it lists per channel, and counts the records when narrowed
by what the facts do not hold (issue 14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from publicity import selectors
from publicity.models import PublicityActivity
from records.facts import facts_rebuild
from records.models import Fact, ReviewStatus
from tests.html import text_of
from tests.publicity.factories import PublicityActivityFactory

LIST = "/workbench/publicity/activities/"
LABEL = "publicity.publicityactivity"


@pytest.fixture
def activities(campaign, office_a, office_b):
    """Approved offline and online activities in both units, one submitted and one draft in unit_a;
    the factory approves without the review service, so the figures are recounted after."""
    made = [
        PublicityActivityFactory(unit=office_a.unit, created_by=office_a, approved=True),
        PublicityActivityFactory(
            unit=office_a.unit, created_by=office_a, approved=True, online=True, date=dt.date(2025, 5, 21)
        ),
        PublicityActivityFactory(unit=office_b.unit, created_by=office_b, approved=True),
        PublicityActivityFactory(
            unit=office_a.unit, created_by=office_a, review_status=ReviewStatus.SUBMITTED
        ),
        PublicityActivityFactory(unit=office_a.unit, created_by=office_a),
    ]
    facts_rebuild(campaign)
    return made


def figures(response) -> dict:
    return response.context["totals"]


@pytest.mark.parametrize(("actor", "count"), [("leader", 3), ("bureau_admin", 3), ("office_a", 2)])
def test_the_line_equals_a_recount_for_each_role(client, request, activities, actor, count):
    user = request.getfixturevalue(actor)
    client.force_login(user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert figures(response) == selectors.activity_totals(selectors.activity_list_for_user(user=user))
    assert (figures(response)["activities"], figures(response)["online"], figures(response)["pending"]) == (
        count,
        1,
        1,
    )
    assert figures(response)["views"] == 1500
    assert text_of(response, '[data-testid="totals"]').startswith(
        f"审核通过 {count} 场（线下 {count - 1}，线上 1）"
    )


def test_the_line_reads_the_facts_not_the_records(client, activities, leader):
    Fact.objects.filter(record_type=LABEL, metric="participants", unit=activities[2].unit).update(
        value=Decimal(10_000)
    )
    client.force_login(leader)

    response = client.get(LIST)

    assert figures(response)["participants"] == 150 + 10_000  # unit_a's offline activity, and the cell


@pytest.mark.parametrize(
    "query",
    ["date_from=2025-05-21", "review_status=submitted", f"channel={PublicityActivity.Channel.ONLINE}"],
)
def test_filtered_lines_equal_a_recount(client, activities, leader, query):
    """The facts answer a date or review filter; a channel filter counts the records."""
    client.force_login(leader)

    response = client.get(f"{LIST}?{query}")

    assert figures(response) == selectors.activity_totals(response.context["view"].object_list)
