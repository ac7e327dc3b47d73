"""The planning pages (bureau admin), the notice page (everyone) and the office's reporting row."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Milestone, PartyGroup, ReportingWindow, Task, TaskAssignment
from organizations.models import Unit
from tests.clock import CampaignClock
from tests.factories import UnitFactory
from tests.html import cells, one, select, text, texts

Status = TaskAssignment.Status


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db, unit_a, unit_b, jianjianke) -> Campaign:
    call_command("seed_campaign", stdout=StringIO())
    campaign = Campaign.objects.get(year=2025)
    Campaign.objects.filter(pk=campaign.pk).update(
        start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30)
    )
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def online(campaign) -> Task:
    return campaign.tasks.get(key="ws2.online")


def plan_url(campaign, *parts):
    return reverse("campaigns:plan", args=[campaign.year]) + "".join(parts)


# --- who may plan -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["office_a", "leader"])
def test_only_the_bureau_admin_may_open_or_post_the_planning_pages(client, campaign, online, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in (
        plan_url(campaign),
        reverse("campaigns:plan_task", args=[2025, online.pk]),
        reverse("campaigns:plan_index"),
    ):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("campaigns:plan_task", args=[2025, online.pk]), {"deadlines": "1", "due_date": "2025-05-30"}
    )
    assert response.status_code == 403
    assert client.post(reverse("campaigns:plan_clone", args=[2025]), {"to_year": 2026}).status_code == 403
    online.refresh_from_db()
    assert online.due_date is None
    assert not Campaign.objects.filter(year=2026).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, campaign):
    response = client.get(plan_url(campaign))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_campaign_or_a_task_of_another_campaign_is_404(client, bureau_admin, campaign, online):
    client.force_login(bureau_admin)
    assert client.get(reverse("campaigns:plan", args=[2031])).status_code == 404
    other = Campaign.objects.create(
        year=2026,
        name="2026",
        theme="t",
        metrology_day=dt.date(2026, 5, 20),
        notice_title="n",
        notice_issuer="i",
    )
    assert client.get(reverse("campaigns:plan_task", args=[other.year, online.pk])).status_code == 404


# --- campaign dates -----------------------------------------------------------------------------------


def test_the_admin_sets_the_campaign_dates(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    response = client.post(
        plan_url(campaign),
        {
            "start_date": "2025-04-20",
            "end_date": "2025-07-15",
            "reminder_days_ahead": 5,
            "escalation_days": 2,
            "cost_flag_threshold": "6000",
        },
        follow=True,
    )
    campaign.refresh_from_db()
    assert (campaign.start_date, campaign.end_date, campaign.reminder_days_ahead) == (
        dt.date(2025, 4, 20),
        dt.date(2025, 7, 15),
        5,
    )
    assert campaign.cost_flag_threshold == 6000
    assert "活动日期已保存。" in text(one(response, ".message-success"))
    assert campaign.history.first().history_user == bureau_admin


def test_an_end_before_the_start_is_refused_and_nothing_saved(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    response = client.post(
        plan_url(campaign),
        {
            "start_date": "2025-06-20",
            "end_date": "2025-06-01",
            "reminder_days_ahead": 9,
            "escalation_days": 2,
            "cost_flag_threshold": "5000",
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in text(one(response, ".error-summary"))
    campaign.refresh_from_db()
    assert (campaign.start_date, campaign.reminder_days_ahead) == (dt.date(2025, 4, 25), 3)


# --- deadlines and milestones -------------------------------------------------------------------------


def test_the_admin_sets_a_task_deadline_and_one_units_own(
    client, bureau_admin, campaign, online, unit_a, unit_b
):
    client.force_login(bureau_admin)
    url = reverse("campaigns:plan_task", args=[2025, online.pk])
    page = client.get(url)
    assert f"unit_{unit_a.pk}" in [field.get("name") for field in select(page, "[data-deadline-form] input")]

    client.post(url, {"deadlines": "1", "due_date": "2025-05-30", f"unit_{unit_a.pk}": "2025-05-22"})

    online.refresh_from_db()
    a, b = online.assignments.get(unit=unit_a), online.assignments.get(unit=unit_b)
    assert (online.due_date, a.due_date, a.due, b.due) == (
        dt.date(2025, 5, 30),
        dt.date(2025, 5, 22),
        dt.date(2025, 5, 22),
        dt.date(2025, 5, 30),
    )
    plan = client.get(plan_url(campaign))
    row = one(plan, f"tr[data-task='{online.pk}']")
    assert "2025年5月30日" in text(row)
    assert "1 个单位另定" in text(row)


def test_a_deadline_outside_the_campaign_is_refused_and_nothing_saved(
    client, bureau_admin, campaign, online, unit_a
):
    client.force_login(bureau_admin)
    response = client.post(
        reverse("campaigns:plan_task", args=[2025, online.pk]),
        {"deadlines": "1", "due_date": "2025-05-30", f"unit_{unit_a.pk}": "2025-08-01"},
    )
    assert response.status_code == 200
    assert "完成时限须在活动期间内。" in text(one(response, ".error-summary"))
    online.refresh_from_db()
    assert online.due_date is None
    assert online.assignments.get(unit=unit_a).due_date is None


def test_a_malformed_date_is_refused(client, bureau_admin, campaign, online):
    client.force_login(bureau_admin)
    response = client.post(
        reverse("campaigns:plan_task", args=[2025, online.pk]), {"deadlines": "1", "due_date": "5月30日"}
    )
    assert "输入一个有效的日期。" in text(one(response, ".error-summary"))
    online.refresh_from_db()
    assert online.due_date is None


def test_the_admin_adds_a_milestone_with_a_target_and_sees_its_figure(client, bureau_admin, campaign):
    stations = campaign.tasks.get(key="ws1.stations")
    client.force_login(bureau_admin)
    url = reverse("campaigns:plan_task", args=[2025, stations.pk])
    client.post(
        url,
        {
            "milestone": "1",
            "milestone-title": "9个微站揭牌运行",
            "milestone-due_date": "2025-05-20",
            "milestone-metric": "microstations.stations_opened",
            "milestone-goal": "9",
        },
    )
    milestone = Milestone.objects.get(task=stations)
    assert (milestone.goal, milestone.metric) == (9, "microstations.stations_opened")
    item = text(one(client.get(url), f"[data-milestone='{milestone.pk}']"))
    assert "目标 9 · 截至今日 0 未到期" in item

    response = client.post(
        url,
        {
            "milestone": "1",
            "milestone-title": "无目标值",
            "milestone-due_date": "2025-05-21",
            "milestone-metric": "microstations.stations_opened",
        },
    )
    assert "指标和目标值须同时填写或同时留空。" in text(one(response, ".error-summary"))
    assert Milestone.objects.count() == 1

    client.post(reverse("campaigns:plan_milestone_delete", args=[2025, milestone.pk]))
    assert Milestone.objects.count() == 0


# --- groups ---------------------------------------------------------------------------------------------


def test_the_admin_narrows_a_group_and_the_assignments_follow(
    client, bureau_admin, campaign, jianjianke, unit_a
):
    office_room = UnitFactory(name="办公室", kind=Unit.Kind.SECTION)
    for task in campaign.tasks.all():
        services.task_sync_assignments(task=task)
    news = campaign.tasks.get(key="s3.news")
    assert news.assignments.filter(unit=office_room).exists()
    group = PartyGroup.objects.get(campaign=campaign, label="各相关科所队")
    client.force_login(bureau_admin)
    page = client.get(reverse("campaigns:plan_group", args=[2025, group.pk]))
    assert office_room.label in text(one(page, "[data-group-members]"))
    checked = {box.get("value") for box in select(page, "input[name=unit_kinds][checked]")}
    assert checked == set(group.unit_kinds)

    client.post(
        reverse("campaigns:plan_group", args=[2025, group.pk]),
        {"label": group.label, "unit_kinds": group.unit_kinds, "excluded_units": [office_room.pk]},
    )

    assert not news.assignments.filter(unit=office_room).exists()
    assert news.assignments.filter(unit=unit_a).exists()
    assert f"不含：{office_room.label}" in text(one(client.get(plan_url(campaign)), "#groups"))


# --- reporting windows and clone -------------------------------------------------------------------------


def test_the_admin_generates_weekly_windows_and_sees_the_grid(client, bureau_admin, campaign, unit_a):
    group = PartyGroup.objects.get(campaign=campaign, label="各市场监管所")
    client.force_login(bureau_admin)
    client.post(
        reverse("campaigns:plan_windows_generate", args=[2025]),
        {
            "group": group.pk,
            "record_types": ["publicity.newsitem"],
            "weekly_until": "2025-05-20",
            "monthly_until": "",
            "due_days": "1",
        },
    )
    assert ReportingWindow.objects.filter(campaign=campaign).count() == 4
    page = client.get(plan_url(campaign))
    assert texts(page, ".reporting-grid thead th")[1:5] == ["第1周", "第2周", "第3周", "第4周"]
    row = cells(page, f".reporting-grid tr[data-unit='{unit_a.pk}']")
    assert row[0][:5] == ["甲地所", "未报", "未报", "未报", "未到期"]


def test_windows_outside_the_campaign_are_refused_and_none_saved(client, bureau_admin, campaign):
    group = PartyGroup.objects.get(campaign=campaign, label="各市场监管所")
    client.force_login(bureau_admin)
    response = client.post(
        reverse("campaigns:plan_windows_generate", args=[2025]),
        {
            "group": group.pk,
            "record_types": ["publicity.newsitem"],
            "weekly_until": "2025-09-01",
            "due_days": "1",
        },
        follow=True,
    )
    assert "日期须在活动期间内。" in text(one(response, ".message-error"))
    assert ReportingWindow.objects.count() == 0


def test_the_clone_button_copies_the_campaign_once(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    response = client.post(reverse("campaigns:plan_clone", args=[2025]), {"to_year": 2026}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaigns:plan", args=[2026])
    assert Campaign.objects.get(year=2026).tasks.count() == 9
    again = client.post(reverse("campaigns:plan_clone", args=[2025]), {"to_year": 2026}, follow=True)
    assert "2026 年度的活动已存在，未作改动。" in text(one(again, ".message-info"))
    assert Campaign.objects.count() == 2


@pytest.mark.parametrize("extra_units", [0, 6])
def test_the_plan_page_runs_the_same_queries_whatever_the_data_size(
    client, bureau_admin, campaign, extra_units, django_assert_num_queries
):
    group = PartyGroup.objects.get(campaign=campaign, label="各市场监管所")
    services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=group,
        record_types=["publicity.newsitem"],
        weekly_until=dt.date(2025, 5, 20),
    )
    for _ in range(extra_units):
        UnitFactory(kind=Unit.Kind.OFFICE)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign, 6 campaign (form instance), 7 years, 8 tasks with
    # counts, 9 parties, 10 milestones, 11 groups, 12-13 their excluded and added units, 14 windows'
    # group choices, 15 windows, 16-17 their groups' exceptions, 18 units, 19 news first submissions,
    # 20-25 经费: approved and submitted sums and the flagged items of each record type with a cost
    # (publicity and station activities), 26-28 长效机制: the stations, then the approved activities of
    # each type held at stations, 29 active units (the 工作要求 owner choices, once), 30 工作要求 with
    # their owners, 31 the user's groups (role context processor), 32 the user's unit. The new group
    # form's unit choices are the active units read once (29).
    with django_assert_num_queries(32):
        response = client.get(plan_url(campaign))
    assert response.status_code == 200


@pytest.mark.parametrize("extra_units", [0, 6])
def test_the_task_page_runs_the_same_queries_whatever_the_data_size(
    client, bureau_admin, campaign, online, extra_units, django_assert_num_queries
):
    for _ in range(extra_units):
        UnitFactory(kind=Unit.Kind.OFFICE)
    services.task_sync_assignments(task=online)
    services.milestone_save(
        actor=bureau_admin,
        task=online,
        milestone=None,
        data={
            "title": "微站揭牌",
            "due_date": dt.date(2025, 5, 10),
            "metric": "microstations.stations_opened",
            "goal": 9,
        },
    )
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign, 6 task (workstream joined), 7 assignments with
    # their units (one deadline field each), 8 milestones, 9 the milestone's figure as of its date (one
    # per milestone with a metric, not per unit), 10 the user's groups, 11 the user's unit.
    with django_assert_num_queries(11):
        response = client.get(reverse("campaigns:plan_task", args=[2025, online.pk]))

    unit_fields = [name for name in response.context["form"].fields if name.startswith("unit_")]
    assert len(unit_fields) == online.assignments.count() >= 2 + extra_units


# --- the notice page and the office's reporting row ------------------------------------------------------


def test_every_user_reads_the_notice_with_each_item_linked_to_its_tasks(
    client, campaign, office_a, unit_a, unit_b
):
    for task in campaign.tasks.all():
        services.task_sync_assignments(task=task)
    client.force_login(office_a)

    page = client.get(reverse("campaigns:notice"))

    assert page.status_code == 200
    assert campaign.notice_title in text(one(page, "h1"))
    item = one(page, "[data-notice-ref='二（二）']")
    assert "构建线上宣传矩阵" in text(item)
    tasks = texts(page, "[data-notice-ref='二（二）'] [data-task]")
    assert len(tasks) == 2
    assert "全方位开展线上计量科普知识宣传" in tasks[0]
    assert "待签收" in tasks[0]
    # Only the office's own assignment: no other unit's name or status link.
    links = [a.get("href") for a in select(page, "[data-notice-ref='二（二）'] a")]
    mine = set(TaskAssignment.objects.filter(unit=unit_a).values_list("pk", flat=True))
    assert links
    assert all(int(href.strip("/").split("/")[-1]) in mine for href in links)
    # 二（一） names 价监科 only: the office sees the task but has no share of it.
    assert "本单位无此任务" in text(one(page, "[data-notice-ref='二（一）']"))


@pytest.mark.parametrize("offices", [0, 5])
def test_the_notice_page_runs_the_same_queries_whatever_the_data_size(
    client, campaign, leader, offices, django_assert_num_queries
):
    for _ in range(offices):
        UnitFactory(kind=Unit.Kind.OFFICE)
    for task in campaign.tasks.all():
        services.task_sync_assignments(task=task)
    client.force_login(leader)

    # 1 session, 2 user, 3 current campaign, 4-5 user and group permissions (scope), 6 tasks, 7 visible
    # assignments with their units, 8 工作要求 with their owners, 9 the user's groups (role context
    # processor).
    with django_assert_num_queries(9):
        assert client.get(reverse("campaigns:notice")).status_code == 200


def test_the_office_sees_its_own_missing_reports_on_the_workbench(
    client, bureau_admin, campaign, office_a, unit_a, unit_b
):
    group = PartyGroup.objects.get(campaign=campaign, label="各市场监管所")
    services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=group,
        record_types=["publicity.newsitem"],
        weekly_until=dt.date(2025, 5, 20),
    )
    client.force_login(office_a)

    page = client.get(reverse("campaigns:workbench"))

    rows = select(page, "#reporting tbody tr")
    assert [row.get("data-unit") for row in rows] == [str(unit_a.pk)]
    assert cells(page, "#reporting tbody tr")[0][:5] == ["甲地所", "未报", "未报", "未报", "未到期"]


# --- 工作要求 --------------------------------------------------------------------------------------------


def test_the_admin_records_who_answers_for_a_work_requirement_and_its_evidence(
    client, bureau_admin, campaign, jianjianke, office_a
):
    frugal = campaign.requirements.get(key="s3.frugal")
    client.force_login(bureau_admin)
    url = reverse("campaigns:plan_requirement", args=[2025, frugal.pk])
    prefix = f"r{frugal.pk}"

    refused = client.post(url, {f"{prefix}-owner": jianjianke.pk, f"{prefix}-met": "on"}, follow=True)
    assert "确认落实前请填写落实情况。" in text(one(refused, ".message-error"))
    frugal.refresh_from_db()
    assert (frugal.owner, frugal.met_at) == (None, None)

    client.post(
        url,
        {
            f"{prefix}-owner": jianjianke.pk,
            f"{prefix}-evidence": "活动未租用场地，物料复用去年展板。",
            f"{prefix}-met": "on",
        },
    )
    frugal.refresh_from_db()
    assert (frugal.owner, frugal.is_met) == (jianjianke, True)
    assert frugal.history.first().history_user == bureau_admin

    client.force_login(office_a)
    assert client.post(url, {f"{prefix}-evidence": ""}).status_code == 403
    notice = client.get(reverse("campaigns:notice"))
    item = text(one(notice, f"[data-requirement='{frugal.pk}']"))
    assert "负责单位：价监科" in item
    assert "已落实" in item
    assert "物料复用去年展板" in item


# --- admin fallback ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [2, 8])
def test_the_window_and_requirement_changelists_run_fixed_queries(
    client, campaign, weeks, django_assert_num_queries, django_user_model
):
    group = PartyGroup.objects.get(campaign=campaign, label="各市场监管所")
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    services.reporting_windows_generate(
        actor=superuser,
        campaign=campaign,
        group=group,
        record_types=["publicity.newsitem"],
        weekly_until=campaign.start_date + dt.timedelta(days=7 * weeks - 1),
    )
    client.force_login(superuser)

    # 1 session, 2 user, 3-4 the campaign and group filter choices, 5 count, 6 count (unfiltered),
    # 7 page with campaign and group joined, 8 the date hierarchy's range, 9 its months.
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:campaigns_reportingwindow_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == weeks
    # 1 session, 2 user, 3-4 counts, 5 page with campaign and owner joined, 6 campaign choices,
    # 7 the owners that occur.
    with django_assert_num_queries(7):
        assert client.get(reverse("admin:campaigns_workrequirement_changelist")).status_code == 200
