"""Fixtures of the 舆情 tests: one incident handled by each office's unit (office_a, office_b).

The actors come from tests/conftest.py; incidents land in the 2025 campaign (25 April – 30 June 2025).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.models import Campaign
from opinion.models import OpinionIncident
from organizations.models import User
from tests.microstations.factories import campaign_2025
from tests.opinion.factories import OpinionIncidentFactory


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
def incident_a(campaign: Campaign, office_a: User) -> OpinionIncident:
    return OpinionIncidentFactory(
        handling_unit=office_a.unit, created_by=office_a, title="甲地网传电子秤短斤少两"
    )


@pytest.fixture
def incident_b(campaign: Campaign, office_b: User) -> OpinionIncident:
    return OpinionIncidentFactory(handling_unit=office_b.unit, created_by=office_b, title="乙地加油机跳枪")
