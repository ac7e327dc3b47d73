"""The leadership dashboard: who may see it, that its figures come from the records, and that its
query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.urls import reverse

from campaigns.models import Target
from campaigns.selectors import timeliness_by_unit
from microstations.selectors import station_summary
from organizations.models import User
from records.models import ReviewStatus
from tests.factories import TaskAssignmentFactory, WorkstreamFactory
from tests.microstations.factories import (
    MicroStationFactory,
    StationActivityFactory,
    VolunteerFactory,
    campaign_2025,
)

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


@pytest.mark.parametrize("size", [1, 8])
def test_dashboard_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, campaign, unit_a, unit_b, size
):
    populate(campaign, unit_a, unit_b, size)
    client.force_login(leader)

    # 1 session, 2 user, 3-4 user and group permissions, 5 current campaign, 6 timeliness by unit,
    # 7-10 the inspection statistics table (shared by a card and the chart), 11 targets, 12-13 the two
    # registered metrics, 14 task status by workstream, 15 station summary, 16 activity summary,
    # 17 volunteer summary, 18 publicity totals, 19-20 SME visit and problem totals, 21 workstreams,
    # 22 newest incidents, 23-24 weekly station and publicity activities, 25 incidents by level and
    # status, 26 latest approved activities, 27 their photos, 28 overdue assignments, 29 recent
    # reports, 30 the user's groups (header), 31 campaign choices, 32 unit choices (filter form),
    # 33 report form's campaigns.
    with django_assert_num_queries(33):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["timeliness"]) == 2


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

    # The same 33 queries as listed above, whatever the demo's scale.
    with django_assert_num_queries(33):
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
