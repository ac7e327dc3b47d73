"""Fixtures of the API tests; the actors (office_a, office_b, leader, bureau_admin) come from
tests/conftest.py, the inspection fixtures from tests/inspections/conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.celery_fixtures import eager_tasks
from tests.inspections.conftest import campaign, gas_station, inspection_a, inspection_b, market, stall

__all__ = ["campaign", "eager_tasks", "gas_station", "inspection_a", "inspection_b", "market", "stall"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root
