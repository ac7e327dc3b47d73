"""Group parties created and edited on the planning pages: label, unit kinds, units added and taken
out; the tasks naming the group follow through the same service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, PartyGroup, Task, TaskAssignment, TaskParty
from organizations.models import Unit
from tests.clock import CampaignClock
from tests.factories import CampaignFactory, TaskFactory, UnitFactory
from tests.html import one, text

Status = TaskAssignment.Status


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db) -> Campaign:
    return CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))


@pytest.fixture
def offices(campaign) -> PartyGroup:
    return PartyGroup.objects.create(campaign=campaign, label="各市场监管所", unit_kinds=[Unit.Kind.OFFICE])


@pytest.fixture
def task(campaign, offices) -> Task:
    task = TaskFactory(campaign=campaign, title="开展计量专项检查")
    TaskParty.objects.create(task=task, role=TaskParty.Role.RESPONSIBLE, label=offices.label, group=offices)
    return task


def plan_url() -> str:
    return reverse("campaigns:plan", args=[2025])


def group_url(group: PartyGroup) -> str:
    return reverse("campaigns:plan_group", args=[2025, group.pk])


def assigned(task: Task) -> set[str]:
    return set(task.assignments.values_list("unit__name", flat=True))


def test_the_admin_creates_a_group_on_the_plan_page(client, bureau_admin, campaign, unit_a, jianjianke):
    office_room = UnitFactory(name="办公室", kind=Unit.Kind.SECTION)
    client.force_login(bureau_admin)

    response = client.post(
        plan_url(),
        {
            "new_group": "1",
            "group-label": "各相关科所队",
            "group-unit_kinds": [Unit.Kind.SECTION, Unit.Kind.OFFICE],
            "group-excluded_units": [office_room.pk],
        },
    )

    assert response.status_code == 302
    group = PartyGroup.objects.get(campaign=campaign, label="各相关科所队")
    assert (group.unit_kinds, list(group.excluded_units.all()), list(group.added_units.all())) == (
        ["section", "office"],
        [office_room],
        [],
    )
    assert group.history.latest().history_user == bureau_admin
    page = client.get(plan_url())
    assert "各相关科所队" in text(one(page, "#groups"))
    assert f"不含：{office_room.label}" in text(one(page, "#groups"))


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"group-label": "", "group-unit_kinds": ["office"]}, "该字段是必填项。"),
        ({"group-label": "各所", "group-unit_kinds": []}, "请至少勾选一种单位类型或一个另含单位。"),
        ({"group-label": "各所", "group-unit_kinds": ["nonsense"]}, "nonsense"),
        ({"group-label": "各市场监管所", "group-unit_kinds": ["office"]}, "已经存在"),
    ],
    ids=["no label", "no kind and no unit", "unknown kind", "label taken"],
)
def test_a_bad_new_group_is_refused_in_chinese_and_nothing_is_saved(
    client, bureau_admin, campaign, offices, posted, error
):
    client.force_login(bureau_admin)

    response = client.post(plan_url(), {"new_group": "1", **posted})

    assert response.status_code == 200
    assert error in text(one(response, "[data-new-group-form]"))
    assert PartyGroup.objects.filter(campaign=campaign).count() == 1


def test_a_unit_both_added_and_taken_out_is_refused(client, bureau_admin, offices, unit_a, task):
    client.force_login(bureau_admin)

    response = client.post(
        group_url(offices),
        {
            "label": offices.label,
            "unit_kinds": ["office"],
            "added_units": [unit_a.pk],
            "excluded_units": [unit_a.pk],
        },
    )

    assert "同一单位不能既“另含”又“不含”。" in text(one(response, "[data-group-form]"))
    assert not offices.excluded_units.exists()


def test_editing_a_group_resyncs_the_tasks_naming_it(
    client, bureau_admin, offices, task, unit_a, unit_b, jianjianke
):
    services.task_sync_assignments(task=task)
    signed = task.assignments.get(unit=unit_b)
    signed.status = Status.ACKNOWLEDGED
    signed.save()
    unit_c = UnitFactory(name="丙地市场监管所", kind=Unit.Kind.OFFICE)
    services.task_sync_assignments(task=task)
    assert assigned(task) == {unit_a.name, unit_b.name, unit_c.name}
    client.force_login(bureau_admin)

    response = client.post(
        group_url(offices),
        {
            "label": "各市场监管所及价监科",
            "unit_kinds": ["office"],
            "added_units": [jianjianke.pk],
            "excluded_units": [unit_b.pk, unit_c.pk],
        },
    )

    assert response.status_code == 302
    offices.refresh_from_db()
    assert offices.label == "各市场监管所及价监科"
    # 丙 had not signed: its assignment is withdrawn; 乙 had signed: kept, with its history.
    assert assigned(task) == {unit_a.name, unit_b.name, jianjianke.name}
    page = client.get(group_url(offices))
    assert jianjianke.label in text(one(page, "[data-group-members]"))
    assert unit_c.label not in text(one(page, "[data-group-members]"))


def test_a_new_office_joins_an_edited_group_at_once(
    client, bureau_admin, offices, task, unit_a, django_capture_on_commit_callbacks
):
    client.force_login(bureau_admin)
    client.post(group_url(offices), {"label": offices.label, "unit_kinds": ["office", "enforcement"]})

    with django_capture_on_commit_callbacks(execute=True):
        team = Unit.objects.create(name="执法二大队", kind=Unit.Kind.ENFORCEMENT)

    assert task.assignments.filter(unit=team).exists()


@pytest.mark.parametrize("who", ["office_a", "leader"])
def test_only_the_bureau_admin_may_create_or_edit_groups(client, campaign, offices, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(group_url(offices)).status_code == 403
    assert client.post(group_url(offices), {"label": "改名", "unit_kinds": ["office"]}).status_code == 403
    assert (
        client.post(
            plan_url(), {"new_group": "1", "group-label": "新组", "group-unit_kinds": ["office"]}
        ).status_code
        == 403
    )
    assert list(PartyGroup.objects.values_list("label", flat=True)) == ["各市场监管所"]


def test_a_group_of_another_campaign_is_404(client, bureau_admin, campaign):
    other = CampaignFactory(year=2026)
    group = PartyGroup.objects.create(campaign=other, label="各市场监管所", unit_kinds=["office"])
    client.force_login(bureau_admin)

    assert client.get(group_url(group)).status_code == 404
    assert client.post(group_url(group), {"label": "x", "unit_kinds": ["office"]}).status_code == 404


@pytest.mark.parametrize("extra_units", [0, 6])
def test_the_group_page_runs_the_same_queries_whatever_the_data_size(
    client, bureau_admin, offices, task, unit_a, extra_units, django_assert_num_queries
):
    for _ in range(extra_units):
        UnitFactory(kind=Unit.Kind.OFFICE)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign, 6 group, 7-8 its excluded and added units,
    # 9 active units (the form's choices), 10 active units (the members, judged in Python),
    # 11 the user's groups, 12 the user's unit.
    with django_assert_num_queries(12):
        response = client.get(group_url(offices))

    assert len(response.context["members"]) == 1 + extra_units
