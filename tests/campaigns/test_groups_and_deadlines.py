"""Group parties with editable membership, resolved when a unit appears; per-unit deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from campaigns import reminders, selectors, services
from campaigns.models import PartyGroup, TaskAssignment, TaskParty
from organizations.models import Unit
from tests.clock import METROLOGY_DAY, CampaignClock
from tests.factories import CampaignFactory, TaskFactory, UnitFactory

Status = TaskAssignment.Status


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2025, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 6, 30))


@pytest.fixture
def sections_offices_teams(campaign) -> PartyGroup:
    return PartyGroup.objects.create(
        campaign=campaign,
        label="各相关科所队",
        unit_kinds=[Unit.Kind.SECTION, Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT],
    )


@pytest.fixture
def news_task(campaign, sections_offices_teams):
    task = TaskFactory(campaign=campaign, title="加强信息报送", due_date=dt.date(2025, 5, 25))
    TaskParty.objects.create(
        task=task, role=TaskParty.Role.RESPONSIBLE, label="各相关科所队", group=sections_offices_teams
    )
    return task


def assigned_units(task) -> set[str]:
    return set(task.assignments.values_list("unit__name", flat=True))


def test_a_group_means_its_kinds_at_first(news_task, unit_a, jianjianke):
    office = UnitFactory(name="办公室", kind=Unit.Kind.SECTION)
    UnitFactory(name="县自来水公司", kind=Unit.Kind.UTILITY)

    services.task_sync_assignments(task=news_task)

    assert assigned_units(news_task) == {unit_a.name, "价监科", office.name}


def test_the_admin_takes_a_unit_out_of_a_group_and_adds_another(
    news_task, sections_offices_teams, unit_a, jianjianke, bureau_admin, office_a
):
    office = UnitFactory(name="办公室", kind=Unit.Kind.SECTION)
    testing = UnitFactory(name="巫山检测所", kind=Unit.Kind.TESTING)
    services.task_sync_assignments(task=news_task)
    signed = news_task.assignments.get(unit=unit_a)
    services.assignment_acknowledge(actor=office_a, assignment=signed)

    services.group_set_members(
        actor=bureau_admin, group=sections_offices_teams, unit_ids=[jianjianke.pk, testing.pk]
    )

    # 办公室 never signed: its assignment goes; 甲地所 signed for it: its assignment and 签收 stay.
    assert assigned_units(news_task) == {"价监科", "巫山检测所", unit_a.name}
    assert news_task.assignments.get(unit=unit_a).status == Status.ACKNOWLEDGED
    group = PartyGroup.objects.get(pk=sections_offices_teams.pk)
    assert set(group.excluded_units.all()) == {office, unit_a}
    assert set(group.added_units.all()) == {testing}
    assert group.history.count() >= 1


def test_only_a_planner_may_change_a_group(news_task, sections_offices_teams, office_a, leader, unit_a):
    for actor in (office_a, leader):
        with pytest.raises(PermissionDenied):
            services.group_set_members(actor=actor, group=sections_offices_teams, unit_ids=[])
    assert sections_offices_teams.excluded_units.count() == 0


def test_an_office_created_later_gets_its_assignments_at_once(news_task, django_capture_on_commit_callbacks):
    services.task_sync_assignments(task=news_task)

    with django_capture_on_commit_callbacks(execute=True):
        new_office = Unit.objects.create(name="福田市场监管所", kind=Unit.Kind.OFFICE)

    assignment = TaskAssignment.objects.get(unit=new_office)
    assert (assignment.task, assignment.status) == (news_task, Status.PENDING)


def test_a_unit_taken_out_of_a_group_gets_nothing_when_saved_again(
    news_task, sections_offices_teams, bureau_admin, jianjianke, django_capture_on_commit_callbacks
):
    office = UnitFactory(name="办公室", kind=Unit.Kind.SECTION)
    services.group_set_members(actor=bureau_admin, group=sections_offices_teams, unit_ids=[jianjianke.pk])

    with django_capture_on_commit_callbacks(execute=True):
        office.short_name = "办公室"
        office.save()

    assert not TaskAssignment.objects.filter(unit=office).exists()


def test_a_unit_that_changes_kind_joins_the_groups_of_its_new_kind(
    news_task, django_capture_on_commit_callbacks
):
    water = UnitFactory(name="县自来水公司", kind=Unit.Kind.UTILITY)
    services.task_sync_assignments(task=news_task)
    assert not TaskAssignment.objects.filter(unit=water).exists()

    with django_capture_on_commit_callbacks(execute=True):
        water.kind = Unit.Kind.OFFICE
        water.save()

    assert TaskAssignment.objects.filter(unit=water, task=news_task).count() == 1


def test_a_unit_joins_no_task_of_a_campaign_that_has_ended(db, django_capture_on_commit_callbacks):
    ended = CampaignFactory(year=2024, start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 6, 30))
    group = PartyGroup.objects.create(campaign=ended, label="各市场监管所", unit_kinds=[Unit.Kind.OFFICE])
    task = TaskFactory(campaign=ended)
    TaskParty.objects.create(task=task, role=TaskParty.Role.RESPONSIBLE, label=group.label, group=group)

    with django_capture_on_commit_callbacks(execute=True):
        Unit.objects.create(name="福田市场监管所", kind=Unit.Kind.OFFICE)

    assert task.assignments.count() == 0


def test_an_inactive_unit_joins_nothing(news_task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        closed = Unit.objects.create(name="已撤并市场监管所", kind=Unit.Kind.OFFICE, is_active=False)

    assert not TaskAssignment.objects.filter(unit=closed).exists()


# --- per-unit deadlines ------------------------------------------------------------------------------


def test_a_units_own_deadline_overrides_the_tasks_everywhere_lateness_is_judged(
    news_task, unit_a, unit_b, office_a
):
    services.task_sync_assignments(task=news_task)
    TaskAssignment.objects.filter(unit=unit_a).update(due_date=METROLOGY_DAY - dt.timedelta(days=1))
    a = TaskAssignment.objects.select_related("task").get(unit=unit_a)
    b = TaskAssignment.objects.select_related("task").get(unit=unit_b)

    assert (a.due, b.due) == (dt.date(2025, 5, 19), dt.date(2025, 5, 25))
    assert a.is_overdue(METROLOGY_DAY)
    assert not b.is_overdue(METROLOGY_DAY)
    assert list(TaskAssignment.objects.overdue(METROLOGY_DAY)) == [a]
    summary = selectors.assignment_summary(
        selectors.assignment_list_for_user(user=office_a, today=METROLOGY_DAY), today=METROLOGY_DAY
    )
    assert (summary["overdue"], summary["due_soon"]) == (1, 0)
    digests, _escalate = reminders.collect(METROLOGY_DAY)
    assert digests[unit_a.pk].overdue == ["加强信息报送（2025-05-19，逾期 1 天）"]
    assert digests[unit_b.pk].overdue == []
    rows = {
        r["unit__name"]: r
        for r in selectors.timeliness_by_unit(campaign=news_task.campaign, today=METROLOGY_DAY)
    }
    assert (rows[unit_a.name]["overdue"], rows[unit_b.name]["overdue"]) == (1, 0)
