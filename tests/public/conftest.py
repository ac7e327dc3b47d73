from __future__ import annotations

import pytest
from django.core.cache import cache

from microstations.models import MicroStation
from organizations.models import User
from organizations.roles import Role
from tests.factories import UserFactory
from tests.microstations.factories import MicroStationFactory
from tests.opinion.factories import level


@pytest.fixture(autouse=True)
def _empty_cache():
    # The rate limit lives in the cache: each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def station(unit_a) -> MicroStation:
    """An open station of 甲地所 with a plaque number and the public page's extra fields."""
    level("general")
    return MicroStationFactory(
        opened=True,
        supervising_unit=unit_a,
        name="民生计量科普宣传服务微站（高唐营业厅）",
        plaque_no="WS-JL-001",
        host_name="国网巫山县供电公司高唐营业厅",
        station_type=MicroStation.StationType.POWER_HALL,
        opening_hours="周一至周五 9:00-17:00",
        fair_scale_location="平湖市场东门服务台旁",
        contact_name="李经理",
        contact_phone="023-57681200",
        note="内部备注：承建协议待续签",
    )


@pytest.fixture
def clerk_a(unit_a) -> User:
    return UserFactory(username="clerk_a", unit=unit_a, roles=[Role.OFFICE])
