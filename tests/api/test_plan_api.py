"""The rest of the planning pages through the API (issue 17 follow-up): milestones, reporting windows
and 工作要求, written by calling campaigns.services as the pages do. The bureau admin plans; the owning
unit reports on its 工作要求; others get 403 before their input is read, an id out of scope is 404, and
bad input is a 400 in Chinese that saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Milestone, PartyGroup, ReportingWindow, WorkRequirement
from evidence.selectors import photos_for
from organizations.models import User
from tests.evidence.images import jpeg
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory
from tests.microstations.factories import campaign_2025

pytestmark = pytest.mark.django_db

MILESTONES = "/api/v1/milestones/"
WINDOWS = "/api/v1/reporting-windows/"
REQUIREMENTS = "/api/v1/requirements/"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


@pytest.fixture
def task(unit_a):
    task = TaskFactory(campaign=campaign_2025(), title="建设民生计量微站")
    TaskAssignmentFactory(task=task, unit=unit_a)
    return task


@pytest.fixture
def milestone(task):
    return Milestone.objects.create(task=task, title="选址", due_date=dt.date(2025, 5, 1))


# --- Milestones -------------------------------------------------------------------------------------


def test_the_bureau_adds_changes_and_deletes_a_milestone(api_client, bureau_admin, task):
    client = as_user(api_client, bureau_admin)

    created = client.post(
        MILESTONES,
        {
            "task": task.pk,
            "title": "微站开放",
            "due_date": "2025-05-20",
            "metric": "enterprises.visits",
            "goal": 9,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    milestone = Milestone.objects.get(pk=created.json()["id"])
    assert (milestone.task, milestone.goal, milestone.metric) == (task, 9, "enterprises.visits")
    assert milestone.history.latest().history_user == bureau_admin

    changed = client.patch(f"{MILESTONES}{milestone.pk}/", {"title": "九个微站开放"}, format="json")
    assert changed.status_code == 200, changed.json()
    milestone.refresh_from_db()
    assert milestone.title == "九个微站开放"

    assert client.delete(f"{MILESTONES}{milestone.pk}/").status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"due_date": "2026-05-20"}, "节点日期须在活动期间内"),
        ({"metric": "enterprises.visits"}, "指标和目标值须同时填写或同时留空"),
        ({"metric": "no.such_metric", "goal": 3}, "metric"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_milestone_is_a_400_and_nothing_is_saved(api_client, bureau_admin, task, body, says):
    payload = {"task": task.pk, "title": "微站开放", "due_date": "2025-05-20", **body}
    response = as_user(api_client, bureau_admin).post(MILESTONES, payload, format="json")

    assert response.status_code == 400
    assert says in str(response.json())
    assert not Milestone.objects.exists()


def test_a_milestone_stays_with_its_task(api_client, bureau_admin, milestone):
    other = TaskFactory(campaign=milestone.task.campaign)
    response = as_user(api_client, bureau_admin).patch(
        f"{MILESTONES}{milestone.pk}/", {"task": other.pk}, format="json"
    )
    assert response.status_code == 200
    milestone.refresh_from_db()
    assert milestone.task_id != other.pk


@pytest.mark.parametrize("role", ["office_a", "leader"])
def test_other_roles_may_read_but_not_plan_milestones(api_client, request, milestone, task, role):
    client = as_user(api_client, request.getfixturevalue(role))

    assert client.get(f"{MILESTONES}{milestone.pk}/").status_code == 200
    # 403 whatever is sent, and before the id is looked up.
    assert client.post(MILESTONES, {"task": task.pk, "title": "x"}, format="json").status_code == 403
    assert client.patch(f"{MILESTONES}{milestone.pk}/", {"title": "改"}, format="json").status_code == 403
    assert client.patch(f"{MILESTONES}999999/", {"title": 1}, format="json").status_code == 403
    assert client.delete(f"{MILESTONES}{milestone.pk}/").status_code == 403
    milestone.refresh_from_db()
    assert milestone.title == "选址"


def test_another_units_milestone_is_404_to_an_office(api_client, office_b, milestone):
    client = as_user(api_client, office_b)
    assert client.get(f"{MILESTONES}{milestone.pk}/").status_code == 404
    assert client.get(MILESTONES).json()["count"] == 0


# --- Reporting windows ------------------------------------------------------------------------------


@pytest.fixture
def group(unit_a):
    return PartyGroup.objects.create(campaign=campaign_2025(), label="各市场监管所", unit_kinds=["office"])


def generate_body(group, /, **changes):
    return {
        "campaign": group.campaign_id,
        "group": group.pk,
        "record_types": ["inspections.inspectionrecord"],
        "weekly_until": "2025-05-20",
        "monthly_until": "2025-06-30",
        "due_days": 2,
        **changes,
    }


def test_the_bureau_generates_windows_once_and_deletes_one(api_client, bureau_admin, group):
    client = as_user(api_client, bureau_admin)

    response = client.post(f"{WINDOWS}generate/", generate_body(group), format="json")

    assert response.status_code == 201, response.json()
    labels = [row["label"] for row in response.json()]
    assert labels[0] == "第1周"
    assert labels[-2:] == ["5月", "6月"]
    windows = ReportingWindow.objects.filter(group=group)
    assert windows.count() == len(labels)
    first = windows.order_by("start_date")[0]
    assert (first.start_date, first.due_date) == (dt.date(2025, 4, 25), dt.date(2025, 5, 3))
    # A rerun adds nothing.
    again = client.post(f"{WINDOWS}generate/", generate_body(group), format="json")
    assert (again.status_code, again.json()) == (201, [])

    assert client.delete(f"{WINDOWS}{first.pk}/").status_code == 204
    assert windows.count() == len(labels) - 1


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"weekly_until": "2025-12-01"}, "日期须在活动期间内"),
        ({"monthly_until": "2025-05-01"}, "不能早于每周报送的截止日期"),
        ({"record_types": []}, "record_types"),
        ({"record_types": ["auth.user"]}, "record_types"),
        ({"due_days": 40}, "due_days"),
        ({"group": 999999}, "group"),
    ],
)
def test_bad_windows_are_a_400_and_none_is_saved(api_client, bureau_admin, group, changes, says):
    response = as_user(api_client, bureau_admin).post(
        f"{WINDOWS}generate/", generate_body(group, **changes), format="json"
    )
    assert response.status_code == 400
    assert says in str(response.json())
    assert not ReportingWindow.objects.exists()


def test_another_campaigns_group_is_refused_in_chinese(api_client, bureau_admin, group):
    other = CampaignFactory(year=2026, start_date=dt.date(2026, 4, 25), end_date=dt.date(2026, 6, 30))
    response = as_user(api_client, bureau_admin).post(
        f"{WINDOWS}generate/",
        generate_body(group, campaign=other.pk, weekly_until="2026-05-20", monthly_until=None),
        format="json",
    )
    assert response.status_code == 400
    assert "报送单位须是本活动的单位组" in str(response.json())
    assert not ReportingWindow.objects.exists()


@pytest.mark.parametrize("role", ["office_a", "leader"])
def test_other_roles_read_windows_but_may_not_plan_them(api_client, request, bureau_admin, group, role):
    created = as_user(api_client, bureau_admin).post(
        f"{WINDOWS}generate/", generate_body(group), format="json"
    )
    window_id = created.json()[0]["id"]
    client = as_user(api_client, request.getfixturevalue(role))

    assert client.get(f"{WINDOWS}{window_id}/").status_code == 200
    assert client.post(f"{WINDOWS}generate/", {}, format="json").status_code == 403
    assert client.delete(f"{WINDOWS}{window_id}/").status_code == 403
    assert client.delete(f"{WINDOWS}999999/").status_code == 403
    assert ReportingWindow.objects.filter(pk=window_id).exists()


def test_an_unknown_window_is_404_to_the_bureau(api_client, bureau_admin):
    assert as_user(api_client, bureau_admin).delete(f"{WINDOWS}999999/").status_code == 404


# --- 工作要求 ----------------------------------------------------------------------------------------


@pytest.fixture
def requirement(unit_a):
    return WorkRequirement.objects.create(
        campaign=campaign_2025(), notice_ref="三（一）", title="厉行节约", owner=unit_a
    )


def test_the_bureau_sets_owner_and_evidence_and_confirms_it_met(
    api_client, bureau_admin, requirement, unit_b
):
    response = as_user(api_client, bureau_admin).patch(
        f"{REQUIREMENTS}{requirement.pk}/",
        {"owner": unit_b.pk, "evidence": "已印发通知", "met": True},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["met"] is True
    requirement.refresh_from_db()
    assert (requirement.owner, requirement.progress) == (unit_b, WorkRequirement.Progress.MET)
    assert requirement.met_at is not None
    assert requirement.history.latest().history_user == bureau_admin


def test_met_without_evidence_is_refused_and_nothing_is_saved(api_client, bureau_admin, requirement, unit_b):
    response = as_user(api_client, bureau_admin).patch(
        f"{REQUIREMENTS}{requirement.pk}/", {"owner": unit_b.pk, "met": True}, format="json"
    )
    assert response.status_code == 400
    assert "确认落实前请填写落实情况" in str(response.json())
    requirement.refresh_from_db()
    assert (requirement.owner_id, requirement.is_met) != (unit_b.pk, True)


def test_the_owning_unit_reports_with_a_photo(api_client, office_a, requirement):
    photo = SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")
    response = as_user(api_client, office_a).post(
        f"{REQUIREMENTS}{requirement.pk}/report/",
        {"progress": "met", "evidence": "", "photos": [photo]},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["progress"] == "met"
    requirement.refresh_from_db()
    assert requirement.is_met
    assert photos_for(requirement).count() == 1


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"progress": "met", "evidence": "  "}, "标记为已落实前，请填写落实情况或上传照片"),
        ({"progress": "done"}, "progress"),
        ({"evidence": "只写了情况"}, "progress"),
    ],
)
def test_a_bad_report_is_a_400_and_nothing_is_saved(api_client, office_a, requirement, body, says):
    response = as_user(api_client, office_a).post(
        f"{REQUIREMENTS}{requirement.pk}/report/", body, format="json"
    )
    assert response.status_code == 400
    assert says in str(response.json())
    requirement.refresh_from_db()
    assert (requirement.progress, requirement.evidence) == (WorkRequirement.Progress.NOT_STARTED, "")


def test_another_units_requirement_is_404(api_client, office_b, requirement):
    client = as_user(api_client, office_b)
    assert client.get(f"{REQUIREMENTS}{requirement.pk}/").status_code == 404
    response = client.post(f"{REQUIREMENTS}{requirement.pk}/report/", {"progress": "met"}, format="json")
    assert response.status_code == 404
    requirement.refresh_from_db()
    assert requirement.progress == WorkRequirement.Progress.NOT_STARTED


def test_leadership_reads_but_may_not_report_or_plan(api_client, leader, requirement):
    client = as_user(api_client, leader)
    assert client.get(f"{REQUIREMENTS}{requirement.pk}/").status_code == 200
    # 403 before the body or the id.
    assert client.post(f"{REQUIREMENTS}{requirement.pk}/report/", {}, format="json").status_code == 403
    assert client.post(f"{REQUIREMENTS}999999/report/", {}, format="json").status_code == 403
    assert client.patch(f"{REQUIREMENTS}{requirement.pk}/", {"met": 1}, format="json").status_code == 403


def test_an_office_may_report_but_not_plan_its_requirement(api_client, office_a, requirement):
    response = as_user(api_client, office_a).patch(
        f"{REQUIREMENTS}{requirement.pk}/", {"evidence": "自己确认", "met": True}, format="json"
    )
    assert response.status_code == 403
    requirement.refresh_from_db()
    assert not requirement.is_met


# --- Query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MILESTONES, WINDOWS, REQUIREMENTS])
def test_the_plan_lists_run_a_fixed_number_of_queries(api_client, bureau_admin, office_a, unit_a, url):
    """Hand-counted: session-free auth, permissions (user, groups), count, page (+ the office's scope)."""
    campaign = campaign_2025()
    group = PartyGroup.objects.create(campaign=campaign, label="各所", unit_kinds=["office"])

    numbers = iter(range(100))

    def add(n: int) -> None:
        for i in (next(numbers) for _ in range(n)):
            task = TaskFactory(campaign=campaign)
            TaskAssignmentFactory(task=task, unit=unit_a)
            Milestone.objects.create(task=task, title=f"节点{i}", due_date=dt.date(2025, 5, 1))
            WorkRequirement.objects.create(campaign=campaign, notice_ref="三", title=f"要求{i}", owner=unit_a)
            ReportingWindow.objects.create(
                campaign=campaign,
                group=group,
                label=f"期{i}",
                start_date=dt.date(2025, 5, 1) + dt.timedelta(days=i),
                end_date=dt.date(2025, 5, 1) + dt.timedelta(days=i),
                due_date=dt.date(2025, 5, 2) + dt.timedelta(days=i),
            )

    def count(user: User) -> tuple[int, int]:
        api_client.force_authenticate(User.objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as context:
            response = api_client.get(url)
        assert response.status_code == 200
        return response.json()["count"], len(context.captured_queries)

    add(1)
    small = {user.username: count(user) for user in (office_a, bureau_admin)}
    add(4)
    large = {user.username: count(user) for user in (office_a, bureau_admin)}
    assert {name: rows for name, (rows, _q) in large.items()} == {"office_a": 5, "bureau_admin": 5}
    assert {name: q for name, (_r, q) in large.items()} == {name: q for name, (_r, q) in small.items()}
    assert max(q for _r, q in large.values()) <= 6, large
