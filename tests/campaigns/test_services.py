"""campaigns.services: the assignment state machine and the making of assignments from parties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns import services
from campaigns.models import TaskAssignment, TaskParty
from organizations.models import Unit
from tests.factories import TaskFactory, TaskPartyFactory, UnitFactory

Status = TaskAssignment.Status


def _transition(actor, assignment, to_status, note=""):
    return services.assignment_transition(actor=actor, assignment=assignment, to_status=to_status, note=note)


def test_office_acknowledges_its_assignment_and_is_recorded_as_signer(office_a, assignment_a):
    before = timezone.now()

    _transition(office_a, assignment_a, Status.ACKNOWLEDGED)

    assignment_a.refresh_from_db()
    assert assignment_a.status == Status.ACKNOWLEDGED
    assert assignment_a.acknowledged_by == office_a
    assert before <= assignment_a.acknowledged_at <= timezone.now()
    assert assignment_a.started_at is None
    assert assignment_a.completed_at is None


def test_assignment_moves_through_every_status_to_done(office_a, assignment_a):
    _transition(office_a, assignment_a, Status.ACKNOWLEDGED)
    _transition(office_a, assignment_a, Status.IN_PROGRESS)
    _transition(office_a, assignment_a, Status.DONE, note="已在3个社区张贴海报。")

    assignment_a.refresh_from_db()
    assert assignment_a.status == Status.DONE
    assert assignment_a.started_at is not None
    assert assignment_a.completed_at >= assignment_a.started_at >= assignment_a.acknowledged_at
    assert assignment_a.note == "已在3个社区张贴海报。"


def test_acknowledged_assignment_may_be_finished_without_a_separate_start(office_a, assignment_a):
    _transition(office_a, assignment_a, Status.ACKNOWLEDGED)
    _transition(office_a, assignment_a, Status.DONE)

    assignment_a.refresh_from_db()
    assert assignment_a.status == Status.DONE
    assert assignment_a.started_at is None


@pytest.mark.parametrize(
    ("start", "to_status", "message"),
    [
        (Status.PENDING, Status.PENDING, "任务当前为“待签收”，不能改为“待签收”。"),
        (Status.PENDING, Status.IN_PROGRESS, "任务当前为“待签收”，不能改为“进行中”。"),
        (Status.PENDING, Status.DONE, "任务当前为“待签收”，不能改为“已完成”。"),
        (Status.ACKNOWLEDGED, Status.ACKNOWLEDGED, "任务当前为“已签收”，不能改为“已签收”。"),
        (Status.ACKNOWLEDGED, Status.PENDING, "任务当前为“已签收”，不能改为“待签收”。"),
        (Status.IN_PROGRESS, Status.ACKNOWLEDGED, "任务当前为“进行中”，不能改为“已签收”。"),
        (Status.DONE, Status.IN_PROGRESS, "任务当前为“已完成”，不能改为“进行中”。"),
        (Status.DONE, Status.DONE, "任务当前为“已完成”，不能改为“已完成”。"),
    ],
)
def test_disallowed_transition_is_refused_with_a_clear_message_and_saves_nothing(
    office_a, assignment_a, start, to_status, message
):
    TaskAssignment.objects.filter(pk=assignment_a.pk).update(status=start)
    assignment_a.refresh_from_db()
    history_before = assignment_a.history.count()

    with pytest.raises(ValidationError) as excinfo:
        _transition(office_a, assignment_a, to_status, note="不应保存")

    assert excinfo.value.messages == [message]
    saved = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert saved.status == start
    assert saved.note == ""
    assert saved.acknowledged_by is None
    assert saved.updated_at == assignment_a.updated_at
    assert assignment_a.history.count() == history_before


def test_unknown_status_is_refused(office_a, assignment_a):
    with pytest.raises((ValueError, ValidationError)):
        _transition(office_a, assignment_a, "bogus")
    assert TaskAssignment.objects.get(pk=assignment_a.pk).status == Status.PENDING


def test_a_stale_instance_is_checked_against_the_saved_status(office_a, assignment_a):
    stale = TaskAssignment.objects.get(pk=assignment_a.pk)
    _transition(office_a, assignment_a, Status.ACKNOWLEDGED)

    with pytest.raises(ValidationError, match="已签收"):
        _transition(office_a, stale, Status.ACKNOWLEDGED)


def test_leader_may_not_move_an_assignment(leader, assignment_a):
    with pytest.raises(PermissionDenied, match="您没有办理任务的权限"):
        _transition(leader, assignment_a, Status.ACKNOWLEDGED)

    saved = TaskAssignment.objects.get(pk=assignment_a.pk)
    assert saved.status == Status.PENDING
    assert saved.acknowledged_by is None


def test_bureau_admin_may_move_any_assignment(bureau_admin, assignment_b):
    services.assignment_acknowledge(actor=bureau_admin, assignment=assignment_b)
    assert TaskAssignment.objects.get(pk=assignment_b.pk).acknowledged_by == bureau_admin


def test_history_records_the_actor_and_each_status(office_a, assignment_a):
    _transition(office_a, assignment_a, Status.ACKNOWLEDGED)
    _transition(office_a, assignment_a, Status.IN_PROGRESS)

    rows = list(assignment_a.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.status, r.history_user) for r in rows] == [
        ("+", Status.PENDING, None),
        ("~", Status.ACKNOWLEDGED, office_a),
        ("~", Status.IN_PROGRESS, office_a),
    ]


# --- task_sync_assignments ------------------------------------------------------------------------


def test_sync_gives_each_named_and_kind_matched_unit_one_assignment(unit_a, unit_b, jianjianke):
    enforcement = UnitFactory(name="执法一大队", kind=Unit.Kind.ENFORCEMENT)
    task = TaskFactory()
    TaskPartyFactory(task=task, unit=jianjianke, label="价监科")
    TaskPartyFactory(task=task, unit=None, unit_kinds=[Unit.Kind.OFFICE], label="各市场监管所")

    created = services.task_sync_assignments(task=task)

    assert created == 3
    assert set(task.assignments.values_list("unit__name", flat=True)) == {
        "价监科",
        unit_a.name,
        unit_b.name,
    }
    assert not task.assignments.filter(unit=enforcement).exists()
    assert set(task.assignments.values_list("status", flat=True)) == {Status.PENDING}


def test_sync_gives_cooperating_units_no_assignment(unit_a):
    testing = UnitFactory(name="巫山检测所", kind=Unit.Kind.TESTING)
    task = TaskFactory()
    TaskPartyFactory(task=task, unit=unit_a)
    TaskPartyFactory(task=task, unit=testing, role=TaskParty.Role.COOPERATING)

    assert services.task_sync_assignments(task=task) == 1
    assert list(task.assignments.values_list("unit", flat=True)) == [unit_a.pk]


def test_sync_creates_only_the_missing_assignments_and_keeps_existing_ones(office_a, unit_a, unit_b):
    task = TaskFactory()
    TaskPartyFactory(task=task, unit=None, unit_kinds=[Unit.Kind.OFFICE])
    services.task_sync_assignments(task=task)
    existing = task.assignments.get(unit=unit_a)
    _transition(office_a, existing, Status.ACKNOWLEDGED)
    unit_c = UnitFactory(kind=Unit.Kind.OFFICE)

    assert services.task_sync_assignments(task=task) == 1
    assert services.task_sync_assignments(task=task) == 0

    assert set(task.assignments.values_list("unit", flat=True)) == {unit_a.pk, unit_b.pk, unit_c.pk}
    kept = task.assignments.get(unit=unit_a)
    assert (kept.pk, kept.status, kept.acknowledged_by) == (existing.pk, Status.ACKNOWLEDGED, office_a)


def test_sync_skips_inactive_units_but_keeps_their_existing_assignments(unit_a, unit_b):
    task = TaskFactory()
    TaskPartyFactory(task=task, unit=None, unit_kinds=[Unit.Kind.OFFICE])
    closed = UnitFactory(kind=Unit.Kind.OFFICE, is_active=False)

    assert services.task_sync_assignments(task=task) == 2
    assert not task.assignments.filter(unit=closed).exists()

    Unit.objects.filter(pk=unit_b.pk).update(is_active=False)
    assert services.task_sync_assignments(task=task) == 0
    assert task.assignments.filter(unit=unit_b).exists()


def test_sync_of_a_task_without_responsible_parties_creates_nothing(unit_a):
    task = TaskFactory()
    TaskPartyFactory(task=task, unit=unit_a, role=TaskParty.Role.COOPERATING)
    assert services.task_sync_assignments(task=task) == 0
    assert task.assignments.count() == 0


def test_a_unit_named_twice_gets_one_assignment(unit_a):
    task = TaskFactory()
    TaskPartyFactory(task=task, unit=unit_a)
    TaskPartyFactory(task=task, unit=None, unit_kinds=[Unit.Kind.OFFICE])
    assert services.task_sync_assignments(task=task) == 1


# --- TaskParty.clean -------------------------------------------------------------------------------


def test_party_naming_one_unit_is_valid(unit_a):
    TaskPartyFactory.build(task=TaskFactory(), unit=unit_a, unit_kinds=[]).full_clean()


def test_party_naming_a_kind_of_units_is_valid(db):
    TaskPartyFactory.build(task=TaskFactory(), unit=None, unit_kinds=[Unit.Kind.OFFICE]).full_clean()


@pytest.mark.parametrize("kinds", [[], [Unit.Kind.OFFICE]])
def test_party_must_name_exactly_one_of_a_unit_or_kinds(unit_a, kinds):
    both_or_neither = TaskPartyFactory.build(
        task=TaskFactory(), unit=unit_a if kinds else None, unit_kinds=kinds
    )
    with pytest.raises(ValidationError) as excinfo:
        both_or_neither.full_clean()
    assert excinfo.value.messages == ["请指定一个单位、一类单位或一个单位组（三者选一）。"]


def test_party_with_an_unknown_unit_kind_is_refused(db):
    party = TaskPartyFactory.build(task=TaskFactory(), unit=None, unit_kinds=["office", "bakery"])
    with pytest.raises(ValidationError) as excinfo:
        party.full_clean()
    assert excinfo.value.message_dict == {"unit_kinds": ["未知的单位类型：bakery"]}


# --- derived facts ---------------------------------------------------------------------------------


def test_overdue_is_derived_from_the_due_date_and_ends_when_done(assignment_a):
    today = dt.date(2025, 6, 1)
    assignment_a.task.due_date = dt.date(2025, 5, 31)
    assert assignment_a.is_overdue(today)
    assert assignment_a.days_left(today) == -1
    assert not assignment_a.is_overdue(dt.date(2025, 5, 31))
    assignment_a.status = Status.DONE
    assert not assignment_a.is_overdue(today)
