"""The leadership dashboard: who may see it, that its figures come from the records, and that its
query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.urls import reverse

from campaigns.models import Target
from campaigns.selectors import timeliness_by_unit
from dashboard import selectors
from dashboard.selectors import Filters
from enterprises.models import EnterpriseVisit
from inspections.models import InspectionRecord
from microstations.models import StationActivity
from microstations.selectors import station_summary
from organizations.models import User
from publicity.models import NewsItem, PublicityActivity
from records.facts import facts_rebuild
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import TaskAssignmentFactory, TaskFactory, WorkstreamFactory
from tests.html import select, text, text_of, texts
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import (
    MicroStationFactory,
    StationActivityFactory,
    VolunteerFactory,
    campaign_2025,
)
from tests.opinion.factories import OpinionIncidentFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

URL = "/dashboard/"


@pytest.fixture
def campaign(db):
    campaign = campaign_2025()
    workstream = WorkstreamFactory(
        campaign=campaign, number=1, notice_ref="二（一）", title="参与微站千万计划"
    )
    Target.objects.create(
        campaign=campaign, workstream=workstream, metric="microstations.stations_opened", label="微站", goal=9
    )
    Target.objects.create(
        campaign=campaign, workstream=workstream, metric="volunteers.recruited", label="宣传员", goal=9
    )
    return campaign


def populate(campaign, unit_a, unit_b, size: int) -> None:
    """`size` opened stations, approved activities, volunteers and tasks for each of two offices."""
    for unit in (unit_a, unit_b):
        for _ in range(size):
            station = MicroStationFactory(campaign=campaign, supervising_unit=unit, opened=True)
            StationActivityFactory(station=station, review_status=ReviewStatus.APPROVED, people_reached=100)
            StationActivityFactory(station=station, review_status=ReviewStatus.DRAFT, people_reached=999)
            VolunteerFactory(station=station)
            TaskAssignmentFactory(unit=unit, task__campaign=campaign, task__due_date=dt.date(2025, 5, 1))


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_office_users_get_403(client, office_a, campaign):
    client.force_login(office_a)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_bureau_admin_see_the_dashboard(client, request, actor, campaign):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["header"]["campaign"] == campaign
    assert "dashboard-data" in response.content.decode()


def test_leader_home_is_the_dashboard(client, leader, campaign):
    client.force_login(leader)
    assert client.get("/")["Location"] == reverse("dashboard:index")


def test_card_figures_are_counted_from_records_not_drafts(client, leader, campaign, unit_a, unit_b):
    populate(campaign, unit_a, unit_b, 2)
    client.force_login(leader)

    response = client.get(URL)

    card = response.context["cards"][0]
    figures = {f.label: f.value for f in card.figures}
    assert figures["微站"] == 4  # opened stations, counted by the registered metric
    assert figures["宣传员"] == 4
    assert figures["微站活动"] == 4  # approved ones; the four drafts are not counted
    assert figures["活动覆盖"] == 400
    summary = station_summary(campaign=campaign)
    assert (summary["activities"], summary["people"]) == (4, 400)  # the report reads the same selector


def test_unit_filter_narrows_every_panel(client, leader, campaign, unit_a, unit_b):
    populate(campaign, unit_a, unit_b, 2)
    client.force_login(leader)

    response = client.get(URL, {"unit": unit_a.pk})

    assert [row["unit_id"] for row in response.context["timeliness"]] == [unit_a.pk]
    figures = {f.label: f.value for f in response.context["cards"][0].figures}
    assert figures["微站活动"] == 2
    assert all(a.unit_id == unit_a.pk for a in response.context["overdue_followups"])


def test_timeliness_table_matches_the_selector(client, leader, campaign, unit_a, unit_b):
    populate(campaign, unit_a, unit_b, 3)
    client.force_login(leader)

    response = client.get(URL)

    today = response.context["today"]
    assert response.context["timeliness"] == timeliness_by_unit(campaign=campaign, today=today)
    assert {row["overdue"] for row in response.context["timeliness"]} == {3}


def test_a_reversed_date_range_is_reported_and_ignored(client, leader, campaign):
    client.force_login(leader)

    response = client.get(URL, {"date_from": "2025-06-01", "date_to": "2025-05-01"})

    assert response.status_code == 200
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert response.context["filters"].date_from is None


# --- Official figures count approved records only ------------------------------------------------------

REVIEWED_MODELS = (StationActivity, PublicityActivity, NewsItem, InspectionRecord, EnterpriseVisit)


@pytest.fixture
def all_workstreams(campaign):
    """The other three workstream cards beside the fixture's first."""
    for number, ref, title in [
        (2, "二（二）", "线上线下宣传"),
        (3, "二（三）", "专项检查"),
        (4, "二（四）", "服务中小企业"),
    ]:
        WorkstreamFactory(campaign=campaign, number=number, notice_ref=ref, title=title)
    return campaign


def records_of_every_type(unit, station, status: str) -> None:
    """One record of each reviewed type for `unit`, in review state `status`."""
    StationActivityFactory(station=station, review_status=status, people_reached=70)
    PublicityActivityFactory(unit=unit, review_status=status)
    PublicityActivityFactory(unit=unit, review_status=status, online=True)
    NewsItemFactory(unit=unit, review_status=status)
    InspectionFactory(unit=unit, review_status=status)
    EnterpriseVisitFactory(unit=unit, review_status=status)


def without_pending(value):
    """A panel's data with the 待审核 counts taken out (they are meant to change)."""
    if isinstance(value, dict):
        return {key: without_pending(item) for key, item in value.items() if key != "pending"}
    if isinstance(value, list):
        return [without_pending(item) for item in value]
    return value


def panels(response) -> dict:
    """Every official figure on the page: cards, chart data, the latest approved activities, 舆情."""
    context = response.context
    return {
        "cards": [(card.number, [(f.label, f.value) for f in card.figures]) for card in context["cards"]],
        "charts": without_pending(context["chart_data"]),
        "latest_activities": [a.pk for a in context["latest_activities"]],
        "newest_incidents": [i.pk for i in context["newest_incidents"]],
    }


def pending_by_card(response) -> dict[int, int]:
    return {card.number: card.pending for card in response.context["cards"]}


def test_submitted_and_returned_records_change_no_figure_until_approved(
    client, leader, all_workstreams, unit_a, unit_b
):
    campaign = all_workstreams
    populate(campaign, unit_a, unit_b, 1)
    station = MicroStationFactory(campaign=campaign, supervising_unit=unit_a, opened=True)
    records_of_every_type(unit_a, station, ReviewStatus.APPROVED)
    OpinionIncidentFactory(campaign=campaign, handling_unit=unit_a)
    client.force_login(leader)
    before = client.get(URL)
    assert pending_by_card(before) == {1: 0, 2: 0, 3: 0, 4: 0}

    records_of_every_type(unit_a, station, ReviewStatus.SUBMITTED)
    records_of_every_type(unit_a, station, ReviewStatus.RETURNED)
    waiting = client.get(URL)

    assert panels(waiting) == panels(before)
    # Submitted ones are shown beside the figures (待审核 N); returned ones are back with the office.
    assert pending_by_card(waiting) == {1: 1, 2: 3, 3: 1, 4: 1}
    assert waiting.context["chart_data"]["activity"]["pending"] == 3
    assert waiting.context["chart_data"]["inspections"]["pending"] == 1
    assert "待审核 3" in waiting.content.decode()

    for model in REVIEWED_MODELS:
        model.objects.filter(review_status=ReviewStatus.SUBMITTED).update(review_status=ReviewStatus.APPROVED)
    facts_rebuild(campaign)  # update() bypasses the services that keep the precomputed figures
    approved = client.get(URL)

    after, earlier = panels(approved), panels(before)
    for number in (1, 2, 3, 4):
        assert dict(after["cards"][number - 1][1]) != dict(earlier["cards"][number - 1][1]), number
    assert after["charts"]["activity"] != earlier["charts"]["activity"]
    assert after["charts"]["inspections"] != earlier["charts"]["inspections"]
    assert after["latest_activities"] != earlier["latest_activities"]
    assert pending_by_card(approved) == {1: 0, 2: 0, 3: 0, 4: 0}


def test_unit_filter_narrows_every_figure_and_list(client, leader, all_workstreams, unit_a, unit_b):
    campaign = all_workstreams
    for unit in (unit_a, unit_b):
        station = MicroStationFactory(campaign=campaign, supervising_unit=unit, opened=True)
        records_of_every_type(unit, station, ReviewStatus.APPROVED)
        records_of_every_type(unit, station, ReviewStatus.SUBMITTED)
        OpinionIncidentFactory(campaign=campaign, handling_unit=unit)
        TaskAssignmentFactory(unit=unit, task__campaign=campaign)  # the filter offers units with tasks
    client.force_login(leader)

    both = client.get(URL)
    only_a = client.get(URL, {"unit": unit_a.pk})

    cards = {card.number: {f.label: f.value for f in card.figures} for card in only_a.context["cards"]}
    everyone = {card.number: {f.label: f.value for f in card.figures} for card in both.context["cards"]}
    assert (cards[1]["微站活动"], everyone[1]["微站活动"]) == (1, 2)
    assert (cards[2]["线下宣传"], everyone[2]["线下宣传"]) == (1, 2)
    assert (cards[3]["检查单位"], everyone[3]["检查单位"]) == (1, 2)
    assert (cards[4]["服务企业"], everyone[4]["服务企业"]) == (1, 2)
    # The targets are the county's: with a unit chosen they are labelled as county-wide, not narrowed.
    assert cards[1]["微站（全县）"] == everyone[1]["微站"]
    assert pending_by_card(only_a) == {1: 1, 2: 3, 3: 1, 4: 1}
    assert pending_by_card(both) == {1: 2, 2: 6, 3: 2, 4: 2}
    charts, all_charts = only_a.context["chart_data"], both.context["chart_data"]
    assert [sum(s["data"]) for s in charts["activity"]["series"]] == [1, 2]
    assert [sum(s["data"]) for s in all_charts["activity"]["series"]] == [2, 4]
    assert sum(charts["inspections"]["instruments"]) * 2 == sum(all_charts["inspections"]["instruments"])
    assert sum(sum(s["data"]) for s in charts["opinion"]["series"]) == 1
    assert {a.unit_id for a in only_a.context["latest_activities"]} == {unit_a.pk}
    assert {i.handling_unit_id for i in only_a.context["newest_incidents"]} == {unit_a.pk}
    assert {a.unit_id for a in only_a.context["overdue_followups"]} <= {unit_a.pk}


@pytest.mark.parametrize("size", [1, 8])
def test_dashboard_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, campaign, unit_a, unit_b, size
):
    populate(campaign, unit_a, unit_b, size)
    client.force_login(leader)

    # Rendered (the tests run without the panels cache; test_dashboard_cache.py counts a cached page):
    # 1 session, 2 user, 3-4 user and group permissions, 5 the current campaign with when its official
    # figures last changed (the panels' cache key) and its newest report (one query; was two), 6 timeliness
    # by unit, 7 every official figure from the precomputed facts (cards, statistics rows and chart share
    # it), 8 待审核 counts of every record type (one union, shared by the cards and charts), 9 targets,
    # 10-11 the two registered metrics, 12 task status by workstream, 13 volunteer summary, 14-15 SME
    # visit and problem totals (problem tickets are read live), 16 workstreams, 17 newest incidents,
    # 18 approved activities by day (facts), 19 incidents by level and status, 20-22 the office ranking
    # (approved records by unit from the facts, adoptions by unit, the units), 23 latest approved
    # activities, 24 their photos, 25 overdue assignments (each unit's own deadline), 26 reporting windows
    # (the grid asks for more only where windows exist), 27-32 经费 (approved and submitted sums and the
    # items above the threshold, for station and publicity activities), 33-35 the stations' year-round
    # activity counts (stations, station and publicity activities by station), 36-37 public reach
    # (totals, the stations most reached), 38-41 the map's layers (stations, inspections, SME visits,
    # 公平秤), 42-46 the instrument register (强检 coverage by domain and office, reminders, scans,
    # ratings, problems), 47-50 the filter form's and the report form's campaigns and units (one plain
    # query each, no server-side cursor), 51 recent reports, 52 open serious incidents (banner), 53 the
    # user's groups (header).
    with django_assert_num_queries(53):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["timeliness"]) == 2


@pytest.mark.parametrize("size", [1, 8])
def test_a_unit_filtered_dashboard_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, campaign, unit_a, unit_b, size
):
    populate(campaign, unit_a, unit_b, size)
    client.force_login(leader)

    # The 53 queries above, and 54 the chosen unit (the filter form checks it is a choice).
    with django_assert_num_queries(54):
        response = client.get(URL, {"unit": unit_a.pk})

    assert response.context["filters"].unit == unit_a


@pytest.fixture
def demo_at(settings):
    """The demo data at a scale (seed_demo refuses to run outside demo mode)."""
    from django.core.management import call_command

    settings.DEBUG = True

    def load(records: int) -> None:
        call_command("seed_demo", "--records", str(records), stdout=StringIO())

    return load


@pytest.mark.parametrize("records", [0, 400])
def test_dashboard_queries_do_not_grow_with_the_demo_volume(
    client, django_assert_num_queries, db, demo_at, records
):
    demo_at(records)
    leader = User.objects.get(username="demo_leader")
    client.force_login(leader)
    client.get(URL)  # warm the content-type cache, as any running server has

    # The 53 queries listed above, and 4 for the reporting grid, since the demo's weekly 信息报送 is
    # reporting windows: the groups' added and excluded units, the units, the reports by window;
    # whatever the demo's volume.
    with django_assert_num_queries(57):
        response = client.get(URL)

    assert response.status_code == 200


def test_dashboard_figures_agree_with_the_summary_report(client, db, demo_at, tmp_path):
    from openpyxl import load_workbook

    from core.exporters import HEADER_ROW
    from reports.builders import build_workbook

    demo_at(0)
    client.force_login(User.objects.get(username="demo_leader"))
    response = client.get(URL)
    cards = {card.number: {f.label: f.value for f in card.figures} for card in response.context["cards"]}

    out = tmp_path / "report.xlsx"
    out.write_bytes(build_workbook(response.context["filters"].campaign))
    # The overview lists each figure as (工作, 指标, 本期, 累计, 待审核); with no period 本期 is 累计.
    overview = {
        row[1]: row[2]
        for row in load_workbook(out)["总览"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if row[0] and row[1]
    }

    assert overview["微站活动（场）"] == cards[1]["微站活动"]
    assert overview["微站活动覆盖（人次）"] == cards[1]["活动覆盖"]
    assert overview["线下活动（场）"] == cards[2]["线下宣传"]
    assert overview["线上推送（条）"] == cards[2]["线上推送"]
    assert overview["检查单位（家）"] == cards[3]["检查单位"]
    assert overview["服务企业（次）"] == cards[4]["服务企业"]
    assert overview["解决计量问题（个）"] == cards[4]["解决计量难题"]


def test_the_dashboard_shows_the_planning_reach_and_map_panels(client, leader, campaign, unit_a, unit_b):
    for name, unit in (("高唐营业厅微站", unit_a), ("龙门营业厅微站", unit_b)):
        MicroStationFactory(
            campaign=campaign, name=name, latitude=31.07, longitude=109.88, supervising_unit=unit
        )
    MicroStationFactory(campaign=campaign, name="未填坐标的微站", supervising_unit=unit_a)

    client.force_login(leader)
    response = client.get(URL)

    assert [
        text(h) for h in select(response, "#dash-reporting h2, #dash-spending h2, #dash-station-year h2")
    ] == [
        "报送及时率",
        "活动经费",
        "微站全年活动（长效机制）",
    ]
    assert texts(response, "[data-testid=reach-panel] dt") == ["页面访问", "扫码", "群众反馈"]
    layers = json.loads(text_of(response, "#station-map-data"))["layers"]
    points = [point for layer in layers for point in layer["points"]]
    assert sorted(p["name"] for p in points) == ["高唐营业厅微站", "龙门营业厅微站"]


def test_overdue_work_follows_each_units_own_deadline(client, leader, campaign, unit_a, unit_b):
    """A unit's own deadline, else the task's, is THE deadline: on the overdue list, its date and the
    workstream's task flag (campaigns.selectors.assignments_overdue / assignments_with_due)."""
    workstream = campaign.workstreams.get(number=1)
    late = dt.date(2025, 4, 1)
    task = TaskFactory(campaign=campaign, workstream=workstream, due_date=dt.date(2099, 1, 1))
    own_deadline_passed = TaskAssignmentFactory(task=task, unit=unit_a, due_date=late)
    extended = TaskFactory(campaign=campaign, workstream=workstream, due_date=late)
    TaskAssignmentFactory(task=extended, unit=unit_b, due_date=dt.date(2099, 1, 1))
    client.force_login(leader)

    response = client.get(URL)

    assert [a.pk for a in response.context["overdue_followups"]] == [own_deadline_passed.pk]
    assert response.context["overdue_followups"][0].effective_due == late
    page = response.content.decode()
    assert "时限 2025年4月1日" in page
    assert selectors.task_rag_by_workstream(Filters(campaign=campaign), dt.date(2025, 5, 20))[
        workstream.pk
    ] == (
        "red",
        "1 项任务逾期未完成",
    )
