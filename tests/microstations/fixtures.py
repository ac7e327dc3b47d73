"""Fixtures shared by the workstream-1 test packages (tests/microstations, tests/volunteers).

Each package's conftest imports them by name; the actors (office_a, office_b, leader, bureau_admin)
come from tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.models import Campaign
from microstations.models import MicroStation, StationActivity
from organizations.models import Unit, User
from tests.microstations.factories import (
    MicroStationFactory,
    StationActivityFactory,
    campaign_2025,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Photos go to a fresh directory per test, so that "no file was written" can be checked."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def campaign(db) -> Campaign:
    return campaign_2025()


@pytest.fixture
def station_a(campaign: Campaign, unit_a: Unit) -> MicroStation:
    return MicroStationFactory(
        name="民生计量科普宣传服务微站（甲地供电营业厅）", supervising_unit=unit_a, opened=True
    )


@pytest.fixture
def station_b(campaign: Campaign, unit_b: Unit) -> MicroStation:
    return MicroStationFactory(
        name="民生计量科普宣传服务微站（乙地集贸市场）",
        supervising_unit=unit_b,
        station_type=MicroStation.StationType.MARKET,
        opened=True,
    )


@pytest.fixture
def activity_a(station_a: MicroStation, office_a: User) -> StationActivity:
    return StationActivityFactory(station=station_a, created_by=office_a, title="甲地计量科普进社区")


@pytest.fixture
def activity_b(station_b: MicroStation, office_b: User) -> StationActivity:
    return StationActivityFactory(station=station_b, created_by=office_b, title="乙地公平秤体验")
