"""A 协办单位 (a power company hosting a station of 甲地所) and its account: fixtures shared by the
cooperator scope tests and the review routing tests; import them by name."""

from __future__ import annotations

import pytest

from microstations.models import MicroStation
from organizations.models import Unit, User
from organizations.roles import Role
from tests.factories import UnitFactory, UserFactory
from tests.microstations.factories import MicroStationFactory, campaign_2025


@pytest.fixture
def power_company(db) -> Unit:
    return UnitFactory(name="国网巫山县供电公司", short_name="供电公司", kind=Unit.Kind.UTILITY)


@pytest.fixture
def cooperator(power_company) -> User:
    return UserFactory(username="power_co", unit=power_company, roles=[Role.COOPERATOR])


@pytest.fixture
def hosted(unit_a, power_company) -> MicroStation:
    campaign_2025()
    return MicroStationFactory(
        name="民生计量科普宣传服务微站（高唐供电营业厅）",
        supervising_unit=unit_a,
        host_unit=power_company,
        opened=True,
    )
