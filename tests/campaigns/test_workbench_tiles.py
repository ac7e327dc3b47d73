"""The workbench's summary tiles (includes/summary_tile.html) are links: each opens the task list it
counts, in the same campaign, filtered by its own status or deadline only (issue 15)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from campaigns.models import TaskAssignment
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory
from tests.html import select

WORKBENCH = "/workbench/"
TILES = "[data-testid=summary-tiles] a.summary-tile"
TODAY = dt.date(2025, 5, 20)
Status = TaskAssignment.Status


@pytest.fixture
def tasks(unit_a, unit_b) -> dict[str, TaskAssignment]:
    """Unit A's five tasks on 20 May 2025 (the campaign clock): two pending (one overdue), one due within
    the week, one overdue, one done; and one of unit B's that unit A never counts."""
    campaign = CampaignFactory(year=2025)

    def assignment(due: dt.date | None, status: str, unit=unit_a) -> TaskAssignment:
        return TaskAssignmentFactory(
            task=TaskFactory(campaign=campaign, due_date=due), unit=unit, status=status
        )

    return {
        "pending": assignment(None, Status.PENDING),
        "pending_overdue": assignment(TODAY - dt.timedelta(days=3), Status.PENDING),
        "due_soon": assignment(TODAY + dt.timedelta(days=5), Status.IN_PROGRESS),
        "overdue": assignment(TODAY - dt.timedelta(days=1), Status.ACKNOWLEDGED),
        "done": assignment(TODAY - dt.timedelta(days=9), Status.DONE),
        "other_unit": assignment(TODAY - dt.timedelta(days=1), Status.PENDING, unit=unit_b),
    }


def tiles(response) -> dict[str, tuple[int, str]]:
    """Each tile's label, with its figure and link."""
    found = {}
    for element in select(response, TILES):
        figure, label = (span.text_content() for span in element.cssselect("span"))
        found[label] = (int(figure), element.get("href"))
    return found


def test_each_tile_links_to_the_list_it_counts(client, office_a, tasks, campaign_clock) -> None:
    client.force_login(office_a)

    response = client.get(WORKBENCH)

    assert response.status_code == 200
    shown = tiles(response)
    assert shown == {
        "任务": (5, "?"),
        "待签收": (2, "?status=pending"),
        "7日内到期": (1, "?timing=due_soon"),
        "已逾期": (2, "?timing=overdue"),
        "已完成": (1, "?status=done"),
    }
    assert select(response, f"{TILES}.alert")[0].get("href") == "?timing=overdue"
    # Following a tile lists exactly the tasks it counted.
    for figure, href in shown.values():
        listed = client.get(WORKBENCH + href).context["assignments"]
        assert len(listed) == figure, href
    overdue = client.get(WORKBENCH + "?timing=overdue").context["assignments"]
    assert {a.pk for a in overdue} == {tasks["pending_overdue"].pk, tasks["overdue"].pk}


def test_a_tile_keeps_the_chosen_campaign_and_drops_the_other_filters(
    client, office_a, tasks, campaign_clock
) -> None:
    CampaignFactory(year=2026)
    campaign = tasks["done"].task.campaign
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"campaign": campaign.pk, "status": "done", "q": "测试"})

    shown = tiles(response)
    assert parse_qs(urlsplit(shown["已逾期"][1]).query) == {
        "campaign": [str(campaign.pk)],
        "timing": ["overdue"],
    }
    assert parse_qs(urlsplit(shown["任务"][1]).query) == {"campaign": [str(campaign.pk)]}
    # The figures are the campaign's, whatever the list below is filtered by.
    assert (shown["任务"][0], shown["已逾期"][0]) == (5, 2)
