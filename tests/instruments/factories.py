"""Factories for the instrument register."""

from __future__ import annotations

import datetime as dt

import factory

from inspections.verification import Result
from instruments.models import RegisteredInstrument
from tests.factories import UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory, instrument_type


class RegisteredInstrumentFactory(factory.django.DjangoModelFactory):
    """A confirmed 电子计价秤 in use, verified on 20 April 2025 and valid until 19 April 2026."""

    class Meta:
        model = RegisteredInstrument

    owner = factory.SubFactory(EnterpriseFactory)
    unit = factory.SubFactory(UnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.unit))
    name = "电子计价秤"
    category = "衡器"
    species = "电子秤"
    model_spec = "ACS-15"
    measuring_range = "(0~15)kg"
    accuracy_class = "Ⅲ级"
    serial_no = factory.Sequence(lambda n: f"RS{n:06d}")
    manufacturer = "上海友声衡器有限公司"
    origin = "上海"
    location = "神女市场 12 号摊位"
    instrument_type = factory.LazyFunction(lambda: instrument_type("price_scale"))
    result = Result.PASSED
    verified_on = dt.date(2025, 4, 20)
    valid_until = dt.date(2026, 4, 19)
