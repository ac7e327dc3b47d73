"""The leadership dashboard: who may see it, that its figures come from the records, and that its
query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.urls import reverse

from campaigns.models import Target
from campaigns.selectors import timeliness_by_unit
from enterprises.models import EnterpriseVisit
from inspections.models import InspectionRecord
from microstations.models import StationActivity
from microstations.selectors import station_summary
from organizations.models import User
from publicity.models import NewsItem, PublicityActivity
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import TaskAssignmentFactory, WorkstreamFactory
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

    # 1 session, 2 user, 3-4 user and group permissions, 5 current campaign, 6 timeliness by unit,
    # 7-10 the inspection statistics table (shared by a card and the chart), 11 待审核 counts of every
    # record type (one union, shared by the cards and charts), 12 targets, 13-14 the two registered
    # metrics, 15 task status by workstream, 16 station summary, 17 activity summary, 18 volunteer
    # summary, 19 publicity totals, 20-21 SME visit and problem totals, 22 workstreams, 23 newest
    # incidents, 24-25 weekly station and publicity activities, 26 incidents by level and status,
    # 27 latest approved activities, 28 their photos, 29 overdue assignments, 30 recent reports, 31 the
    # user's groups (header), 32 campaign choices, 33 unit choices (filter form), 34 report form's
    # campaigns.
    with django_assert_num_queries(34):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["timeliness"]) == 2


@pytest.mark.parametrize("size", [1, 8])
def test_a_unit_filtered_dashboard_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, campaign, unit_a, unit_b, size
):
    populate(campaign, unit_a, unit_b, size)
    client.force_login(leader)

    # The 34 queries above, and 35 the chosen unit (the filter form checks it is a choice).
    with django_assert_num_queries(35):
        response = client.get(URL, {"unit": unit_a.pk})

    assert response.context["filters"].unit == unit_a


@pytest.fixture
def demo_at(settings):
    """The demo data at a scale (seed_demo refuses to run outside demo mode)."""
    from django.core.management import call_command

    settings.DEBUG = True

    def load(scale: int) -> None:
        call_command("seed_demo", "--scale", str(scale), stdout=StringIO())

    return load


@pytest.mark.parametrize("scale", [1, 2])
def test_dashboard_queries_do_not_grow_with_the_demo_scale(
    client, django_assert_num_queries, db, demo_at, scale
):
    demo_at(scale)
    leader = User.objects.get(username="demo_leader")
    client.force_login(leader)
    client.get(URL)  # warm the content-type cache, as any running server has

    # The same 34 queries as listed above, whatever the demo's scale.
    with django_assert_num_queries(34):
        response = client.get(URL)

    assert response.status_code == 200


def test_dashboard_figures_agree_with_the_summary_report(client, db, demo_at, tmp_path):
    from openpyxl import load_workbook

    from reports.builders import build_workbook

    demo_at(1)
    client.force_login(User.objects.get(username="demo_leader"))
    response = client.get(URL)
    cards = {card.number: {f.label: f.value for f in card.figures} for card in response.context["cards"]}

    out = tmp_path / "report.xlsx"
    out.write_bytes(build_workbook(response.context["filters"].campaign))
    overview = {
        row[0] or row[1]: row
        for row in load_workbook(out)["总览"].iter_rows(values_only=True)
        if row[0] or row[1]
    }

    assert overview["微站活动（已通过）"][2] == cards[1]["微站活动"]
    assert overview["微站活动（已通过）"][4] == cards[1]["活动覆盖"]
    assert overview["宣传（已通过）"][2] == cards[2]["线下宣传"]
    assert overview["宣传（已通过）"][4] == cards[2]["线上推送"]
    assert overview["专项检查（合计）"][4] == cards[3]["检查单位"]
    assert overview["服务中小企业"][2] == cards[4]["服务企业"]
    assert overview["服务中小企业"][4] == cards[4]["解决计量难题"]
