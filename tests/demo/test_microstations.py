"""`seed_demo` for workstream 1 (demo/microstations.py, demo/volunteers.py): 9 stations at real kinds
of host, volunteers, activities with photos."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from evidence.models import Photo
from microstations.models import MicroStation, StationActivity
from records.models import ReviewStatus
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


def test_seed_demo_adds_nine_stations_seven_of_them_opened(seed):
    seed()

    stations = MicroStation.objects.all()
    assert stations.count() == 9
    opened = stations.filter(stage=MicroStation.Stage.OPENED)
    assert opened.count() == 7
    assert not opened.filter(opened_on__isnull=True).exists()
    assert opened.exclude(plaque_no="").count() == 7
    kinds = set(stations.values_list("station_type", flat=True))
    assert {"water_hall", "power_hall", "gas_hall", "market", "gas_station", "school", "community"} <= kinds
    assert all(
        station.supervising_unit.kind == "office" for station in stations.select_related("supervising_unit")
    )


def test_seed_demo_adds_volunteers_including_two_juniors_with_guardian_consent(seed):
    seed()

    assert Volunteer.objects.count() >= 9
    juniors = Volunteer.objects.filter(kind=Volunteer.Kind.JUNIOR)
    assert juniors.count() == 2
    for junior in juniors:
        assert junior.guardian_name
        assert junior.guardian_phone
        assert junior.guardian_consent is True
    adults = Volunteer.objects.filter(kind=Volunteer.Kind.PUBLICIST)
    assert not adults.exclude(guardian_name="").exists()


def test_seed_demo_adds_activities_with_photos_in_every_review_state(seed):
    seed()

    activities = StationActivity.objects.select_related("station")
    assert activities.exists()
    assert all(a.station.stage == MicroStation.Stage.OPENED for a in activities)
    assert all(a.unit_id == a.station.supervising_unit_id for a in activities)
    with_photos = {p.object_id for p in Photo.objects.filter(content_type__model="stationactivity")}
    assert len(with_photos) >= 7
    for photo in Photo.objects.filter(object_id__in=with_photos)[:3]:
        assert photo.sha256
        assert photo.taken_at is not None
        assert photo.has_location
    statuses = set(activities.values_list("review_status", flat=True))
    assert {ReviewStatus.APPROVED, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED} <= statuses


def test_a_second_run_of_seed_demo_adds_nothing(seed):
    seed()
    first = snapshot()

    output = seed()

    assert snapshot() == first
    assert "0 new station activities, 0 new volunteers" in output
