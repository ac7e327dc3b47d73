"""Fixtures of the register tests; the actors (office_a, office_b, leader, bureau_admin) come from
tests/conftest.py."""

from __future__ import annotations

import pytest

from campaigns.models import Campaign
from enterprises.models import Enterprise
from instruments.models import MarketLedger, RegisteredInstrument
from organizations.models import Unit, User
from organizations.roles import Role
from tests.factories import UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import campaign_2025


@pytest.fixture
def campaign(db) -> Campaign:
    return campaign_2025()


@pytest.fixture
def owner(db) -> Enterprise:
    return EnterpriseFactory(name="巫山县王记水果店")


@pytest.fixture
def market(db) -> Enterprise:
    return EnterpriseFactory(name="巫山县神女市场管理有限公司", kind=Enterprise.Kind.MARKET_OPERATOR)


@pytest.fixture
def instrument_a(unit_a: Unit, office_a: User, owner: Enterprise) -> RegisteredInstrument:
    return RegisteredInstrumentFactory(unit=unit_a, created_by=office_a, owner=owner)


@pytest.fixture
def instrument_b(unit_b: Unit, office_b: User) -> RegisteredInstrument:
    return RegisteredInstrumentFactory(unit=unit_b, created_by=office_b, owner__name="乙地超市")


@pytest.fixture
def market_unit(db) -> Unit:
    return UnitFactory(name="神女市场", short_name="神女市场", kind=Unit.Kind.MARKET)


@pytest.fixture
def market_operator(market_unit: Unit, market: Enterprise, unit_a: Unit) -> User:
    """A 协办单位 account of 神女市场, whose ledger 甲地所 supervises."""
    MarketLedger.objects.create(market_unit=market_unit, market=market, office=unit_a)
    return UserFactory(username="market_op", name="神女市场管理员", unit=market_unit, roles=[Role.COOPERATOR])
