"""`manage.py seed_demo`: deterministic demo units, accounts and progress on top of the 2025 campaign.

What one default run leaves behind, and what a second run on top of it changes (nothing), is read
from one shared seeding in test_seeded_demo.py; here are the tests that need an empty database: other
seeds, other row ids, and the refusals (more of the --records volume is in test_bulk.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from campaigns.models import Campaign, Task, TaskAssignment
from organizations.models import Unit, User
from tests.factories import CampaignFactory, TaskAssignmentFactory, UnitFactory

DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    return settings


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def statuses(year: int | None = None) -> dict[tuple[str, str, str], str]:
    """Each assignment's status, keyed by what identifies it in any database: (section, task, unit)."""
    assignments = TaskAssignment.objects.all()
    if year is not None:
        assignments = assignments.filter(task__campaign__year=year)
    rows = assignments.values_list("task__notice_ref", "task__title", "unit__name", "status")
    return {(ref, title, unit): status for ref, title, unit, status in rows}


def seed_demo_and_roll_back(*args: str) -> tuple[dict[tuple[str, str, str], str], set[int]]:
    """The statuses (and task ids) a load gives, as if in another database: all it wrote is rolled back."""
    with transaction.atomic():
        seed_demo(*args)
        loaded = statuses(), set(Task.objects.values_list("pk", flat=True))
        transaction.set_rollback(True)
    assert not Task.objects.exists()
    return loaded


def test_a_fresh_load_gives_the_same_statuses_whatever_the_row_ids(demo_mode, db):
    first, first_task_ids = seed_demo_and_roll_back()
    # Another database's past: other rows have taken ids the first load used.
    other = UnitFactory(kind=Unit.Kind.OTHER)
    TaskAssignmentFactory.create_batch(7, unit=other, task__campaign=CampaignFactory(year=2024))

    seed_demo()

    assert statuses(year=2025) == first
    assert set(Task.objects.filter(campaign__year=2025).values_list("pk", flat=True)) != first_task_ids


def test_another_seed_gives_other_statuses(demo_mode, db):
    first, _task_ids = seed_demo_and_roll_back("--seed", "1")

    seed_demo("--seed", "2")

    assert statuses().keys() == first.keys()
    assert statuses() != first


def test_negative_records_are_refused(demo_mode, db):
    with pytest.raises(CommandError, match="--records"):
        seed_demo("--records", "-1")
    assert not Campaign.objects.exists()


def test_seed_demo_refuses_with_debug_off(settings, db):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--allow-production"):
        seed_demo()

    assert not User.objects.filter(username__startswith="demo_").exists()
    assert not Campaign.objects.exists()


def test_seed_demo_with_debug_off_runs_when_insisted_on(settings, db):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = DEMO_PASSWORD

    seed_demo("--allow-production")

    assert User.objects.get(username="demo_admin").check_password(DEMO_PASSWORD)
