"""organizations.access: the one helper that decides which rows a user may read."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from campaigns.models import TaskAssignment
from organizations.access import get_for_user, primary_role, roles_of, scope_to_user, sees_all_units
from organizations.models import Unit
from organizations.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def assignments(assignment_a, assignment_b) -> list[TaskAssignment]:
    return [assignment_a, assignment_b]


def _scoped_assignments(user) -> set[int]:
    return set(scope_to_user(TaskAssignment.objects.all(), user).values_list("pk", flat=True))


def test_office_sees_only_its_own_units_assignments(office_a, assignment_a, assignment_b):
    assert _scoped_assignments(office_a) == {assignment_a.pk}


def test_other_office_sees_only_its_own_units_assignments(office_b, assignment_a, assignment_b):
    assert _scoped_assignments(office_b) == {assignment_b.pk}


def test_leader_without_a_unit_sees_every_units_assignments(leader, assignment_a, assignment_b):
    assert leader.unit is None
    assert _scoped_assignments(leader) == {assignment_a.pk, assignment_b.pk}


def test_bureau_admin_sees_every_units_assignments(bureau_admin, assignment_a, assignment_b):
    assert not bureau_admin.is_superuser
    assert _scoped_assignments(bureau_admin) == {assignment_a.pk, assignment_b.pk}


def test_anonymous_user_sees_nothing(assignments):
    assert _scoped_assignments(AnonymousUser()) == set()


def test_office_user_without_a_unit_sees_nothing(assignments):
    homeless = UserFactory(unit=None, roles=[Role.OFFICE])
    assert _scoped_assignments(homeless) == set()


def test_inactive_user_sees_nothing_even_with_a_role_that_sees_all(assignments, unit_a):
    retired_leader = UserFactory(is_active=False, roles=[Role.LEADER])
    retired_office = UserFactory(is_active=False, unit=unit_a, roles=[Role.OFFICE])
    assert _scoped_assignments(retired_leader) == set()
    assert _scoped_assignments(retired_office) == set()
    assert not sees_all_units(retired_leader)


def test_user_with_a_unit_but_no_role_sees_only_its_unit(unit_a, assignment_a, assignment_b):
    assert _scoped_assignments(UserFactory(unit=unit_a)) == {assignment_a.pk}


def test_units_are_scoped_by_primary_key(office_a, leader, unit_a, unit_b):
    units = Unit.objects.all()
    assert list(scope_to_user(units, office_a, unit_field="pk")) == [unit_a]
    assert set(scope_to_user(units, leader, unit_field="pk")) == {unit_a, unit_b}


def test_only_roles_with_the_view_all_permission_see_all_units(office_a, leader, bureau_admin):
    assert [sees_all_units(u) for u in (office_a, leader, bureau_admin, AnonymousUser())] == [
        False,
        True,
        True,
        False,
    ]


def test_get_for_user_returns_a_row_in_scope(office_a, leader, assignment_a):
    assert get_for_user(TaskAssignment.objects.all(), office_a, pk=assignment_a.pk) == assignment_a
    assert get_for_user(TaskAssignment.objects.all(), leader, pk=assignment_a.pk) == assignment_a


def test_get_for_user_answers_404_for_another_units_row(office_a, assignment_b):
    with pytest.raises(Http404):
        get_for_user(TaskAssignment.objects.all(), office_a, pk=assignment_b.pk)


def test_get_for_user_answers_404_for_anonymous_and_inactive_users(assignment_a, unit_a):
    inactive = UserFactory(is_active=False, unit=unit_a, roles=[Role.OFFICE])
    for user in (AnonymousUser(), inactive):
        with pytest.raises(Http404):
            get_for_user(TaskAssignment.objects.all(), user, pk=assignment_a.pk)


@pytest.mark.parametrize("pk", [10**9, "abc", "", None, "1 OR 1=1", [1], {"pk": 1}])
def test_get_for_user_answers_404_for_missing_or_garbage_keys(leader, assignment_a, pk):
    with pytest.raises(Http404):
        get_for_user(TaskAssignment.objects.all(), leader, pk=pk)


def test_primary_role_picks_the_home_deciding_role(office_a, leader, bureau_admin, unit_a):
    superuser = UserFactory(is_superuser=True)
    assert primary_role(office_a) == Role.OFFICE
    assert primary_role(leader) == Role.LEADER
    assert primary_role(bureau_admin) == Role.BUREAU_ADMIN
    assert primary_role(superuser) == Role.BUREAU_ADMIN
    assert primary_role(UserFactory(unit=unit_a)) is None
    assert primary_role(AnonymousUser()) is None


def test_a_leader_who_is_also_office_staff_counts_as_leader(unit_a):
    both = UserFactory(unit=unit_a, roles=[Role.OFFICE, Role.LEADER])
    assert roles_of(both) == {Role.OFFICE.value, Role.LEADER.value}
    assert primary_role(both) == Role.LEADER
