import datetime as dt

import pytest
from django.contrib.auth.models import Group

from campaigns.models import Campaign, Task, TaskAssignment
from organizations.models import Unit, User
from organizations.roles import Role

PASSWORD = "correct-horse-520"


@pytest.fixture
def office_with_task(transactional_db: None) -> TaskAssignment:
    office = Unit.objects.create(name="高唐市场监管所", kind=Unit.Kind.OFFICE)
    other = Unit.objects.create(name="龙门市场监管所", kind=Unit.Kind.OFFICE)
    user = User.objects.create_user(username="gaotang", password=PASSWORD, name="张三", unit=office)
    user.groups.add(Group.objects.get(name=Role.OFFICE.value))
    campaign = Campaign.objects.create(
        year=2025,
        name="2025年“5·20世界计量日”主题活动",
        theme="计量顺时代之需，应民生之盼",
        metrology_day=dt.date(2025, 5, 20),
        notice_title="通知",
        notice_issuer="巫山县市场监督管理局",
        notice_text="……",
    )
    task = Task.objects.create(
        campaign=campaign, notice_ref="二（二）", title="丰富线下宣传阵地", due_date=dt.date(2025, 5, 31)
    )
    TaskAssignment.objects.create(task=task, unit=other)
    return TaskAssignment.objects.create(task=task, unit=office)


def test_office_logs_in_sees_its_workbench_and_acknowledges_a_task(login, office_with_task):
    page = login("gaotang", PASSWORD)

    assert page.url.endswith("/workbench/")
    assert page.locator("h1").inner_text() == "工作台 · 高唐市场监管所"
    cards = page.locator("article.task-card")
    assert cards.count() == 1  # the other office's share of the same task is not shown
    assert "待签收" in cards.first.inner_text()

    page.click(f"[data-testid=acknowledge-{office_with_task.pk}]")
    page.wait_for_load_state()

    assert "已标记为已签收" in page.locator(".messages").inner_text()
    assert "已签收" in page.locator("article.task-card").first.inner_text()
    office_with_task.refresh_from_db()
    assert office_with_task.status == TaskAssignment.Status.ACKNOWLEDGED
    assert office_with_task.acknowledged_by.username == "gaotang"
    assert page.console_errors == []
