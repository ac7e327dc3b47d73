"""Fixtures of the inspection tests; the actors (office_a, office_b, leader, bureau_admin) come from
tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.models import Campaign, Workstream
from enterprises.models import Enterprise
from inspections.models import InspectionRecord
from organizations.models import Unit, User
from tests.factories import WorkstreamFactory
from tests.inspections.factories import EnterpriseFactory, InspectionFactory
from tests.microstations.factories import campaign_2025


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def campaign(db) -> Campaign:
    return campaign_2025()


@pytest.fixture
def workstream(campaign: Campaign) -> Workstream:
    """二（三） of the notice, where follow-up tasks go."""
    return WorkstreamFactory(
        campaign=campaign, number=3, notice_ref="二（三）", title="开展民生领域计量专项检查行动"
    )


@pytest.fixture
def gas_station(db) -> Enterprise:
    return EnterpriseFactory(
        name="中国石化巫山高唐加油站", industry=Enterprise.Industry.FUEL, size=Enterprise.Size.SMALL
    )


@pytest.fixture
def market(db) -> Enterprise:
    return EnterpriseFactory(name="巫山县神女市场管理有限公司", kind=Enterprise.Kind.MARKET_OPERATOR)


@pytest.fixture
def stall(db) -> Enterprise:
    return EnterpriseFactory(name="神女市场12号摊位（王记水果）", kind=Enterprise.Kind.STALL, credit_code="")


@pytest.fixture
def inspection_a(campaign: Campaign, unit_a: Unit, office_a: User) -> InspectionRecord:
    return InspectionFactory(unit=unit_a, created_by=office_a, inspected_party__name="甲地永辉超市")


@pytest.fixture
def inspection_b(campaign: Campaign, unit_b: Unit, office_b: User) -> InspectionRecord:
    return InspectionFactory(unit=unit_b, created_by=office_b, inspected_party__name="乙地农贸市场摊位")
