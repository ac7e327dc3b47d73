"""What the dashboard shows at a glance (issue 15): zero-filled weeks, the office ranking across the
workstreams, the banner for open serious 舆情, visible filters and targets labelled with their scope.

Expected figures are computed by hand from the records each test creates; records that are not
approved carry figures that would show if they leaked into an official count.
"""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Target
from dashboard import selectors
from opinion.models import OpinionIncident
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import TaskAssignmentFactory, UnitFactory, WorkstreamFactory
from tests.html import parse
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, campaign_2025
from tests.opinion.factories import OpinionIncidentFactory, level
from tests.publicity.factories import AdoptionFactory, NewsItemFactory, PublicityActivityFactory

URL = "/dashboard/"
APPROVED, SUBMITTED, DRAFT, RETURNED = (
    ReviewStatus.APPROVED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
)
NOT_COUNTED = (SUBMITTED, DRAFT, RETURNED)


@pytest.fixture
def campaign(db):
    campaign = campaign_2025()
    workstream = WorkstreamFactory(
        campaign=campaign, number=1, notice_ref="二（一）", title="参与微站千万计划"
    )
    Target.objects.create(
        campaign=campaign, workstream=workstream, metric="microstations.stations_opened", label="微站", goal=9
    )
    return campaign


def station_activities(campaign, unit, status, n, day=dt.date(2025, 5, 12)):
    station = MicroStationFactory(campaign=campaign, supervising_unit=unit, opened=True)
    for _ in range(n):
        StationActivityFactory(station=station, review_status=status, date=day)


# --- Zero-filled weeks ---------------------------------------------------------------------------------


def test_weeks_without_activities_are_shown_as_zero_not_dropped(
    client, leader, campaign, unit_a, campaign_clock
):
    # Today is Tuesday 20 May 2025; the campaign starts Friday 25 April: weeks of 21 Apr … 19 May.
    station_activities(campaign, unit_a, APPROVED, 2, day=dt.date(2025, 4, 29))
    station_activities(campaign, unit_a, APPROVED, 1, day=dt.date(2025, 5, 14))
    station_activities(campaign, unit_a, SUBMITTED, 5, day=dt.date(2025, 5, 6))
    client.force_login(leader)

    activity = client.get(URL).context["chart_data"]["activity"]

    assert activity["weeks"] == ["2025-04-21", "2025-04-28", "2025-05-05", "2025-05-12", "2025-05-19"]
    stations = next(s for s in activity["series"] if s["name"] == "微站活动")
    assert stations["data"] == [0, 2, 0, 1, 0]  # the submitted five are not counted
    publicity = next(s for s in activity["series"] if s["name"] == "宣传活动")
    assert publicity["data"] == [0, 0, 0, 0, 0]


def test_a_period_filter_bounds_the_zero_filled_weeks(client, leader, campaign, unit_a, campaign_clock):
    station_activities(campaign, unit_a, APPROVED, 1, day=dt.date(2025, 5, 14))
    client.force_login(leader)

    response = client.get(URL, {"date_from": "2025-05-01", "date_to": "2025-05-18"})

    activity = response.context["chart_data"]["activity"]
    assert activity["weeks"] == ["2025-04-28", "2025-05-05", "2025-05-12"]
    assert activity["series"][0]["data"] == [0, 0, 1]


def test_zero_filled_weeks_keep_counts_and_never_reach_past_today(campaign):
    filters = selectors.Filters(campaign=campaign)
    activity = {"weeks": ["2025-05-05"], "series": [{"name": "x", "data": [4]}], "pending": 1}

    filled = selectors.zero_filled_weeks(activity, filters, dt.date(2025, 5, 6))

    assert filled == {
        "weeks": ["2025-04-21", "2025-04-28", "2025-05-05"],
        "series": [{"name": "x", "data": [0, 0, 4]}],
        "pending": 1,
    }


# --- Office ranking ------------------------------------------------------------------------------------


@pytest.fixture
def ranked(campaign, unit_a, unit_b):
    """Three offices and the enforcement brigade with approved and not-approved records, by hand:

    unit   station  publicity  adoptions  inspections  visits  total  workstreams
    甲地        2         1          1           0        0      4        3
    乙地        0         0          0           3        1      4        2
    丙地        0         0          0           0        0      0        0
    执法          0         0          0           1        0      1        1
    """
    unit_c = UnitFactory(name="丙地市场监管所", short_name="丙地所", sort_order=1)
    brigade = UnitFactory(name="执法一大队", short_name="一大队", kind="enforcement", sort_order=2)
    station_activities(campaign, unit_a, APPROVED, 2)
    PublicityActivityFactory(campaign=campaign, unit=unit_a, review_status=APPROVED)
    AdoptionFactory(news_item=NewsItemFactory(campaign=campaign, unit=unit_a, approved=True))
    for _ in range(3):
        InspectionFactory(campaign=campaign, unit=unit_b, review_status=APPROVED)
    EnterpriseVisitFactory(campaign=campaign, unit=unit_b, review_status=APPROVED)
    InspectionFactory(campaign=campaign, unit=brigade, review_status=APPROVED)
    # Not approved: none of these may move a figure or a place.
    for status in NOT_COUNTED:
        station_activities(campaign, unit_c, status, 3)
        PublicityActivityFactory(campaign=campaign, unit=unit_c, review_status=status)
        InspectionFactory(campaign=campaign, unit=unit_c, review_status=status)
        EnterpriseVisitFactory(campaign=campaign, unit=unit_c, review_status=status)
        AdoptionFactory(news_item=NewsItemFactory(campaign=campaign, unit=unit_c, review_status=status))
    return {"a": unit_a, "b": unit_b, "c": unit_c, "brigade": brigade}


def test_offices_are_ranked_across_workstreams_from_approved_records(campaign, ranked):
    rows = selectors.office_ranking(selectors.Filters(campaign=campaign))

    assert [(row.unit_name, row.counts, row.total, row.rank) for row in rows] == [
        ("甲地市场监管所", [2, 1, 1, 0, 0], 4, 1),  # 4 records over 3 workstreams
        ("乙地市场监管所", [0, 0, 0, 3, 1], 4, 2),  # 4 records over 2 workstreams
        ("执法一大队", [0, 0, 0, 1, 0], 1, 3),  # not an office, but it has approved records
        ("丙地市场监管所", [0, 0, 0, 0, 0], 0, 4),  # an office with nothing approved still shows
    ]


def test_equal_totals_and_coverage_share_a_rank(campaign, unit_a, unit_b):
    station_activities(campaign, unit_a, APPROVED, 1)
    station_activities(campaign, unit_b, APPROVED, 1)

    rows = selectors.office_ranking(selectors.Filters(campaign=campaign))

    assert [(row.unit_name, row.rank) for row in rows] == [("甲地市场监管所", 1), ("乙地市场监管所", 1)]


def test_the_ranking_follows_the_period_filter(campaign, ranked):
    station_activities(campaign, ranked["c"], APPROVED, 5, day=dt.date(2025, 6, 10))
    may = selectors.Filters(campaign=campaign, date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 5, 31))

    in_may = {row.unit_name: row.total for row in selectors.office_ranking(may)}
    overall = {row.unit_name: row.total for row in selectors.office_ranking(selectors.Filters(campaign))}

    assert in_may["丙地市场监管所"] == 0
    assert overall["丙地市场监管所"] == 5


def test_the_ranking_table_marks_the_filtered_unit_and_keeps_the_others(client, leader, campaign, ranked):
    TaskAssignmentFactory(unit=ranked["b"], task__campaign=campaign)  # the filter offers units with tasks
    client.force_login(leader)

    page = parse(client.get(URL, {"unit": ranked["b"].pk}).content)

    rows = page.cssselect("table.ranking tbody tr")
    assert [row.get("data-unit") for row in rows] == [
        str(ranked[key].pk) for key in ("a", "b", "brigade", "c")
    ]
    selected = page.cssselect("table.ranking tr.selected")
    assert [row.get("data-unit") for row in selected] == [str(ranked["b"].pk)]
    assert selected[0].cssselect("td[data-rank]")[0].text_content() == "2"
    assert selected[0].cssselect("td[data-total]")[0].text_content() == "4"


# --- The banner for open serious 舆情 -------------------------------------------------------------------


def test_open_larger_and_major_incidents_raise_a_banner_most_severe_first(client, leader, campaign):
    larger = OpinionIncidentFactory(campaign=campaign, level=level("larger"), title="较大事件")
    major = OpinionIncidentFactory(
        campaign=campaign, level=level("major"), title="重大事件", status=OpinionIncident.Status.HANDLING
    )
    OpinionIncidentFactory(campaign=campaign, level=level("general"), title="一般事件")
    OpinionIncidentFactory(
        campaign=campaign,
        level=level("major"),
        title="已办结的重大事件",
        status=OpinionIncident.Status.CLOSED,
        closed_on=dt.date(2025, 5, 21),
        response="已回应",
        handling_summary="已处置",
    )
    client.force_login(leader)

    page = parse(client.get(URL).content)

    banner = page.cssselect("section.serious-incidents[role='alert']")
    assert len(banner) == 1
    assert banner[0].get("data-serious-incidents") == "2"
    assert "有 2 起较大及以上舆情尚未办结" in banner[0].text_content()
    links = [a.get("href") for a in banner[0].cssselect("li a")]
    assert links == [major.get_absolute_url(), larger.get_absolute_url()]


def test_no_banner_when_only_general_incidents_are_open(client, leader, campaign):
    OpinionIncidentFactory(campaign=campaign, level=level("general"))
    level("major")  # the level exists, no incident has it
    client.force_login(leader)

    page = parse(client.get(URL).content)

    assert page.cssselect("section.serious-incidents") == []


def test_the_banner_follows_the_unit_filter_but_not_the_period(campaign, unit_a, unit_b):
    mine = OpinionIncidentFactory(campaign=campaign, level=level("major"), handling_unit=unit_a)
    OpinionIncidentFactory(campaign=campaign, level=level("major"), handling_unit=unit_b)
    june = selectors.Filters(
        campaign=campaign, date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30), unit=unit_a
    )

    assert selectors.open_serious_incidents(june) == [mine]  # discovered 20 May, still open: shown


# --- Visible filters and targets labelled with their scope ----------------------------------------------


def test_filters_are_shown_open_not_folded_away(client, leader, campaign):
    client.force_login(leader)

    page = parse(client.get(URL).content)

    assert page.cssselect("details.filters") == []
    form = page.cssselect("section.dash-filters form.filter-form")
    assert len(form) == 1
    assert {el.get("name") for el in form[0].cssselect("select, input")} >= {
        "campaign",
        "date_from",
        "date_to",
        "unit",
    }


def test_a_unit_filter_labels_the_targets_as_county_wide(client, leader, campaign, unit_a):
    TaskAssignmentFactory(unit=unit_a, task__campaign=campaign)
    client.force_login(leader)

    unfiltered = parse(client.get(URL).content)
    filtered = parse(client.get(URL, {"unit": unit_a.pk}).content)

    assert unfiltered.cssselect(".scope-note") == []
    assert unfiltered.cssselect(".scope-tag") == []
    note = filtered.cssselect(".scope-note")[0]
    assert note.get("data-scope-unit") == str(unit_a.pk)
    assert "当前范围：甲地市场监管所" in note.text_content()
    target = filtered.cssselect(
        "article.ws-card[data-workstream='1'] .summary-tile[data-figure='微站（全县）']"
    )[0]
    assert target.cssselect(".scope-tag")[0].text_content() == "全县目标"


# --- Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_the_new_panels_run_a_fixed_number_of_queries(
    campaign, unit_a, unit_b, size, django_assert_num_queries
):
    for unit in (unit_a, unit_b):
        station_activities(campaign, unit, APPROVED, size)
        for _ in range(size):
            InspectionFactory(campaign=campaign, unit=unit, review_status=APPROVED)
            OpinionIncidentFactory(campaign=campaign, level=level("major"), handling_unit=unit)
    filters = selectors.Filters(campaign=campaign)

    # Ranking: 1 approved records by unit and type from the precomputed facts (station activities,
    # publicity activities, inspections, visits), 2 adoptions by unit, 3 the units.
    with django_assert_num_queries(3):
        assert len(selectors.office_ranking(filters)) == 2
    # Banner: 1 open incidents above the least severe level (a subquery), with level and unit joined.
    with django_assert_num_queries(1):
        incidents = selectors.open_serious_incidents(filters)
        assert [i.handling_unit.name for i in incidents].count(unit_a.name) == size
