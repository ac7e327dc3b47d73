"""Detail pages open with a breadcrumb trail (includes/breadcrumbs.html) that links to the list they
belong to and ends in the page's name, never a date or a section code (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from campaigns.models import Task
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import TaskAssignmentFactory, TaskFactory
from tests.html import links, text_of
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import StationActivityFactory, campaign_2025
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

TRAIL = "nav[aria-label=breadcrumb]"


def trail(response: Any) -> tuple[list[tuple[str, str]], str]:
    """The trail's links and the name of the page it ends in (the item marked aria-current)."""
    return links(response, f"{TRAIL} a"), text_of(response, f"{TRAIL} [aria-current=page]")


def test_a_task_page_names_the_task(client, office_a, unit_a) -> None:
    task = TaskFactory(campaign=campaign_2025(), title="组织开展集贸市场计量专项检查", notice_ref="二（三）")
    assignment = TaskAssignmentFactory(task=task, unit=unit_a)
    client.force_login(office_a)

    response = client.get(assignment.get_absolute_url())

    assert response.status_code == 200
    assert trail(response) == ([("工作台", reverse("campaigns:workbench"))], "组织开展集贸市场计量专项检查")


def test_a_plan_task_page_names_the_task(client, bureau_admin) -> None:
    campaign = campaign_2025()
    task: Task = TaskFactory(campaign=campaign, title="制定宣传方案", notice_ref="一（一）")
    client.force_login(bureau_admin)

    response = client.get(reverse("campaigns:plan_task", args=[campaign.year, task.pk]))

    assert response.status_code == 200
    assert trail(response) == (
        [("活动计划", reverse("campaigns:plan", args=[campaign.year]))],
        "制定宣传方案",
    )


def test_a_visit_page_names_the_enterprise(client, office_a, unit_a) -> None:
    visit = EnterpriseVisitFactory(
        unit=unit_a, created_by=office_a, enterprise__name="巫山县红叶食品有限公司"
    )
    client.force_login(office_a)

    response = client.get(visit.get_absolute_url())

    assert response.status_code == 200
    assert trail(response) == (
        [("企业服务记录", reverse("enterprises:visit_list"))],
        "巫山县红叶食品有限公司",
    )


def test_an_inspection_page_names_the_inspected_party(client, office_a, unit_a) -> None:
    inspection = InspectionFactory(
        unit=unit_a, created_by=office_a, inspected_party__name="巫山县神女农贸市场管理有限公司"
    )
    client.force_login(office_a)

    response = client.get(inspection.get_absolute_url())

    assert response.status_code == 200
    assert trail(response) == (
        [("专项检查", reverse("inspections:inspection_list"))],
        "巫山县神女农贸市场管理有限公司",
    )


def test_a_station_activity_page_names_the_station_and_the_activity(client, leader) -> None:
    activity = StationActivityFactory(title="计量科普进社区（龙门）", station__name="龙门供电营业厅微站")
    client.force_login(leader)

    response = client.get(activity.get_absolute_url())

    assert response.status_code == 200
    assert trail(response) == (
        [
            ("微站活动", reverse("microstations:activity_list")),
            ("龙门供电营业厅微站", activity.station.get_absolute_url()),
        ],
        "计量科普进社区（龙门）",
    )


@pytest.mark.parametrize(
    ("factory", "list_name", "list_label"),
    [
        (PublicityActivityFactory, "publicity:activity_list", "宣传活动"),
        (NewsItemFactory, "publicity:news_list", "信息报送"),
    ],
)
def test_a_publicity_page_names_its_title(client, leader, factory, list_name, list_label) -> None:
    record = factory()
    client.force_login(leader)

    response = client.get(record.get_absolute_url())

    assert response.status_code == 200
    assert trail(response) == ([(list_label, reverse(list_name))], record.title)
