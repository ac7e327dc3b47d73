"""The dashboard's figure tiles (issue 15): each is a link to the list of the records it counts,
filtered as the dashboard is (unit, period, campaign), and that list shows the same figure."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from records.models import ReviewStatus
from tests.dashboard import test_dashboard
from tests.dashboard.test_dashboard import URL, populate
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import TaskAssignmentFactory, WorkstreamFactory
from tests.html import parse, select, text, text_of
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

campaign = test_dashboard.campaign  # workstream 1 with two targets (微站 and 宣传员, goal 9 each)

APPROVED = ReviewStatus.APPROVED


def tile(response, workstream: int, label: str):
    found = select(
        response, f"article.ws-card[data-workstream='{workstream}'] .summary-tile[data-figure='{label}']"
    )
    assert len(found) == 1, f"{label!r}: {len(found)} tiles"
    return found[0]


def figure_of(element) -> int:
    return int(text(element.cssselect(".figure")[0]))


def numbers(sentence: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", sentence)]


@pytest.fixture
def visits_workstream(campaign):
    return WorkstreamFactory(campaign=campaign, number=4, notice_ref="二（四）", title="服务中小企业")


def test_every_figure_tile_is_a_link_to_a_list_that_opens(
    client, leader, campaign, visits_workstream, unit_a, unit_b
):
    populate(campaign, unit_a, unit_b, 1)
    client.force_login(leader)

    page = parse(client.get(URL, {"unit": unit_a.pk}).content)

    tiles = page.cssselect("article.ws-card .summary-tile")
    assert len(tiles) == 2 + 3 + 3  # workstream 1: two targets and three figures; workstream 4: three
    for element in tiles:
        assert element.tag == "a", element.get("data-figure")
        href = element.get("href")
        resolve(urlsplit(href).path)  # raises Resolver404 when the link leads nowhere
        assert client.get(href).status_code == 200, href


def test_the_station_activity_tiles_open_the_unit_and_periods_approved_activities_with_the_same_counts(
    client, leader, campaign, unit_a, unit_b
):
    populate(campaign, unit_a, unit_b, 2)  # per unit: 2 approved activities of 100 people, 2 drafts
    station = MicroStationFactory(campaign=campaign, supervising_unit=unit_a, opened=True)
    StationActivityFactory(
        station=station, review_status=APPROVED, people_reached=7, date=dt.date(2025, 6, 2)
    )
    client.force_login(leader)
    filters = {"unit": unit_a.pk, "date_from": "2025-05-01", "date_to": "2025-05-31"}

    dashboard = client.get(URL, filters)

    activities, people = tile(dashboard, 1, "微站活动"), tile(dashboard, 1, "活动覆盖")
    assert (figure_of(activities), figure_of(people)) == (2, 200)  # the June activity is out of the period
    assert activities.get("href") == people.get("href")
    query = parse_qs(urlsplit(activities.get("href")).query)
    assert query == {
        "campaign": [str(campaign.pk)],
        "unit": [str(unit_a.pk)],
        "date_from": ["2025-05-01"],
        "date_to": ["2025-05-31"],
        "review_status": ["approved"],
    }
    listed = client.get(activities.get("href"))
    # "已通过 2 场，覆盖 200 人次，发放资料 N 份": the list's own totals over what it lists.
    assert numbers(text_of(listed, "[data-testid=totals]"))[:2] == [2, 200]


def test_the_target_tiles_open_the_county_wide_lists_with_the_same_counts(
    client, leader, campaign, unit_a, unit_b
):
    populate(campaign, unit_a, unit_b, 2)  # 4 opened stations, 4 active volunteers over both units
    MicroStationFactory(campaign=campaign, supervising_unit=unit_a)  # not opened: not counted
    client.force_login(leader)

    dashboard = client.get(URL, {"unit": unit_a.pk})

    stations = tile(dashboard, 1, "微站（全县）")
    assert figure_of(stations) == 4
    assert text(stations.cssselect(".scope-tag")[0]) == "全县目标"
    assert "unit" not in parse_qs(urlsplit(stations.get("href")).query)  # a target counts the county
    assert len(select(client.get(stations.get("href")), "tbody tr[data-station]")) == 4
    volunteers = tile(dashboard, 1, "宣传员（全县）")
    assert figure_of(volunteers) == 4
    # "在岗 4 名：义务宣传员 N 名，小小宣传员 M 名"
    assert numbers(text_of(client.get(volunteers.get("href")), "hgroup p"))[0] == 4


def test_the_visit_tiles_open_the_approved_visits_with_the_same_counts(
    client, leader, campaign, visits_workstream, unit_a, unit_b
):
    for unit, n in ((unit_a, 3), (unit_b, 1)):
        for _ in range(n):
            EnterpriseVisitFactory(
                campaign=campaign, unit=unit, review_status=APPROVED, instruments_serviced=5
            )
    EnterpriseVisitFactory(campaign=campaign, unit=unit_a, review_status=ReviewStatus.SUBMITTED)
    TaskAssignmentFactory(unit=unit_a, task__campaign=campaign)  # the unit filter offers units with tasks
    client.force_login(leader)

    dashboard = client.get(URL, {"unit": unit_a.pk})

    visits, instruments = tile(dashboard, 4, "服务企业"), tile(dashboard, 4, "检定校准器具")
    assert (figure_of(visits), figure_of(instruments)) == (3, 15)
    listed = client.get(visits.get("href"))
    # "已审核通过 3 次服务，检定校准 15 台件，培训 N 人次；…"
    assert numbers(text_of(listed, "[data-testid=visit-totals]"))[:2] == [3, 15]
