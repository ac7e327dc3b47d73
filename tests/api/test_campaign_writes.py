"""The plan through the API (issue 17): campaign dates and reminder settings, task deadlines (the task's
and each unit's own) and party groups, written by the bureau admin through campaigns.services as the
planning pages write them. Others get 403 whatever they send, an id out of scope is 404, bad input is
400 in Chinese and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import PartyGroup, TaskAssignment, TaskParty
from campaigns.services import task_sync_assignments
from enterprises import services as enterprise_services
from enterprises.models import Partnership
from organizations.models import Unit
from tests.enterprises.factories import PartnershipFactory
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory
from tests.microstations.factories import campaign_2025

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


# --- Campaigns ------------------------------------------------------------------------------------


def test_the_bureau_sets_the_campaign_dates_and_reminders(api_client, bureau_admin):
    campaign = campaign_2025()
    url = f"/api/v1/campaigns/{campaign.pk}/"

    response = as_user(api_client, bureau_admin).patch(
        url, {"end_date": "2025-07-15", "reminder_days_ahead": 5}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["end_date"] == "2025-07-15"
    assert response.json()["reminder_days_ahead"] == 5
    campaign.refresh_from_db()
    assert (campaign.end_date, campaign.reminder_days_ahead) == (dt.date(2025, 7, 15), 5)
    assert campaign.history.latest().history_user == bureau_admin


def test_only_the_plan_fields_of_a_campaign_are_written(api_client, bureau_admin):
    campaign = campaign_2025()
    url = f"/api/v1/campaigns/{campaign.pk}/"

    response = as_user(api_client, bureau_admin).patch(url, {"name": "改名", "year": 2030}, format="json")

    # Read-only fields are shown, never taken: the campaign keeps its notice's name and year.
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert (campaign.year, campaign.name) != (2030, "改名")


def test_a_campaign_that_ends_before_it_starts_is_refused_and_nothing_is_saved(api_client, bureau_admin):
    campaign = campaign_2025()
    before = (campaign.start_date, campaign.end_date)

    response = as_user(api_client, bureau_admin).patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"end_date": "2025-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in str(response.json())
    campaign.refresh_from_db()
    assert (campaign.start_date, campaign.end_date) == before


@pytest.mark.parametrize(
    "bad", [{"reminder_days_ahead": "5"}, {"reminder_days_ahead": -1}, {"start_date": "5月"}]
)
def test_bad_campaign_input_is_a_400_naming_the_field(api_client, bureau_admin, bad):
    campaign = campaign_2025()
    response = as_user(api_client, bureau_admin).patch(
        f"/api/v1/campaigns/{campaign.pk}/", bad, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == set(bad)


@pytest.mark.parametrize("role", ["office_a", "leader"])
def test_other_roles_may_not_change_a_campaign(api_client, request, role):
    campaign = campaign_2025()
    user = request.getfixturevalue(role)
    client = as_user(api_client, user)

    assert (
        client.patch(
            f"/api/v1/campaigns/{campaign.pk}/", {"end_date": "2025-07-15"}, format="json"
        ).status_code
        == 403
    )
    # Whatever is sent, and before the id is looked up.
    assert client.patch("/api/v1/campaigns/999999/", {"end_date": "x"}, format="json").status_code == 403
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 200
    campaign.refresh_from_db()
    assert campaign.end_date != dt.date(2025, 7, 15)


def test_an_unknown_campaign_is_404_to_the_bureau(api_client, bureau_admin):
    response = as_user(api_client, bureau_admin).patch("/api/v1/campaigns/999999/", {}, format="json")
    assert response.status_code == 404


# --- Tasks ----------------------------------------------------------------------------------------


@pytest.fixture
def task(unit_a, unit_b):
    task = TaskFactory(campaign=campaign_2025(), title="建设民生计量微站")
    TaskParty.objects.create(
        task=task, role=TaskParty.Role.RESPONSIBLE, label="各市场监管所", unit_kinds=["office"]
    )
    TaskAssignmentFactory(task=task, unit=unit_a)
    TaskAssignmentFactory(task=task, unit=unit_b)
    return task


def test_the_bureau_sets_a_task_deadline_and_one_units_own(api_client, bureau_admin, task, unit_a, unit_b):
    response = as_user(api_client, bureau_admin).patch(
        f"/api/v1/tasks/{task.pk}/",
        {"due_date": "2025-05-20", "unit_due_dates": {str(unit_b.pk): "2025-05-31"}},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["due_date"] == "2025-05-20"
    dues = {row["unit"]: row["due_date"] for row in body["assignments"]}
    assert dues == {unit_a.pk: "2025-05-20", unit_b.pk: "2025-05-31"}
    assert "unit_due_dates" not in body
    assert TaskAssignment.objects.get(task=task, unit=unit_b).history.latest().history_user == bureau_admin


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"due_date": "2026-01-01"}, "活动期间"),
        ({"unit_due_dates": {"abc": "2025-05-20"}}, "编号"),
        ({"unit_due_dates": {"999999": "2025-05-20"}}, "责任单位"),
        ({"due_date": 20250520}, "due_date"),
    ],
)
def test_a_deadline_outside_the_campaign_or_for_another_unit_is_refused(
    api_client, bureau_admin, task, body, says
):
    response = as_user(api_client, bureau_admin).patch(f"/api/v1/tasks/{task.pk}/", body, format="json")

    assert response.status_code == 400
    assert says in str(response.json())
    task.refresh_from_db()
    assert task.due_date is None
    assert not TaskAssignment.objects.filter(task=task, due_date__isnull=False).exists()


def test_a_task_keeps_its_notice_text(api_client, bureau_admin, task):
    response = as_user(api_client, bureau_admin).patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "别的"}, format="json"
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.title == "建设民生计量微站"


@pytest.mark.parametrize("role", ["office_a", "leader"])
def test_other_roles_may_not_set_deadlines(api_client, request, task, role):
    client = as_user(api_client, request.getfixturevalue(role))
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/tasks/{task.pk}/", {"due_date": "2025-05-20"}, format="json").status_code
        == 403
    )
    task.refresh_from_db()
    assert task.due_date is None


def test_another_units_task_is_404_to_read(api_client, office_a, unit_b):
    task = TaskFactory(campaign=campaign_2025())
    TaskAssignmentFactory(task=task, unit=unit_b)
    assert as_user(api_client, office_a).get(f"/api/v1/tasks/{task.pk}/").status_code == 404


# --- Party groups -----------------------------------------------------------------------------------


def test_the_bureau_creates_a_group_and_its_tasks_follow(
    api_client, bureau_admin, unit_a, unit_b, jianjianke
):
    campaign = campaign_2025()
    client = as_user(api_client, bureau_admin)

    created = client.post(
        "/api/v1/party-groups/",
        {
            "campaign": campaign.pk,
            "label": "各相关科所队",
            "unit_kinds": ["office"],
            "added_units": [jianjianke.pk],
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    group = PartyGroup.objects.get(pk=created.json()["id"])
    assert created.json()["added_units"] == [jianjianke.pk]
    task = TaskFactory(campaign=campaign)
    TaskParty.objects.create(task=task, role=TaskParty.Role.RESPONSIBLE, label="各相关科所队", group=group)

    # unit_b leaves: its unsigned assignment goes; a PATCH without added_units keeps them.
    task_sync_assignments(task=task)
    assert set(task.assignments.values_list("unit_id", flat=True)) == {unit_a.pk, unit_b.pk, jianjianke.pk}
    changed = client.patch(
        f"/api/v1/party-groups/{group.pk}/", {"excluded_units": [unit_b.pk]}, format="json"
    )

    assert changed.status_code == 200, changed.json()
    assert changed.json()["added_units"] == [jianjianke.pk]
    assert set(task.assignments.values_list("unit_id", flat=True)) == {unit_a.pk, jianjianke.pk}
    assert group.history.latest().history_user == bureau_admin


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unit_kinds": ["no_such_kind"]}, "unit_kinds"),
        ({"label": ""}, "label"),
        ({"added_units": [999999]}, "added_units"),
        ({"unit_kinds": "office"}, "unit_kinds"),
    ],
)
def test_bad_group_input_is_refused_and_nothing_is_saved(api_client, bureau_admin, body, field):
    campaign = campaign_2025()
    payload = {"campaign": campaign.pk, "label": "各相关科所队", "unit_kinds": ["office"], **body}

    response = as_user(api_client, bureau_admin).post("/api/v1/party-groups/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not PartyGroup.objects.exists()


def test_a_unit_both_added_and_excluded_is_refused(api_client, bureau_admin, unit_a):
    campaign = campaign_2025()
    payload = {
        "campaign": campaign.pk,
        "label": "组",
        "added_units": [unit_a.pk],
        "excluded_units": [unit_a.pk],
    }
    response = as_user(api_client, bureau_admin).post("/api/v1/party-groups/", payload, format="json")
    assert response.status_code == 400
    assert "既“另含”又“不含”" in str(response.json())
    assert not PartyGroup.objects.exists()


def test_a_group_stays_with_its_campaign(api_client, bureau_admin):
    group = PartyGroup.objects.create(campaign=campaign_2025(), label="组")
    next_year = CampaignFactory(year=2026)
    response = as_user(api_client, bureau_admin).patch(
        f"/api/v1/party-groups/{group.pk}/", {"campaign": next_year.pk}, format="json"
    )
    assert response.status_code == 400
    assert "不属于该活动" in str(response.json())
    group.refresh_from_db()
    assert group.campaign.year == 2025


@pytest.mark.parametrize("role", ["office_a", "leader"])
def test_other_roles_read_groups_and_may_not_write_them(api_client, request, role):
    group = PartyGroup.objects.create(campaign=campaign_2025(), label="组")
    client = as_user(api_client, request.getfixturevalue(role))

    assert client.get(f"/api/v1/party-groups/{group.pk}/").status_code == 200
    payload = {"campaign": group.campaign_id, "label": "新组"}
    assert client.post("/api/v1/party-groups/", payload, format="json").status_code == 403
    assert (
        client.patch(f"/api/v1/party-groups/{group.pk}/", {"label": "改"}, format="json").status_code == 403
    )
    assert client.delete(f"/api/v1/party-groups/{group.pk}/").status_code == 403
    assert list(PartyGroup.objects.values_list("label", flat=True)) == ["组"]


def test_the_group_list_runs_three_queries_whatever_its_size(api_client, office_a):
    campaign = campaign_2025()
    client = as_user(api_client, office_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/party-groups/").status_code == 200
        return len(context.captured_queries)

    PartyGroup.objects.create(campaign=campaign, label="组1").added_units.set(Unit.objects.all())
    small = count()
    for n in range(2, 6):
        PartyGroup.objects.create(campaign=campaign, label=f"组{n}").excluded_units.set(Unit.objects.all())
    # 1 count, 2 page, 3 added units, 4 excluded units (the session user is forced, no query).
    assert count() == small == 4


# --- Partnerships: the delete is enterprises' service ------------------------------------------------


def test_partnership_delete_is_the_service_the_api_calls(bureau_admin, leader):
    partnership = PartnershipFactory()

    with pytest.raises(PermissionDenied):
        enterprise_services.partnership_delete(actor=leader, partnership=partnership)
    enterprise_services.partnership_delete(actor=bureau_admin, partnership=partnership)

    assert not Partnership.objects.exists()
    assert Partnership.history.filter(history_type="-").get().history_user == bureau_admin
