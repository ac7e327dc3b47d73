"""Report tests: tasks run eagerly (tests/celery_fixtures.py) and files land in a throw-away MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from campaigns.models import Campaign
from tests.celery_fixtures import eager_tasks
from tests.factories import CampaignFactory

__all__ = ["eager_tasks"]


@pytest.fixture(autouse=True)
def _eager(eager_tasks: None) -> None:
    pass


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def campaign(db: None) -> Campaign:
    return CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
