"""The dashboard's period (date range) and campaign filters, panel by panel (issue 21).

Every expected figure below is computed by hand from the records the fixtures create, never through
the selectors. Each record type is created approved inside the period, approved outside it, and
submitted, draft and returned on both dates, the not-approved ones with figures a hundred times larger
so that any leak into an official figure shows.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from campaigns.models import Target
from inspections.models import DOMAIN_ROW_LABELS, Domain
from records.models import ReviewStatus
from reports.models import Report
from tests.enterprises.factories import EnterpriseVisitFactory, MetrologyProblemFactory
from tests.factories import CampaignFactory, TaskAssignmentFactory, WorkstreamFactory
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import (
    MicroStationFactory,
    StationActivityFactory,
    VolunteerFactory,
    campaign_2025,
)
from tests.opinion.factories import OpinionIncidentFactory, level
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

URL = "/dashboard/"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

IN_PERIOD = dt.date(2025, 5, 20)  # a Tuesday: its week (the activity chart's key) starts Monday 19 May
OUT_OF_PERIOD = dt.date(2025, 6, 10)  # a Tuesday: week of Monday 9 June
MAY = {"date_from": "2025-05-01", "date_to": "2025-05-31"}
IN_SIZE, OUT_SIZE, NOT_COUNTED_SIZE = 7, 3, 100

SCALES = str(DOMAIN_ROW_LABELS[Domain.SCALES])
_case_numbers = itertools.count(1)


def workstreams(campaign) -> None:
    for number, ref, title in [
        (1, "二（一）", "参与微站千万计划"),
        (2, "二（二）", "线上线下宣传"),
        (3, "二（三）", "专项检查"),
        (4, "二（四）", "服务中小企业"),
    ]:
        WorkstreamFactory(campaign=campaign, number=number, notice_ref=ref, title=title)


def records_on(campaign, unit, station, status: str, day: dt.date, size: int) -> None:
    """One record of each reviewed type dated `day` (news items have no date), every figure a multiple
    of `size`: a station activity (10·size people), an offline publicity activity (10·size participants,
    20·size materials), an online post (100·size views), a news item, a scales inspection (size
    instruments, size problems, a case filed) and an SME visit (size instruments, one problem raised)."""
    StationActivityFactory(station=station, review_status=status, date=day, people_reached=10 * size)
    PublicityActivityFactory(
        campaign=campaign,
        unit=unit,
        review_status=status,
        date=day,
        participants=10 * size,
        materials_distributed=20 * size,
    )
    PublicityActivityFactory(
        campaign=campaign, unit=unit, review_status=status, date=day, online=True, views=100 * size
    )
    NewsItemFactory(campaign=campaign, unit=unit, review_status=status)
    InspectionFactory(
        campaign=campaign,
        unit=unit,
        review_status=status,
        date=day,
        instruments_checked=size,
        mandatory_count=size,
        problems_found=size,
        case_no=f"巫市监立〔{day.year}〕{next(_case_numbers)}号",
    )
    visit = EnterpriseVisitFactory(
        campaign=campaign, unit=unit, review_status=status, date=day, instruments_serviced=size
    )
    MetrologyProblemFactory(visit=visit)


NOT_COUNTED = (ReviewStatus.SUBMITTED, ReviewStatus.DRAFT, ReviewStatus.RETURNED)


def weeks_with_activity(response) -> dict:
    """The activity chart without the weeks it zero-fills (test_dashboard_look covers those): the
    weeks that have approved activities, with their counts, and the pending count."""
    chart = response.context["chart_data"]["activity"]
    kept = [i for i, _week in enumerate(chart["weeks"]) if any(s["data"][i] for s in chart["series"])]
    return {
        "weeks": [chart["weeks"][i] for i in kept],
        "series": [{"name": s["name"], "data": [s["data"][i] for i in kept]} for s in chart["series"]],
        "pending": chart["pending"],
    }


@pytest.fixture
def campaign(db, unit_a):
    """The 2025 campaign: four workstreams, two county targets, one opened station of unit A with one
    小小宣传员, every record type approved in May (size 7) and in June (size 3) and not approved on both
    dates, a 舆情 incident on each date and an overdue task due on each date."""
    campaign = campaign_2025()
    workstreams(campaign)
    first = campaign.workstreams.get(number=1)
    Target.objects.create(
        campaign=campaign, workstream=first, metric="microstations.stations_opened", label="微站", goal=9
    )
    Target.objects.create(
        campaign=campaign, workstream=first, metric="volunteers.recruited", label="宣传员", goal=9
    )
    station = MicroStationFactory(campaign=campaign, supervising_unit=unit_a, opened=True)
    VolunteerFactory(station=station, junior=True)
    records_on(campaign, unit_a, station, ReviewStatus.APPROVED, IN_PERIOD, IN_SIZE)
    records_on(campaign, unit_a, station, ReviewStatus.APPROVED, OUT_OF_PERIOD, OUT_SIZE)
    for status in NOT_COUNTED:
        for day in (IN_PERIOD, OUT_OF_PERIOD):
            records_on(campaign, unit_a, station, status, day, NOT_COUNTED_SIZE)
    for day in (IN_PERIOD, OUT_OF_PERIOD):
        OpinionIncidentFactory(
            campaign=campaign,
            handling_unit=unit_a,
            discovered_at=dt.datetime.combine(day, dt.time(9, 30), tzinfo=SHANGHAI),
        )
        TaskAssignmentFactory(unit=unit_a, task__campaign=campaign, task__due_date=day)
    return campaign


def figures(response) -> dict[int, dict[str, object]]:
    return {card.number: {f.label: f.value for f in card.figures} for card in response.context["cards"]}


def pending_by_card(response) -> dict[int, int]:
    return {card.number: card.pending for card in response.context["cards"]}


def nonzero(labels, values) -> dict[str, int]:
    return {label: value for label, value in zip(labels, values, strict=True) if value}


def visit_problems_label(response) -> str:
    card = next(card for card in response.context["cards"] if card.number == 4)
    return next(f.unit_label for f in card.figures if f.label == "解决计量难题")


# The 2025 figures by hand. Targets (微站, 宣传员) and 小小宣传员 count the campaign's stations and
# volunteers, which have no record date: the same in every period.
WHOLE_2025 = {
    1: {"微站": 1, "宣传员": 1, "微站活动": 2, "活动覆盖": 70 + 30, "小小宣传员": 1},
    2: {"线下宣传": 2, "线上推送": 2, "线上阅读": 700 + 300, "参与群众": 70 + 30, "发放资料": 140 + 60},
    3: {"检查单位": 2, "检查器具": 7 + 3, "发现问题": 7 + 3, "立案": 2},
    4: {"服务企业": 2, "解决计量难题": 0, "检定校准器具": 7 + 3},
}
MAY_2025 = {
    1: {"微站": 1, "宣传员": 1, "微站活动": 1, "活动覆盖": 70, "小小宣传员": 1},
    2: {"线下宣传": 1, "线上推送": 1, "线上阅读": 700, "参与群众": 70, "发放资料": 140},
    3: {"检查单位": 1, "检查器具": 7, "发现问题": 7, "立案": 1},
    4: {"服务企业": 1, "解决计量难题": 0, "检定校准器具": 7},
}
JUNE_2025 = {
    1: {"微站": 1, "宣传员": 1, "微站活动": 1, "活动覆盖": 30, "小小宣传员": 1},
    2: {"线下宣传": 1, "线上推送": 1, "线上阅读": 300, "参与群众": 30, "发放资料": 60},
    3: {"检查单位": 1, "检查器具": 3, "发现问题": 3, "立案": 1},
    4: {"服务企业": 1, "解决计量难题": 0, "检定校准器具": 3},
}
# 待审核: the submitted records dated in the period; card 2's news items have no date, so both of them
# are pending whatever the period (documented in reports.selectors.pending_by_type).
WHOLE_2025_PENDING = {1: 2, 2: 4 + 2, 3: 2, 4: 2}
PERIOD_2025_PENDING = {1: 1, 2: 2 + 2, 3: 1, 4: 1}


def test_the_period_counts_records_dated_in_it_and_not_outside_on_every_dated_panel(client, leader, campaign):
    client.force_login(leader)

    whole = client.get(URL)
    may = client.get(URL, MAY)

    assert may.context["filters"].date_from == dt.date(2025, 5, 1)
    assert may.context["filters"].date_to == dt.date(2025, 5, 31)
    # Cards: the approved May records (size 7) only; June's (size 3) and every not approved one out.
    assert figures(whole) == WHOLE_2025
    assert figures(may) == MAY_2025
    # 解决计量难题 reads "solved / raised": one problem raised on each approved visit.
    assert (visit_problems_label(whole), visit_problems_label(may)) == ("/2个", "/1个")
    assert pending_by_card(whole) == WHOLE_2025_PENDING
    assert pending_by_card(may) == PERIOD_2025_PENDING

    # Activity chart: approved station and publicity activities by week, the submitted ones beside.
    assert weeks_with_activity(whole) == {
        "weeks": ["2025-05-19", "2025-06-09"],
        "series": [{"name": "微站活动", "data": [1, 1]}, {"name": "宣传活动", "data": [2, 2]}],
        "pending": 6,
    }
    assert weeks_with_activity(may) == {
        "weeks": ["2025-05-19"],
        "series": [{"name": "微站活动", "data": [1]}, {"name": "宣传活动", "data": [2]}],
        "pending": 3,
    }

    # Inspection chart: instruments and problems by domain (all the records are of scales).
    for response, size, pending in [(whole, 7 + 3, 2), (may, 7, 1)]:
        chart = response.context["chart_data"]["inspections"]
        assert len(chart["domains"]) == 6
        assert nonzero(chart["domains"], chart["instruments"]) == {SCALES: size}
        assert nonzero(chart["domains"], chart["problems"]) == {SCALES: size}
        assert chart["pending"] == pending

    # Latest approved station activities: June's and May's, newest first; May's only in May.
    june_activity, may_activity = (a.pk for a in whole.context["latest_activities"])
    assert [a.date for a in whole.context["latest_activities"]] == [OUT_OF_PERIOD, IN_PERIOD]
    assert [a.pk for a in may.context["latest_activities"]] == [may_activity]
    assert june_activity != may_activity


@pytest.mark.parametrize(
    ("period", "expected", "pending", "weeks", "dates"),
    [
        # Both ends are inclusive: a one-day period on the record's date counts it.
        (
            {"date_from": "2025-05-20", "date_to": "2025-05-20"},
            MAY_2025,
            PERIOD_2025_PENDING,
            ["2025-05-19"],
            [IN_PERIOD],
        ),
        # An open end: from the June record's date on.
        ({"date_from": "2025-06-10"}, JUNE_2025, PERIOD_2025_PENDING, ["2025-06-09"], [OUT_OF_PERIOD]),
        # An open start: up to the day before it.
        ({"date_to": "2025-06-09"}, MAY_2025, PERIOD_2025_PENDING, ["2025-05-19"], [IN_PERIOD]),
        # A period with no record in it: every dated figure is zero, only the undated ones remain.
        (
            {"date_from": "2025-05-21", "date_to": "2025-06-09"},
            {
                1: {"微站": 1, "宣传员": 1, "微站活动": 0, "活动覆盖": 0, "小小宣传员": 1},
                2: {"线下宣传": 0, "线上推送": 0, "线上阅读": 0, "参与群众": 0, "发放资料": 0},
                3: {"检查单位": 0, "检查器具": 0, "发现问题": 0, "立案": 0},
                4: {"服务企业": 0, "解决计量难题": 0, "检定校准器具": 0},
            },
            {1: 0, 2: 2, 3: 0, 4: 0},
            [],
            [],
        ),
    ],
)
def test_period_edges_are_inclusive_and_either_end_may_be_open(
    client, leader, campaign, period, expected, pending, weeks, dates
):
    client.force_login(leader)

    response = client.get(URL, period)

    assert figures(response) == expected
    assert pending_by_card(response) == pending
    activity = weeks_with_activity(response)
    assert activity["weeks"] == weeks
    assert [sum(s["data"]) for s in activity["series"]] == ([1, 2] if weeks else [0, 0])
    assert [a.date for a in response.context["latest_activities"]] == dates


def test_undated_panels_ignore_the_period(client, leader, campaign, unit_a):
    """Panels read from things without a record date stay the same under any period:

    - the targets (微站, 宣传员) are the campaign's county-wide goals, counted over its stations and
      volunteers (campaigns.selectors.target_progress takes no dates), as is 小小宣传员;
    - task timeliness (its table and chart) and the overdue follow-ups are about tasks and their due
      dates, not records (campaigns.selectors.timeliness_by_unit takes no dates).
    The 舆情 chart and the newest incidents do follow the period (by discovery date): see the end.
    """
    client.force_login(leader)

    whole = client.get(URL)
    may = client.get(URL, MAY)

    for response in (whole, may):
        cards = figures(response)
        assert (cards[1]["微站"], cards[1]["宣传员"], cards[1]["小小宣传员"]) == (1, 1, 1)
        # Both tasks (due 20 May and 10 June 2025) are overdue and not yet signed for.
        (row,) = response.context["timeliness"]
        assert (row["unit_id"], row["total"], row["overdue"], row["unacknowledged"]) == (unit_a.pk, 2, 2, 2)
        assert (row["done_on_time"], row["done_late"], row["open"]) == (0, 0, 0)
        assert response.context["chart_data"]["timeliness"] == [
            {"unit": unit_a.name, "values": [0, 0, 2, 0, 2]}
        ]
        assert [a.task.due_date for a in response.context["overdue_followups"]] == [IN_PERIOD, OUT_OF_PERIOD]

    # 舆情: the incidents discovered in the period, on the chart and in the newest list.
    for response, found, newest in ((whole, 2, [OUT_OF_PERIOD, IN_PERIOD]), (may, 1, [IN_PERIOD])):
        assert response.context["chart_data"]["opinion"] == {
            "levels": ["一般"],
            "series": [
                {"name": "已发现", "data": [found]},
                {"name": "研判", "data": [0]},
                {"name": "处置中", "data": [0]},
                {"name": "已办结", "data": [0]},
            ],
        }
        assert [i.discovered_at.date() for i in response.context["newest_incidents"]] == newest


@pytest.fixture
def campaign_2024(campaign, unit_a, unit_b, leader):
    """A second, older campaign beside the 2025 one: its own workstreams, one target (微站, goal 5),
    two opened stations of unit A and no volunteers, every record type approved (size 5) and submitted
    on 21 May 2024, a 较大 incident, an overdue task of unit B and a report."""
    other = CampaignFactory(year=2024, start_date=dt.date(2024, 4, 25), end_date=dt.date(2024, 6, 30))
    workstreams(other)
    Target.objects.create(
        campaign=other,
        workstream=other.workstreams.get(number=1),
        metric="microstations.stations_opened",
        label="微站",
        goal=5,
    )
    station = MicroStationFactory(
        campaign=other, supervising_unit=unit_a, opened=True, opened_on=dt.date(2024, 5, 16)
    )
    MicroStationFactory(campaign=other, supervising_unit=unit_a, opened=True, opened_on=dt.date(2024, 5, 16))
    day = dt.date(2024, 5, 21)  # a Tuesday: week of Monday 20 May 2024
    records_on(other, unit_a, station, ReviewStatus.APPROVED, day, 5)
    records_on(other, unit_a, station, ReviewStatus.SUBMITTED, day, NOT_COUNTED_SIZE)
    OpinionIncidentFactory(
        campaign=other,
        handling_unit=unit_a,
        level=level("larger"),
        discovered_at=dt.datetime(2024, 5, 21, 8, 0, tzinfo=SHANGHAI),
    )
    TaskAssignmentFactory(unit=unit_b, task__campaign=other, task__due_date=dt.date(2024, 5, 10))
    Report.objects.create(campaign=other, kind=Report.Kind.ON_DEMAND, requested_by=leader)
    return other


WHOLE_2024 = {
    1: {"微站": 2, "微站活动": 1, "活动覆盖": 50, "小小宣传员": 0},
    2: {"线下宣传": 1, "线上推送": 1, "线上阅读": 500, "参与群众": 50, "发放资料": 100},
    3: {"检查单位": 1, "检查器具": 5, "发现问题": 5, "立案": 1},
    4: {"服务企业": 1, "解决计量难题": 0, "检定校准器具": 5},
}


def test_a_campaigns_records_show_only_on_its_own_dashboard(
    client, leader, campaign, campaign_2024, unit_a, unit_b
):
    client.force_login(leader)

    default = client.get(URL)  # the newest campaign, 2025
    chosen_2025 = client.get(URL, {"campaign": campaign.pk})
    chosen_2024 = client.get(URL, {"campaign": campaign_2024.pk})

    for response in (default, chosen_2025):
        assert response.context["header"]["campaign"] == campaign
        assert figures(response) == WHOLE_2025
        assert pending_by_card(response) == WHOLE_2025_PENDING
        activity = weeks_with_activity(response)
        assert (activity["weeks"], activity["pending"]) == (["2025-05-19", "2025-06-09"], 6)
        chart = response.context["chart_data"]["inspections"]
        assert nonzero(chart["domains"], chart["instruments"]) == {SCALES: 10}
        assert response.context["chart_data"]["opinion"]["levels"] == ["一般"]
        assert {a.campaign_id for a in response.context["latest_activities"]} == {campaign.pk}
        assert len(response.context["latest_activities"]) == 2
        assert [i.campaign_id for i in response.context["newest_incidents"]] == [campaign.pk] * 2
        assert [row["unit_id"] for row in response.context["timeliness"]] == [unit_a.pk]
        assert [a.unit_id for a in response.context["overdue_followups"]] == [unit_a.pk] * 2
        assert response.context["recent_reports"] == []

    assert chosen_2024.context["header"]["campaign"] == campaign_2024
    assert figures(chosen_2024) == WHOLE_2024
    assert visit_problems_label(chosen_2024) == "/1个"
    assert pending_by_card(chosen_2024) == {1: 1, 2: 2 + 1, 3: 1, 4: 1}
    assert weeks_with_activity(chosen_2024) == {
        "weeks": ["2024-05-20"],
        "series": [{"name": "微站活动", "data": [1]}, {"name": "宣传活动", "data": [2]}],
        "pending": 3,
    }
    chart = chosen_2024.context["chart_data"]["inspections"]
    assert nonzero(chart["domains"], chart["instruments"]) == {SCALES: 5}
    assert nonzero(chart["domains"], chart["problems"]) == {SCALES: 5}
    assert chart["pending"] == 1
    assert chosen_2024.context["chart_data"]["opinion"]["levels"] == ["较大"]
    assert [sum(s["data"]) for s in chosen_2024.context["chart_data"]["opinion"]["series"]] == [1, 0, 0, 0]
    assert [(a.campaign_id, a.people_reached) for a in chosen_2024.context["latest_activities"]] == [
        (campaign_2024.pk, 50)
    ]
    assert [i.campaign_id for i in chosen_2024.context["newest_incidents"]] == [campaign_2024.pk]
    (row,) = chosen_2024.context["timeliness"]
    assert (row["unit_id"], row["total"], row["overdue"]) == (unit_b.pk, 1, 1)
    assert chosen_2024.context["chart_data"]["timeliness"] == [
        {"unit": unit_b.name, "values": [0, 0, 1, 0, 1]}
    ]
    assert [(a.unit_id, a.task.due_date) for a in chosen_2024.context["overdue_followups"]] == [
        (unit_b.pk, dt.date(2024, 5, 10))
    ]
    assert [r.campaign_id for r in chosen_2024.context["recent_reports"]] == [campaign_2024.pk]


def test_campaign_and_period_filters_combine(client, leader, campaign, campaign_2024):
    """2024's records are all dated May 2024: a May 2025 period on the 2024 campaign counts none of
    them (nor any 2025 record), while May 2024 counts them all."""
    client.force_login(leader)

    may_2025 = client.get(URL, {"campaign": campaign_2024.pk, **MAY})
    may_2024 = client.get(
        URL, {"campaign": campaign_2024.pk, "date_from": "2024-05-01", "date_to": "2024-05-31"}
    )

    cards = figures(may_2025)
    assert cards[1] == {"微站": 2, "微站活动": 0, "活动覆盖": 0, "小小宣传员": 0}
    assert set(cards[2].values()) == set(cards[3].values()) == set(cards[4].values()) == {0}
    # Only 2024's submitted news item, which has no date, is pending in any period.
    assert pending_by_card(may_2025) == {1: 0, 2: 1, 3: 0, 4: 0}
    assert weeks_with_activity(may_2025)["weeks"] == []
    assert may_2025.context["latest_activities"] == []
    assert figures(may_2024) == WHOLE_2024
    assert pending_by_card(may_2024) == {1: 1, 2: 3, 3: 1, 4: 1}


def populate(campaign, unit, size: int) -> None:
    """`size` opened stations of `unit`, each with records of every type approved in and out of May,
    submitted, draft and returned, a volunteer, an incident and an overdue task."""
    for _ in range(size):
        station = MicroStationFactory(campaign=campaign, supervising_unit=unit, opened=True)
        VolunteerFactory(station=station)
        for status, day in [
            (ReviewStatus.APPROVED, IN_PERIOD),
            (ReviewStatus.APPROVED, OUT_OF_PERIOD),
            (ReviewStatus.SUBMITTED, IN_PERIOD),
            (ReviewStatus.DRAFT, IN_PERIOD),
            (ReviewStatus.RETURNED, IN_PERIOD),
        ]:
            records_on(campaign, unit, station, status, day, 1)
        OpinionIncidentFactory(campaign=campaign, handling_unit=unit)
        TaskAssignmentFactory(unit=unit, task__campaign=campaign, task__due_date=IN_PERIOD)


@pytest.mark.parametrize("size", [1, 6])
def test_a_period_filtered_dashboard_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, db, leader, unit_a, size
):
    campaign = campaign_2025()
    workstreams(campaign)
    Target.objects.create(
        campaign=campaign,
        workstream=campaign.workstreams.get(number=1),
        metric="microstations.stations_opened",
        label="微站",
        goal=9,
    )
    populate(campaign, unit_a, size)
    client.force_login(leader)

    # 1 session, 2 user, 3-4 user and group permissions, 5 the current campaign with when its figures
    # were computed and its newest report (one query), 6 timeliness by unit, 7 every official figure of
    # the period from the precomputed facts, 8 待审核 counts of every record type in the period (one
    # union), 9 targets, 10 the one registered metric, 11 task status by workstream, 12 volunteer
    # summary, 13-14 SME visit and problem totals, 15 workstreams, 16 newest incidents, 17 approved
    # activities by day (facts), 18 incidents by level and status, 19-21 the office ranking for the
    # period (facts by unit, adoptions, units), 22 open serious incidents (banner), 23 latest approved
    # activities, 24 their photos, 25 overdue assignments, 26 recent reports, 27 the user's groups
    # (header), 28-31 the filter form's and the report form's campaigns and units, 32-47 the planning,
    # reach and map panels (as listed in test_dashboard.py), 48-52 the instrument register's coverage,
    # reminders, scans, ratings and problems of the period. The dates themselves cost no query (was 53:
    # the campaign and when its figures were computed were two queries).
    with django_assert_num_queries(52):
        response = client.get(URL, MAY)

    assert response.status_code == 200
    assert figures(response)[1]["微站活动"] == size  # the May ones only
    assert pending_by_card(response)[3] == size
