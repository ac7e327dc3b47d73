"""The inspection demo: follow-up tasks, determinism, --scale. Every domain and the showcase facts are
read from one shared seeding in test_seeded_demo.py."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import TaskAssignment
from inspections.models import InspectionRecord


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-for-tests"


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """What identifies the demo in any database: by names and values, never by row ids."""
    return sorted(
        InspectionRecord.objects.values_list(
            "domain",
            "inspected_party__name",
            "unit__name",
            "date",
            "instruments_checked",
            "problems_found",
            "review_status",
            "follow_up_status",
        )
    )


def follow_ups() -> dict[str, str]:
    return dict(
        TaskAssignment.objects.filter(task__title__startswith="整改复查").values_list("task__title", "status")
    )


def test_a_second_run_adds_nothing_and_leaves_the_follow_up_tasks_as_they_were(demo_mode, db):
    seed_demo()
    first, tasks = snapshot(), follow_ups()

    assert "0 new inspections" in seed_demo()
    assert snapshot() == first
    assert follow_ups() == tasks
    assert sorted(tasks.values()) == ["acknowledged", "done", "done"]


def test_scale_multiplies_the_bulk_inspections(demo_mode, db):
    seed_demo("--scale", "1")
    at_one = InspectionRecord.objects.count()

    seed_demo("--scale", "3")

    assert InspectionRecord.objects.count() == at_one + 60
