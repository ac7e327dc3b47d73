"""The bureau admin plans from the web: a unit's own deadline and a weekly reporting window; the office
then sees its deadline and its missing report on its workbench."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, PartyGroup, ReportingWindow, Task, TaskAssignment, TaskParty
from organizations.models import Unit, User
from organizations.roles import Role

PASSWORD = "correct-horse-520"


@pytest.fixture
def planned(transactional_db: None) -> dict[str, object]:
    today = timezone.localdate()
    jianjianke = Unit.objects.create(name="价监科", kind=Unit.Kind.SECTION)
    office = Unit.objects.create(name="高唐市场监管所", short_name="高唐所", kind=Unit.Kind.OFFICE)
    Unit.objects.create(name="龙门市场监管所", short_name="龙门所", kind=Unit.Kind.OFFICE)
    admin = User.objects.create_user(
        username="jianjianke", password=PASSWORD, name="李四", unit=jianjianke, is_staff=True
    )
    admin.groups.add(Group.objects.get(name=Role.BUREAU_ADMIN.value))
    clerk = User.objects.create_user(username="gaotang", password=PASSWORD, name="张三", unit=office)
    clerk.groups.add(Group.objects.get(name=Role.OFFICE.value))
    campaign = Campaign.objects.create(
        year=today.year,
        name=f"{today.year}年“5·20世界计量日”主题活动",
        theme="计量顺时代之需，应民生之盼",
        metrology_day=dt.date(today.year, 5, 20),
        start_date=today - dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=40),
        notice_title="通知",
        notice_issuer="巫山县市场监督管理局",
        notice_text="一、总体要求\n二、活动内容\n（二）开展宣传\n",
    )
    offices = PartyGroup.objects.create(
        campaign=campaign, label="各市场监管所", unit_kinds=[Unit.Kind.OFFICE]
    )
    task = Task.objects.create(
        campaign=campaign,
        notice_ref="二（二）",
        title="丰富线下宣传阵地",
        due_date=today + dt.timedelta(days=30),
    )
    TaskParty.objects.create(task=task, role=TaskParty.Role.RESPONSIBLE, label=offices.label, group=offices)
    services.task_sync_assignments(task=task)
    return {"campaign": campaign, "task": task, "office": office, "today": today}


def test_admin_sets_a_units_deadline_and_a_weekly_window_and_the_office_sees_both(
    login, live_server, chromium, planned
):
    campaign, task, office, today = planned["campaign"], planned["task"], planned["office"], planned["today"]
    own_deadline = today + dt.timedelta(days=5)

    page = login("jianjianke", PASSWORD)
    page.goto(f"{live_server.url}/workbench/plan/{campaign.year}/tasks/{task.pk}/")
    page.fill(f"#id_unit_{office.pk}", own_deadline.isoformat())
    page.click("[data-deadline-form] button[type=submit]")
    page.wait_for_load_state()
    assert "完成时限已保存" in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/workbench/plan/{campaign.year}/")
    form = page.locator("[data-windows-form]")
    form.locator("select[name=group]").select_option(label="各市场监管所")
    form.locator("input[name=record_types][value='publicity.newsitem']").check()
    form.locator("input[name=weekly_until]").fill(today.isoformat())
    form.locator("input[name=monthly_until]").fill("")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已新增 3 个报送期" in page.locator(".messages").inner_text()
    assert page.locator(".reporting-grid thead th").nth(1).inner_text() == "第1周"
    assert page.console_errors == []

    assignment = TaskAssignment.objects.get(task=task, unit=office)
    assert assignment.due_date == own_deadline
    assert ReportingWindow.objects.filter(campaign=campaign).count() == 3

    # The office's own phone: a second browser context. Clearing cookies in the bureau's context raced:
    # a late response re-set the bureau's CSRF cookie and the office's login was refused.
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "gaotang")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/workbench/")
        card = page.locator("article.task-card").first
        assert (
            f"{own_deadline.year}年{own_deadline.month}月{own_deadline.day}日（本单位时限）"
            in card.inner_text()
        )
        row = page.locator(f"#reporting tr[data-unit='{office.pk}']")
        # Week 1 (20 to 14 days ago) and week 2 are past their due dates with nothing reported.
        assert row.locator("td[data-status=missing]").count() == 2
        assert "未报" in row.inner_text()
        assert page.locator("#reporting tbody tr").count() == 1  # not 龙门所's row
        assert errors == []
    finally:
        context.close()
