"""Fixtures of the publicity tests: one record of each kind in each office's unit (office_a, office_b).

The actors come from tests/conftest.py; records land in the 2025 campaign (25 April – 30 June 2025).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.models import Campaign
from organizations.models import User
from publicity.models import NewsItem, PublicityActivity
from tests.microstations.factories import campaign_2025
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory


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
def activity_a(campaign: Campaign, office_a: User) -> PublicityActivity:
    return PublicityActivityFactory(unit=office_a.unit, created_by=office_a, title="甲地计量进社区")


@pytest.fixture
def activity_b(campaign: Campaign, office_b: User) -> PublicityActivity:
    return PublicityActivityFactory(unit=office_b.unit, created_by=office_b, title="乙地加油站宣传")


@pytest.fixture
def news_a(campaign: Campaign, office_a: User) -> NewsItem:
    return NewsItemFactory(unit=office_a.unit, created_by=office_a, title="甲地所免费校准电子秤")


@pytest.fixture
def news_b(campaign: Campaign, office_b: User) -> NewsItem:
    return NewsItemFactory(unit=office_b.unit, created_by=office_b, title="乙地所宣传“手机变砝码”")
