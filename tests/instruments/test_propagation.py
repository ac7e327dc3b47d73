"""An approved inspection of a registered instrument updates the register; nothing else does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inspections import services as inspection_services
from inspections.models import CheckItem, Domain, InstrumentCheck
from inspections.verification import Result, VerificationStatus
from records import services as record_services
from tests.inspections.factories import instrument_type
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 5, 20)


def scales_inspection(office, campaign, party, rows):
    return inspection_services.inspection_save(
        actor=office,
        campaign=campaign,
        data={
            "domain": Domain.SCALES,
            "inspected_party": party,
            "date": DAY,
            "inspectors": "张三、李四",
            "fair_scale_present": True,
            "instruments_registered": True,
        },
        instruments=rows,
        submit=True,
    )


def row(line, **overrides):
    return {
        "registered": line,
        "instrument_type": instrument_type("price_scale"),
        "serial_no": line.serial_no,
        "certificate_no": "JD2024-001",
        "verified_on": dt.date(2024, 3, 1),
        "valid_until": dt.date(2025, 2, 28),
        "result": Result.PASSED,
        **overrides,
    }


def test_the_approval_copies_the_facts_and_the_computed_status_to_the_register(
    campaign, campaign_clock, office_a, bureau_admin, instrument_a
):
    record = scales_inspection(office_a, campaign, instrument_a.owner, [row(instrument_a)])
    instrument_a.refresh_from_db()
    assert instrument_a.last_inspection is None  # submitted, not yet approved: nothing moves

    record_services.record_approve(actor=bureau_admin, record=record)
    instrument_a.refresh_from_db()
    assert instrument_a.last_inspection == record
    assert instrument_a.last_inspected_on == DAY
    assert instrument_a.inspection_status == VerificationStatus.OVERDUE
    assert (instrument_a.verified_on, instrument_a.valid_until) == (dt.date(2024, 3, 1), dt.date(2025, 2, 28))
    assert instrument_a.certificate_no == "JD2024-001"
    assert instrument_a.current_status == VerificationStatus.OVERDUE


def test_an_older_inspection_approved_late_does_not_overwrite_a_newer_one(
    campaign, campaign_clock, office_a, bureau_admin, instrument_a
):
    instrument_a.last_inspected_on = dt.date(2025, 5, 21)
    instrument_a.save()
    record = scales_inspection(office_a, campaign, instrument_a.owner, [row(instrument_a)])
    record_services.record_approve(actor=bureau_admin, record=record)
    instrument_a.refresh_from_db()
    assert instrument_a.last_inspection is None
    assert instrument_a.valid_until == dt.date(2026, 4, 19)


def test_a_row_cannot_name_another_units_register_line(campaign, campaign_clock, office_a, instrument_b):
    with pytest.raises(ValidationError) as exc:
        scales_inspection(office_a, campaign, instrument_b.owner, [row(instrument_b)])
    assert "第 1 台器具：所选台账器具不存在或不在本单位的台账中。" in exc.value.messages


def test_check_items_are_recorded_per_instrument_and_must_fit_its_domain(
    campaign, campaign_clock, office_a, instrument_a
):
    seal = CheckItem.objects.get(code="scale_seal")
    lock = CheckItem.objects.get(code="scale_case_lock")
    record = scales_inspection(
        office_a, campaign, instrument_a.owner, [row(instrument_a, checks={seal: True, lock: False})]
    )
    checks = InstrumentCheck.objects.filter(instrument__inspection=record)
    assert {(c.item.code, c.passed) for c in checks} == {("scale_seal", True), ("scale_case_lock", False)}
    chip = CheckItem.objects.get(code="fuel_chip_read")
    with pytest.raises(ValidationError) as exc:
        scales_inspection(office_a, campaign, instrument_a.owner, [row(instrument_a, checks={chip: True})])
    assert any("不适用于该器具" in message for message in exc.value.messages)


def test_the_seeded_check_items_are_the_current_rules():
    assert set(CheckItem.objects.filter(domain=Domain.SCALES).values_list("name", flat=True)) == {
        "生产码有效",
        "维修码有效",
        "检定码有效",
        "铅封完好",
        "开壳锁机",
    }
    assert CheckItem.objects.filter(domain=Domain.FUEL).count() == 5


def test_a_line_of_another_type_is_still_matched_by_its_own_facts(
    campaign, campaign_clock, office_a, unit_a, bureau_admin
):
    meter = RegisteredInstrumentFactory(
        unit=unit_a, created_by=office_a, instrument_type=instrument_type("price_scale")
    )
    record = scales_inspection(
        office_a, campaign, meter.owner, [row(meter, verified_on=dt.date(2025, 5, 1), valid_until=None)]
    )
    record_services.record_approve(actor=bureau_admin, record=record)
    meter.refresh_from_db()
    # valid-until was filled from the type's 12-month period at entry, then copied.
    assert meter.valid_until == dt.date(2026, 4, 30)
    assert meter.inspection_status == VerificationStatus.VALID


def test_two_rows_cannot_be_the_same_register_line(campaign, campaign_clock, office_a, instrument_a):
    with pytest.raises(ValidationError) as exc:
        scales_inspection(office_a, campaign, instrument_a.owner, [row(instrument_a), row(instrument_a)])
    assert "第 2 台器具：与前面一行是台账中的同一台器具，请删除重复的行。" in exc.value.messages
