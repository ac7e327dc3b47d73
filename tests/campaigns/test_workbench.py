"""The office workbench (/workbench/) and the task page: scoping, actions, filters, pagination, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from campaigns import services
from campaigns.models import Target, TaskAssignment
from organizations.roles import Role
from tests.clock import METROLOGY_DAY
from tests.factories import (
    CampaignFactory,
    TaskAssignmentFactory,
    TaskFactory,
    TaskPartyFactory,
    UnitFactory,
    UserFactory,
)
from tests.html import cells, one, select, text, texts
from tests.microstations.factories import MicroStationFactory

Status = TaskAssignment.Status
WORKBENCH = "/workbench/"


def detail_url(assignment: TaskAssignment) -> str:
    return f"/workbench/tasks/{assignment.pk}/"


def transition_url(assignment: TaskAssignment, to_status: str) -> str:
    return f"/workbench/tasks/{assignment.pk}/{to_status}/"


def listed(response) -> list[TaskAssignment]:
    """Every assignment the view's queryset holds (all pages), not just the rendered page."""
    return list(response.context["paginator"].object_list)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who sees what --------------------------------------------------------------------------------


def test_office_sees_its_own_assignments_and_none_of_another_units(
    client, office_a, unit_b, assignment_a, assignment_b
):
    other_task = TaskAssignmentFactory(unit=unit_b)
    client.force_login(office_a)

    response = client.get(WORKBENCH)

    assert response.status_code == 200
    assert listed(response) == [assignment_a]
    assert list(response.context["assignments"]) == [assignment_a]
    html = response.content.decode()
    assert f'data-assignment="{assignment_a.pk}"' in html
    assert f'data-assignment="{assignment_b.pk}"' not in html
    assert other_task.task.title not in html
    assert "工作台 · 甲地市场监管所" in html
    assert response.context["summary"]["total"] == 1


def test_office_cannot_see_other_units_assignment_page(client, office_a, assignment_b):
    client.force_login(office_a)
    assert client.get(detail_url(assignment_b)).status_code == 404


def test_office_opens_its_own_assignment_page(client, office_a, assignment_a):
    TaskPartyFactory(task=assignment_a.task, unit=office_a.unit, label="甲地市场监管所")
    client.force_login(office_a)

    response = client.get(detail_url(assignment_a))

    assert response.status_code == 200
    assert response.context["assignment"] == assignment_a
    html = response.content.decode()
    assert "开展计量专项检查" in html
    assert "检查电子计价秤和加油机。" in html
    assert "尚未签收" in html
    assert f'action="{transition_url(assignment_a, "acknowledged")}"' in html


def test_missing_or_garbage_assignment_page_is_404(client, office_a):
    client.force_login(office_a)
    assert client.get("/workbench/tasks/999999/").status_code == 404
    assert client.get("/workbench/tasks/abc/").status_code == 404


def test_office_cannot_acknowledge_other_units_assignment(client, office_a, assignment_b):
    client.force_login(office_a)

    response = client.post(transition_url(assignment_b, "acknowledged"))

    assert response.status_code == 404
    assert TaskAssignment.objects.get(pk=assignment_b.pk).status == Status.PENDING


def unit_column(response) -> dict[str, str]:
    """Each task card's unit, by the card's assignment id (the unit names are also in the filter's options)."""
    column = {}
    for card in select(response, "article.task-card"):
        unit = card.cssselect("p.meta > span")  # the first line of the card's facts, shown to leaders only
        column[card.get("data-assignment")] = text(unit[0]) if unit else ""
    return column


def test_leader_sees_every_units_assignments_read_only(client, leader, assignment_a, assignment_b):
    client.force_login(leader)

    response = client.get(WORKBENCH)

    assert response.status_code == 200
    assert set(listed(response)) == {assignment_a, assignment_b}
    assert unit_column(response) == {
        str(assignment_a.pk): "甲地市场监管所",
        str(assignment_b.pk): "乙地市场监管所",
    }
    html = response.content.decode()
    assert "您以只读方式查看全部单位的任务。" in html
    assert 'data-testid="acknowledge-' not in html
    assert response.context["can_act"] is False


def test_an_office_sees_no_unit_column_on_its_own_workbench(client, office_a, assignment_a):
    client.force_login(office_a)

    response = client.get(WORKBENCH)

    assert unit_column(response) == {str(assignment_a.pk): ""}


def test_leader_reads_any_assignment_page_without_action_buttons(client, leader, assignment_b):
    client.force_login(leader)

    response = client.get(detail_url(assignment_b))

    assert response.status_code == 200
    assert transition_url(assignment_b, "acknowledged") not in response.content.decode()


def test_leader_gets_403_when_posting_a_transition(client, leader, assignment_a):
    client.force_login(leader)

    response = client.post(transition_url(assignment_a, "acknowledged"))

    assert response.status_code == 403
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_bureau_admin_sees_every_units_assignments_and_may_act(
    client, bureau_admin, assignment_a, assignment_b
):
    client.force_login(bureau_admin)

    response = client.get(WORKBENCH)

    assert set(listed(response)) == {assignment_a, assignment_b}
    assert f'data-testid="acknowledge-{assignment_b.pk}"' in response.content.decode()


@pytest.mark.parametrize("path", [WORKBENCH, "/workbench/tasks/1/"])
def test_anonymous_user_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_anonymous_post_changes_nothing_and_is_sent_to_login(client, assignment_a):
    response = client.post(transition_url(assignment_a, "acknowledged"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_office_without_a_unit_is_told_why_it_sees_nothing(client, assignment_a):
    client.force_login(UserFactory(unit=None, roles=[Role.OFFICE]))

    response = client.get(WORKBENCH)

    assert listed(response) == []
    assert "您的账号尚未关联单位" in response.content.decode()


# --- acting -------------------------------------------------------------------------------------


def test_office_acknowledges_its_assignment_and_sees_a_success_message(client, office_a, assignment_a):
    client.force_login(office_a)

    response = client.post(transition_url(assignment_a, "acknowledged"), {"next": WORKBENCH}, follow=True)

    assert response.redirect_chain == [(WORKBENCH, 302)]
    saved = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert saved.status == Status.ACKNOWLEDGED
    assert saved.acknowledged_by == office_a
    assert messages_of(response) == ["“开展计量专项检查”已标记为已签收。"]
    assert 'class="message message-success"' in response.content.decode()


def test_transition_without_next_returns_to_the_task_page(client, office_a, assignment_a):
    client.force_login(office_a)

    response = client.post(transition_url(assignment_a, "acknowledged"))

    assert response.status_code == 302
    assert response["Location"] == detail_url(assignment_a)


def test_transition_never_redirects_to_another_host(client, office_a, assignment_a):
    client.force_login(office_a)

    response = client.post(transition_url(assignment_a, "acknowledged"), {"next": "https://evil.example/"})

    assert response["Location"] == detail_url(assignment_a)


def test_finishing_records_the_note(client, office_a, assignment_a):
    TaskAssignment.objects.filter(pk=assignment_a.pk).update(status=Status.IN_PROGRESS)
    client.force_login(office_a)

    client.post(transition_url(assignment_a, "done"), {"note": "已检查加油机12台。"})

    saved = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert (saved.status, saved.note) == (Status.DONE, "已检查加油机12台。")
    assert saved.completed_at is not None


def test_acknowledging_twice_shows_an_error_and_changes_nothing(client, office_a, assignment_a):
    client.force_login(office_a)
    client.post(transition_url(assignment_a, "acknowledged"), follow=True)  # shows its success message
    first = TaskAssignment.objects.get(pk=assignment_a.pk)
    history = first.history.count()

    response = client.post(transition_url(assignment_a, "acknowledged"), {"next": WORKBENCH}, follow=True)

    assert messages_of(response) == ["任务当前为“已签收”，不能改为“已签收”。"]
    assert 'class="message message-error"' in response.content.decode()
    again = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert (again.status, again.acknowledged_at, again.updated_at) == (
        Status.ACKNOWLEDGED,
        first.acknowledged_at,
        first.updated_at,
    )
    assert again.history.count() == history


def test_unknown_target_status_is_refused(client, office_a, assignment_a):
    client.force_login(office_a)

    response = client.post(transition_url(assignment_a, "approved"))

    assert response.status_code == 403
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_transition_answers_only_post(client, office_a, assignment_a):
    client.force_login(office_a)

    assert client.get(transition_url(assignment_a, "acknowledged")).status_code == 405
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_post_without_csrf_token_is_refused(office_a, assignment_a):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(office_a)

    response = csrf_client.post(transition_url(assignment_a, "acknowledged"))

    assert response.status_code == 403
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_post_with_the_pages_csrf_token_is_accepted(office_a, assignment_a):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(office_a)
    page = csrf_client.get(detail_url(assignment_a))
    token = page.context["csrf_token"]

    response = csrf_client.post(transition_url(assignment_a, "acknowledged"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.ACKNOWLEDGED


def test_task_page_shows_who_changed_what_in_its_history(campaign_clock, client, office_a, assignment_a):
    campaign_clock.travel("first second of 21 May")
    client.force_login(office_a)
    client.post(transition_url(assignment_a, "acknowledged"))

    response = client.get(detail_url(assignment_a))

    history = list(response.context["history"])
    assert [(h.status, h.history_user) for h in history] == [
        (Status.ACKNOWLEDGED, office_a),
        (Status.PENDING, None),
    ]
    # The page header prints the user's name too: read the history table's own cells.
    assert cells(response, "table.striped thead tr") == [["时间", "操作人", "状态"]]
    assert cells(response, "table.striped tbody tr") == [
        ["2025年5月21日 00:00", "甲所员", "已签收"],  # local time, not UTC's 2025-05-20 16:00
        ["2025年5月20日 10:00", "系统", "待签收"],
    ]


# --- filters and pagination ------------------------------------------------------------------------


@pytest.fixture
def office_worklist(campaign_clock, unit_a, unit_b):
    """Four of unit A's assignments in different states, and one of unit B's, seen on 20 May 2025."""
    today = METROLOGY_DAY
    return {
        "overdue": TaskAssignmentFactory(
            unit=unit_a, task=TaskFactory(title="张贴计量科普海报", due_date=today - dt.timedelta(days=3))
        ),
        "due_soon": TaskAssignmentFactory(
            unit=unit_a, task=TaskFactory(title="走访加油站", due_date=today + dt.timedelta(days=2))
        ),
        "acknowledged": TaskAssignmentFactory(
            unit=unit_a, status=Status.ACKNOWLEDGED, task=TaskFactory(title="检查电子计价秤")
        ),
        "done_late": TaskAssignmentFactory(
            unit=unit_a,
            status=Status.DONE,
            task=TaskFactory(title="报送活动信息", due_date=today - dt.timedelta(days=10)),
        ),
        "other_unit": TaskAssignmentFactory(
            unit=unit_b, task=TaskFactory(title="乙所海报", due_date=today - dt.timedelta(days=3))
        ),
    }


def test_status_filter_lists_only_that_status(client, office_a, office_worklist):
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"status": "acknowledged"})

    assert listed(response) == [office_worklist["acknowledged"]]


def test_overdue_filter_lists_open_work_past_its_due_date(client, office_a, office_worklist):
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"timing": "overdue"})

    assert listed(response) == [office_worklist["overdue"]]
    assert badges(response, office_worklist["overdue"]) == ["待签收", "逾期 3 天"]
    assert response.context["summary"]["overdue"] == 1


def test_due_soon_filter_lists_open_work_due_within_a_week(client, office_a, office_worklist):
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"timing": "due_soon"})

    assert listed(response) == [office_worklist["due_soon"]]
    assert badges(response, office_worklist["due_soon"]) == ["待签收", "2 天后到期"]


def test_search_matches_task_titles_within_the_users_scope(client, office_a, office_worklist):
    client.force_login(office_a)

    assert listed(client.get(WORKBENCH, {"q": "海报"})) == [office_worklist["overdue"]]
    assert listed(client.get(WORKBENCH, {"q": "不存在的任务"})) == []


def test_open_work_is_listed_first_and_the_most_urgent_on_top(client, office_a, office_worklist):
    client.force_login(office_a)

    titles = [a.task.title for a in listed(client.get(WORKBENCH))]

    # Overdue, then due soon, then undated open work (on SQLite and PostgreSQL alike), then done.
    assert titles == ["张贴计量科普海报", "走访加油站", "检查电子计价秤", "报送活动信息"]


def test_summary_counts_the_whole_campaign_whatever_the_filter(client, office_a, office_worklist):
    client.force_login(office_a)

    summary = client.get(WORKBENCH, {"status": "done"}).context["summary"]

    assert summary == {"total": 4, "pending": 2, "overdue": 1, "due_soon": 1, "done": 1}


def test_leader_may_filter_by_unit(client, leader, office_worklist, unit_b):
    client.force_login(leader)

    response = client.get(WORKBENCH, {"unit": unit_b.pk})

    assert listed(response) == [office_worklist["other_unit"]]


def test_office_cannot_widen_its_scope_with_a_unit_filter(client, office_a, office_worklist, unit_b):
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"unit": unit_b.pk})

    assert office_worklist["other_unit"] not in listed(response)
    assert len(listed(response)) == 4


def test_invalid_filter_is_reported_and_ignored(client, office_a, office_worklist):
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"status": "approved"})

    assert "筛选条件有误，已忽略" in response.content.decode()
    assert len(listed(response)) == 4


def badges(response, assignment: TaskAssignment) -> list[str]:
    """The state badges of one assignment's card on the workbench."""
    return texts(response, f'article.task-card[data-assignment="{assignment.pk}"] .badge')


# --- the clock: due today, overdue and due soon at Shanghai's midnight ------------------------------


@pytest.mark.parametrize(
    ("moment", "badge", "timing", "overdue"),
    [
        ("20 May", "今日到期", "due_soon", 0),
        ("last second of 20 May", "今日到期", "due_soon", 0),
        # 16:00 UTC, still 20 May there: only the local date makes the task late.
        ("first second of 21 May", "逾期 1 天", "overdue", 1),
    ],
    ids=["10:00", "23:59:59", "00:00:00 the next day"],
)
def test_a_task_is_due_today_until_shanghais_midnight_and_overdue_from_its_first_second(
    campaign_clock, client, office_a, unit_a, moment, badge, timing, overdue
):
    assignment = TaskAssignmentFactory(
        unit=unit_a, status=Status.ACKNOWLEDGED, task=TaskFactory(due_date=METROLOGY_DAY)
    )
    campaign_clock.travel(moment)
    client.force_login(office_a)

    response = client.get(WORKBENCH)

    assert badges(response, assignment) == ["已签收", badge]
    card = one(response, f'article.task-card[data-assignment="{assignment.pk}"]')
    assert ("is-overdue" in card.classes) == bool(overdue)
    assert response.context["summary"]["overdue"] == overdue
    assert listed(client.get(WORKBENCH, {"timing": timing})) == [assignment]
    other = "due_soon" if timing == "overdue" else "overdue"
    assert listed(client.get(WORKBENCH, {"timing": other})) == []
    page = client.get(detail_url(assignment))
    assert texts(page, "article header .badge") == ["已签收", badge]


@pytest.mark.parametrize(
    ("moment", "due", "due_soon", "badge"),
    [
        ("20 May", METROLOGY_DAY + dt.timedelta(days=7), True, ["7 天后到期"]),
        ("20 May", METROLOGY_DAY + dt.timedelta(days=8), False, []),
        ("last second of 20 May", METROLOGY_DAY + dt.timedelta(days=8), False, []),
        ("first second of 21 May", METROLOGY_DAY + dt.timedelta(days=8), True, ["7 天后到期"]),
        ("20 May", METROLOGY_DAY - dt.timedelta(days=1), False, ["逾期 1 天"]),
    ],
    ids=["7 days ahead", "8 days ahead", "8 days ahead at 23:59:59", "7 days ahead from 00:00:00", "overdue"],
)
def test_the_due_soon_window_is_seven_local_days(
    campaign_clock, client, office_a, unit_a, moment, due, due_soon, badge
):
    assignment = TaskAssignmentFactory(
        unit=unit_a, status=Status.ACKNOWLEDGED, task=TaskFactory(due_date=due)
    )
    campaign_clock.travel(moment)
    client.force_login(office_a)

    response = client.get(WORKBENCH, {"timing": "due_soon"})

    assert listed(response) == ([assignment] if due_soon else [])
    assert response.context["summary"]["due_soon"] == int(due_soon)
    assert badges(client.get(WORKBENCH), assignment) == ["已签收", *badge]


def test_older_campaigns_are_hidden_unless_chosen(client, office_a, assignment_a, unit_a):
    old = TaskAssignmentFactory(unit=unit_a, task=TaskFactory(campaign=CampaignFactory(year=2024)))
    client.force_login(office_a)

    assert listed(client.get(WORKBENCH)) == [assignment_a]
    assert listed(client.get(WORKBENCH, {"campaign": old.task.campaign_id})) == [old]


def test_workbench_pages_by_twenty_and_keeps_the_filters(client, office_a, unit_a):
    TaskAssignmentFactory.create_batch(25, unit=unit_a)
    client.force_login(office_a)

    first = client.get(WORKBENCH, {"status": "pending"})
    second = client.get(WORKBENCH, {"status": "pending", "page": 2})

    assert len(first.context["assignments"]) == 20
    assert len(second.context["assignments"]) == 5
    assert not set(first.context["assignments"]) & set(second.context["assignments"])
    assert "第 1/2 页，共 25 条" in first.content.decode()
    assert 'href="?status=pending&amp;page=2"' in first.content.decode()
    assert client.get(WORKBENCH, {"page": 3}).status_code == 404


# --- query counts ------------------------------------------------------------------------------------


def with_targets(size: int) -> None:
    """The notice's two targets, with `size` opened stations behind the first (the metrics count them)."""
    campaign = CampaignFactory()
    Target.objects.create(campaign=campaign, metric="microstations.stations_opened", label="微站", goal=9)
    Target.objects.create(campaign=campaign, metric="volunteers.recruited", label="宣传员", goal=9)
    MicroStationFactory.create_batch(size, campaign=campaign, opened=True)


@pytest.mark.parametrize("size", [3, 30])
def test_office_workbench_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, unit_a, unit_b, size
):
    TaskAssignmentFactory.create_batch(size, unit=unit_a)
    TaskAssignmentFactory.create_batch(size, unit=unit_b)
    with_targets(size)
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 user and group permissions (sees_all_units), 5 current campaign,
    # 6 page count, 7 page of assignments (task, workstream, campaign, unit, signer joined),
    # 8 summary aggregate, 9 targets, 10-11 one count per registered metric, 12 the user's groups
    # (role context processor), 13 the user's unit (heading), 14 campaign choices, 15 workstream choices,
    # 16 the 工作要求 the office answers for, 17 the campaign's reporting windows (none here: the
    # office's reporting row needs no more).
    with django_assert_num_queries(17):
        response = client.get(WORKBENCH)

    assert len(response.context["assignments"]) == min(size, 20)


@pytest.mark.parametrize("size", [3, 30])
def test_leader_workbench_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, unit_a, unit_b, size
):
    TaskAssignmentFactory.create_batch(size, unit=unit_a)
    TaskAssignmentFactory.create_batch(size, unit=unit_b)
    with_targets(size)
    client.force_login(leader)

    # 1 session, 2 user, 3-4 user and group permissions, 5 current campaign, 6 page count,
    # 7 page of assignments, 8 summary aggregate, 9 targets, 10-11 one count per registered metric,
    # 12 the user's groups, 13 campaign choices, 14 workstream choices, 15 unit choices (leaders may
    # filter by unit; no unit of their own).
    with django_assert_num_queries(15):
        response = client.get(WORKBENCH)

    assert response.context["paginator"].count == 2 * size


@pytest.mark.parametrize("size", [1, 6])
def test_task_page_runs_the_same_queries_whatever_the_parties_and_history(
    client, django_assert_num_queries, office_a, assignment_a, size
):
    for _ in range(size):
        TaskPartyFactory(task=assignment_a.task, unit=UnitFactory())
    if size > 1:
        services.assignment_transition(actor=office_a, assignment=assignment_a, to_status=Status.ACKNOWLEDGED)
        services.assignment_transition(actor=office_a, assignment=assignment_a, to_status=Status.IN_PROGRESS)
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 user and group permissions, 5 the assignment with task, workstream,
    # campaign, unit and signer joined, 6 the task's parties, 7 their units, 8 the user's groups,
    # 9 the user's unit (header), 10 the history with its users joined.
    with django_assert_num_queries(10):
        response = client.get(detail_url(assignment_a))

    assert len(response.context["history"]) == (3 if size > 1 else 1)


def test_reverse_names_match_the_paths_the_tests_use(assignment_a):
    assert reverse("campaigns:workbench") == WORKBENCH
    assert reverse("campaigns:assignment_detail", args=[assignment_a.pk]) == detail_url(assignment_a)
