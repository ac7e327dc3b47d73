"""Fixtures of workstream 4. The actors (office_a, office_b, leader, bureau_admin) come from tests/conftest.py:
visit_a belongs to office_a's unit, visit_b to office_b's; the registry is shared by both."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.models import Campaign
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem
from organizations.models import Unit, User
from tests.enterprises.factories import (
    EnterpriseFactory,
    EnterpriseVisitFactory,
    MetrologyProblemFactory,
    campaign_2025,
)
from tests.factories import UnitFactory


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
def testing_unit(db) -> Unit:
    return UnitFactory(name="巫山检测所", short_name="检测所", kind=Unit.Kind.TESTING)


@pytest.fixture
def enterprise(campaign, office_a: User) -> Enterprise:
    return EnterpriseFactory(name="巫山县三峡红脆李食品有限公司", created_by=office_a)


@pytest.fixture
def visit_a(campaign, enterprise: Enterprise, office_a: User) -> EnterpriseVisit:
    return EnterpriseVisitFactory(
        enterprise=enterprise, unit=office_a.unit, created_by=office_a, staff="甲所张伟"
    )


@pytest.fixture
def visit_b(campaign, office_b: User) -> EnterpriseVisit:
    return EnterpriseVisitFactory(
        enterprise=EnterpriseFactory(name="巫山县鑫源机械制造有限公司"),
        unit=office_b.unit,
        created_by=office_b,
        staff="乙所李娜",
    )


@pytest.fixture
def problem_a(visit_a: EnterpriseVisit) -> MetrologyProblem:
    return MetrologyProblemFactory(visit=visit_a, description="3 台电子计价秤超期未检")


@pytest.fixture
def problem_b(visit_b: EnterpriseVisit) -> MetrologyProblem:
    return MetrologyProblemFactory(visit=visit_b, description="压力表无法自行校准")
