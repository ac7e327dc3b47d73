"""/api/v1/: unit scoping, actions, authentication, pagination, query counts, schema and docs."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import TaskAssignment
from tests.clock import METROLOGY_DAY
from tests.factories import (
    CampaignFactory,
    TaskAssignmentFactory,
    TaskPartyFactory,
    UnitFactory,
    WorkstreamFactory,
)

Status = TaskAssignment.Status
LISTS = [
    "/api/v1/units/",
    "/api/v1/campaigns/",
    "/api/v1/workstreams/",
    "/api/v1/tasks/",
    "/api/v1/assignments/",
]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- scoping --------------------------------------------------------------------------------------


def test_office_lists_only_its_own_units_assignments(api_client, office_a, assignment_a, assignment_b):
    api_client.force_login(office_a)

    response = api_client.get("/api/v1/assignments/")

    assert ids(response) == {assignment_a.pk}
    row = response.json()["results"][0]
    assert row["unit_name"] == "甲地市场监管所"
    assert row["task_title"] == "开展计量专项检查"
    assert (row["status"], row["status_display"], row["is_overdue"]) == ("pending", "待签收", False)


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [("last second of 20 May", False), ("first second of 21 May", True)],
    ids=["23:59:59", "00:00:00 the next day"],
)
def test_an_assignment_is_overdue_from_the_first_second_after_its_due_day_in_shanghai(
    campaign_clock, api_client, office_a, assignment_a, moment, overdue
):
    assignment_a.task.due_date = METROLOGY_DAY
    assignment_a.task.save()
    campaign_clock.travel(moment)
    api_client.force_login(office_a)

    row = api_client.get(f"/api/v1/assignments/{assignment_a.pk}/").json()

    assert (row["due_date"], row["is_overdue"]) == ("2025-05-20", overdue)


def test_office_cannot_read_other_units_assignment(api_client, office_a, assignment_b):
    api_client.force_login(office_a)
    assert api_client.get(f"/api/v1/assignments/{assignment_b.pk}/").status_code == 404


def test_office_cannot_widen_its_scope_with_a_unit_filter(api_client, office_a, assignment_a, assignment_b):
    api_client.force_login(office_a)
    assert ids(api_client.get("/api/v1/assignments/", {"unit": assignment_b.unit_id})) == set()


def test_office_lists_only_tasks_its_unit_answers_for_with_only_its_assignments(
    api_client, office_a, unit_b, assignment_a, assignment_b
):
    not_ours = TaskAssignmentFactory(unit=unit_b)
    api_client.force_login(office_a)

    response = api_client.get("/api/v1/tasks/")

    assert ids(response) == {assignment_a.task_id}
    [task] = response.json()["results"]
    assert [a["id"] for a in task["assignments"]] == [assignment_a.pk]
    assert api_client.get(f"/api/v1/tasks/{not_ours.task_id}/").status_code == 404


def test_office_lists_only_its_own_unit(api_client, office_a, unit_a, unit_b):
    api_client.force_login(office_a)

    assert ids(api_client.get("/api/v1/units/")) == {unit_a.pk}
    assert api_client.get(f"/api/v1/units/{unit_b.pk}/").status_code == 404


def test_leader_reads_every_unit_task_and_assignment(
    api_client, leader, unit_a, unit_b, assignment_a, assignment_b
):
    api_client.force_login(leader)

    assert ids(api_client.get("/api/v1/assignments/")) == {assignment_a.pk, assignment_b.pk}
    assert ids(api_client.get("/api/v1/units/")) == {unit_a.pk, unit_b.pk}
    [task] = api_client.get("/api/v1/tasks/").json()["results"]
    assert {a["id"] for a in task["assignments"]} == {assignment_a.pk, assignment_b.pk}
    assert api_client.get(f"/api/v1/assignments/{assignment_b.pk}/").status_code == 200


def test_every_signed_in_user_reads_campaigns_and_workstreams(api_client, office_a):
    workstream = WorkstreamFactory(title="开展民生领域计量专项检查行动")
    api_client.force_login(office_a)

    campaigns = api_client.get("/api/v1/campaigns/").json()["results"]
    workstreams = api_client.get("/api/v1/workstreams/").json()["results"]

    assert [c["theme"] for c in campaigns] == ["计量顺时代之需，应民生之盼"]
    assert [w["title"] for w in workstreams] == [workstream.title]


def test_assignments_filter_by_status(api_client, leader, assignment_a, assignment_b):
    TaskAssignment.objects.filter(pk=assignment_b.pk).update(status=Status.ACKNOWLEDGED)
    api_client.force_login(leader)

    assert ids(api_client.get("/api/v1/assignments/", {"status": "acknowledged"})) == {assignment_b.pk}


# --- actions --------------------------------------------------------------------------------------


def test_office_acknowledges_its_assignment(api_client, office_a, assignment_a):
    api_client.force_login(office_a)

    response = api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["acknowledged_by"], body["task_title"]) == (
        "acknowledged",
        office_a.pk,
        "开展计量专项检查",
    )
    saved = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert (saved.status, saved.acknowledged_by) == (Status.ACKNOWLEDGED, office_a)


def test_office_starts_and_completes_with_a_note(api_client, office_a, assignment_a):
    api_client.force_login(office_a)
    api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")
    api_client.post(f"/api/v1/assignments/{assignment_a.pk}/start/")

    response = api_client.post(
        f"/api/v1/assignments/{assignment_a.pk}/complete/", {"note": "发放宣传手册200份。"}, format="json"
    )

    assert response.status_code == 200
    saved = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert (saved.status, saved.note) == (Status.DONE, "发放宣传手册200份。")


def test_second_acknowledge_is_refused_with_a_message(api_client, office_a, assignment_a):
    api_client.force_login(office_a)
    api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")
    first = TaskAssignment.objects.get(pk=assignment_a.pk)

    response = api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")

    assert response.status_code == 400
    assert response.json() == {"detail": ["任务当前为“已签收”，不能改为“已签收”。"]}
    again = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert (again.acknowledged_at, again.updated_at) == (first.acknowledged_at, first.updated_at)


def test_a_non_object_body_is_answered_not_crashed_on(api_client, office_a, assignment_a):
    api_client.force_login(office_a)

    response = api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/", [1, 2], format="json")

    assert response.status_code == 200
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.ACKNOWLEDGED


def test_leader_gets_403_on_acknowledge(api_client, leader, assignment_a):
    api_client.force_login(leader)

    response = api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")

    assert response.status_code == 403
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_office_gets_404_acknowledging_other_units_assignment(api_client, office_a, assignment_b):
    api_client.force_login(office_a)

    response = api_client.post(f"/api/v1/assignments/{assignment_b.pk}/acknowledge/")

    assert response.status_code == 404
    assert TaskAssignment.objects.get(pk=assignment_b.pk).status == Status.PENDING


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_assignments_cannot_be_written_directly(api_client, office_a, assignment_a, method):
    api_client.force_login(office_a)

    response = getattr(api_client, method)(
        f"/api/v1/assignments/{assignment_a.pk}/", {"status": "done"}, format="json"
    )

    assert response.status_code == 405
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_session_post_without_csrf_token_is_refused(office_a, assignment_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(office_a)

    response = client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


# --- authentication -------------------------------------------------------------------------------


def test_token_authenticates_and_scopes_like_a_session(office_a, assignment_a, assignment_b):
    token = Token.objects.create(user=office_a)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert ids(client.get("/api/v1/assignments/")) == {assignment_a.pk}
    response = client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")
    assert response.status_code == 200
    assert TaskAssignment.objects.get(pk=assignment_a.pk).acknowledged_by == office_a


def test_wrong_token_is_refused(api_client, assignment_a):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = api_client.get("/api/v1/assignments/")

    # 401 with WWW-Authenticate: token authentication comes first.
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "认证令牌无效。"}


def test_token_of_an_inactive_user_is_refused(office_a, assignment_a):
    token = Token.objects.create(user=office_a)
    office_a.is_active = False
    office_a.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get("/api/v1/assignments/")

    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize("url", LISTS)
def test_unauthenticated_requests_are_refused(api_client, assignment_a, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert "results" not in response.json()


def test_unauthenticated_acknowledge_changes_nothing(api_client, assignment_a):
    response = api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")
    assert response.status_code == 401
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


# --- pagination and query counts ------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_lists_are_paginated(api_client, leader, assignment_a, url):
    WorkstreamFactory(campaign=assignment_a.task.campaign)
    api_client.force_login(leader)

    body = api_client.get(url).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]) >= 1


def test_page_size_is_honoured_and_bounded(api_client, leader, unit_a):
    TaskAssignmentFactory.create_batch(5, unit=unit_a)
    api_client.force_login(leader)

    body = api_client.get("/api/v1/assignments/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), body["previous"]) == (5, 2, None)
    assert "page=2" in body["next"]
    last = api_client.get("/api/v1/assignments/", {"page_size": 2, "page": 3}).json()
    assert (len(last["results"]), last["next"]) == (1, None)


@pytest.fixture
def api_data(unit_a, unit_b):
    """`make(n)` adds n tasks, each with an assignment for both units, a party, a workstream and a campaign."""

    def make(size: int) -> None:
        for i in range(size):
            assignment = TaskAssignmentFactory(unit=unit_a)
            TaskAssignmentFactory(unit=unit_b, task=assignment.task)
            TaskPartyFactory(task=assignment.task, unit=UnitFactory())
            WorkstreamFactory()
            CampaignFactory(year=1990 + i)

    return make


# Per list: (queries for an office, queries for the leader), with the queries listed.
API_QUERIES = {
    # 1 session, 2 user, 3-4 user and group permissions (sees_all_units; the office's scope
    # then checks them again from the cache), 5 count, 6 page of tasks (campaign and workstream
    # joined), 7 parties, 8 their units, 9 visible assignments with their units.
    "/api/v1/tasks/": 9,
    # 1 session, 2 user, 3-4 user and group permissions, 5 count, 6 page (task and unit joined).
    "/api/v1/assignments/": 6,
    # 1 session, 2 user, 3-4 user and group permissions, 5 count, 6 page.
    "/api/v1/units/": 6,
    # 1 session, 2 user, 3 count, 4 page, 5 targets (campaigns are not scoped by unit).
    "/api/v1/campaigns/": 5,
    # 1 session, 2 user, 3 count, 4 page.
    "/api/v1/workstreams/": 4,
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("actor", ["office_a", "leader"])
def test_api_lists_run_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, request, api_data, actor, url, size
):
    api_data(size)
    api_client.force_login(request.getfixturevalue(actor))

    with django_assert_num_queries(API_QUERIES[url]):
        response = api_client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= 1


# --- schema and docs ------------------------------------------------------------------------------


def test_schema_is_an_openapi_3_document_listing_the_routes(api_client, office_a):
    api_client.force_login(office_a)

    response = api_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "巫山县计量宣传活动管理平台 API"
    assert {"/api/v1/assignments/", "/api/v1/assignments/{id}/acknowledge/", "/api/v1/tasks/"} <= set(
        schema["paths"]
    )


def test_docs_page_is_served_locally_for_a_signed_in_user(client, office_a):
    client.force_login(office_a)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html
    assert "unpkg" not in html
