"""Factories for workstream 3 (inspections). Records land in the 2025 campaign with the demo dates
(25 April – 30 June 2025) on 20 May 2025, inside the campaign and in the past whenever the tests run."""

from __future__ import annotations

import datetime as dt

import factory

from enterprises import uscc
from enterprises.models import Enterprise
from inspections.models import Domain, InspectedInstrument, InspectionRecord, InstrumentType
from inspections.verification import Result
from tests.factories import UnitFactory, UserFactory
from tests.microstations.factories import campaign_2025

INSPECTION_DAY = dt.date(2025, 5, 20)


def instrument_type(code: str) -> InstrumentType:
    """A type the data migration seeded, by its code (e.g. "price_scale", "fuel_nozzle")."""
    return InstrumentType.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A company with a valid credit code for 巫山县; `kind=Enterprise.Kind.STALL, credit_code=""` for a stall."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"巫山县测试{n}号商行")
    credit_code = factory.Sequence(lambda n: uscc.make_code(f"91{uscc.WUSHAN_REGION}MA6J{n:05d}"))
    kind = Enterprise.Kind.COMPANY
    industry = Enterprise.Industry.RETAIL
    size = Enterprise.Size.MICRO
    address = "巫山县高唐街道广东中路"
    township = "高唐街道"
    created_by = factory.SubFactory(UserFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    """A draft inspection of scales with entered counts (nothing found); set `unit` for the inspecting unit."""

    class Meta:
        model = InspectionRecord

    campaign = factory.LazyFunction(campaign_2025)
    unit = factory.SubFactory(UnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(unit=o.unit))
    domain = Domain.SCALES
    inspected_party = factory.SubFactory(EnterpriseFactory)
    date = INSPECTION_DAY
    inspectors = "张三、李四"
    staff_turnout = 2
    instruments_checked = 10
    mandatory_count = 10
    fair_scale_present = True
    instruments_registered = True


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A listed 电子计价秤, verified a month before the inspection and valid for a year."""

    class Meta:
        model = InspectedInstrument

    inspection = factory.SubFactory(InspectionFactory)
    instrument_type = factory.LazyFunction(lambda: instrument_type("price_scale"))
    serial_no = factory.Sequence(lambda n: f"SN{n:06d}")
    certificate_no = factory.Sequence(lambda n: f"JD2025-{n:05d}")
    verified_on = dt.date(2025, 4, 20)
    valid_until = dt.date(2026, 4, 19)
    verifying_body = "巫山检测所"
    result = Result.PASSED
