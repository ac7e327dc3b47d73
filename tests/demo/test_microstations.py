"""`seed_demo` for workstream 1 (demo/microstations.py, demo/volunteers.py): 9 stations at real kinds
of host, volunteers, activities with photos. What one run leaves behind is read from one shared
seeding in test_seeded_demo.py; here, a second run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from evidence.models import Photo
from microstations.models import MicroStation, StationActivity
from volunteers.models import Volunteer


@pytest.fixture
def seed(settings, db):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-for-tests"

    def _seed() -> str:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    return _seed


def snapshot() -> dict[str, int]:
    return {
        "stations": MicroStation.objects.count(),
        "activities": StationActivity.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "photos": Photo.objects.count(),
    }


def test_a_second_run_of_seed_demo_adds_nothing(seed):
    seed()
    first = snapshot()

    output = seed()

    assert snapshot() == first
    assert "0 new station activities, 0 new volunteers" in output
