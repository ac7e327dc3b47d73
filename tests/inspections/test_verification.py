"""Verification status at its boundaries, and the Python rules and the database expression agreeing."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections.models import InspectedInstrument, InstrumentType
from inspections.verification import (
    InstrumentFacts,
    Result,
    VerificationStatus,
    add_months,
    period_end,
    verification_status,
    verification_status_expression,
)
from tests.inspections.factories import InspectionFactory, InstrumentFactory, instrument_type

DAY = dt.date(2025, 5, 20)
S = VerificationStatus

# (case, type code, result, verified on, valid until, service life end, expected status on DAY)
CASES = [
    (
        "valid until the day after",
        "price_scale",
        Result.PASSED,
        dt.date(2024, 5, 21),
        dt.date(2025, 5, 21),
        None,
        S.VALID,
    ),
    (
        "valid until the inspection day itself",
        "price_scale",
        Result.PASSED,
        dt.date(2024, 5, 21),
        DAY,
        None,
        S.VALID,
    ),
    (
        "valid until the day before",
        "price_scale",
        Result.PASSED,
        dt.date(2024, 5, 20),
        dt.date(2025, 5, 19),
        None,
        S.OVERDUE,
    ),
    ("never verified", "price_scale", Result.NONE, None, None, None, S.UNVERIFIED),
    ("passed but no dates at all", "price_scale", Result.PASSED, None, None, None, S.UNVERIFIED),
    (
        "only a valid-until date, in date",
        "taxi_meter",
        Result.PASSED,
        None,
        dt.date(2025, 12, 31),
        None,
        S.VALID,
    ),
    (
        "failed, even when in date",
        "price_scale",
        Result.FAILED,
        dt.date(2025, 5, 1),
        dt.date(2026, 4, 30),
        None,
        S.FAILED,
    ),
    (
        "failed and overdue: failed first",
        "price_scale",
        Result.FAILED,
        dt.date(2023, 1, 1),
        dt.date(2023, 12, 31),
        None,
        S.FAILED,
    ),
    ("pupillometer is not mandatory", "pupillometer", Result.NONE, None, None, None, S.NOT_MANDATORY),
    (
        "not mandatory even when failed",
        "pupillometer",
        Result.FAILED,
        dt.date(2020, 1, 1),
        dt.date(2020, 6, 1),
        None,
        S.NOT_MANDATORY,
    ),
    (
        "meter: first verification never expires",
        "water_meter",
        Result.PASSED,
        dt.date(2020, 3, 1),
        dt.date(2021, 2, 28),
        dt.date(2026, 2, 28),
        S.VALID,
    ),
    (
        "meter: service life ends on the inspection day",
        "water_meter",
        Result.PASSED,
        dt.date(2019, 5, 21),
        None,
        DAY,
        S.VALID,
    ),
    (
        "meter: service life ended the day before",
        "water_meter",
        Result.PASSED,
        dt.date(2019, 5, 20),
        None,
        dt.date(2025, 5, 19),
        S.LIFE_EXPIRED,
    ),
    (
        "meter never verified, past its life: unverified first",
        "gas_meter",
        Result.NONE,
        None,
        None,
        dt.date(2020, 1, 1),
        S.UNVERIFIED,
    ),
    (
        "scale past its life and overdue: life first",
        "price_scale",
        Result.PASSED,
        dt.date(2015, 1, 1),
        dt.date(2015, 12, 31),
        dt.date(2024, 1, 1),
        S.LIFE_EXPIRED,
    ),
    (
        "trial lens set within two years",
        "trial_lens_set",
        Result.PASSED,
        dt.date(2023, 6, 1),
        dt.date(2025, 5, 31),
        None,
        S.VALID,
    ),
]


def facts(code: str, result: str, verified: dt.date | None, valid: dt.date | None, life: dt.date | None):
    kind = InstrumentType.objects.get(code=code)
    return InstrumentFacts(
        mandatory=kind.mandatory,
        first_verification_only=kind.first_verification_only,
        result=result,
        verified_on=verified,
        valid_until=valid,
        service_life_end=life,
    )


@pytest.mark.parametrize(("case", "code", "result", "verified", "valid", "life", "expected"), CASES)
def test_the_python_rule_gives_the_expected_status(db, case, code, result, verified, valid, life, expected):
    assert verification_status(facts(code, result, verified, valid, life), on=DAY) == expected, case


def test_the_database_expression_agrees_with_the_python_rule_on_every_boundary_case(db):
    inspection = InspectionFactory(date=DAY)
    rows = {}
    for case, code, result, verified, valid, life, _expected in CASES:
        instrument = InspectedInstrument.objects.create(
            inspection=inspection,
            instrument_type=instrument_type(code),
            serial_no=case,
            result=result,
            verified_on=verified,
            valid_until=valid,
            service_life_end=life,
        )
        rows[instrument.pk] = case

    in_database = dict(
        InspectedInstrument.objects.filter(pk__in=rows)
        .annotate(status=verification_status_expression())
        .values_list("pk", "status")
    )

    for instrument in InspectedInstrument.objects.filter(pk__in=rows).select_related(
        "instrument_type", "inspection"
    ):
        python = instrument.verification_status
        assert in_database[instrument.pk] == python.value, rows[instrument.pk]
    assert [in_database[pk] for pk in rows] == [expected.value for *_rest, expected in CASES]


def test_the_status_follows_the_inspection_date_not_today(db):
    instrument = InstrumentFactory(
        inspection__date=dt.date(2025, 5, 20),
        verified_on=dt.date(2024, 5, 20),
        valid_until=dt.date(2025, 5, 19),
    )

    assert instrument.verification_status == S.OVERDUE
    assert instrument.status_on(dt.date(2025, 5, 19)) == S.VALID


def test_a_type_made_non_mandatory_in_the_admin_changes_the_status_without_touching_the_instrument(db):
    instrument = InstrumentFactory(result=Result.NONE, verified_on=None, valid_until=None)
    assert instrument.verification_status == S.UNVERIFIED

    InstrumentType.objects.filter(pk=instrument.instrument_type_id).update(mandatory=False)
    instrument.refresh_from_db()

    assert InstrumentType.objects.get(pk=instrument.instrument_type_id).mandatory is False
    assert InspectedInstrument.objects.get(pk=instrument.pk).verification_status == S.NOT_MANDATORY


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2025, 5, 20), 12, dt.date(2026, 5, 19)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 27)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 27)),
        (dt.date(2025, 5, 20), 36, dt.date(2028, 5, 19)),
    ],
)
def test_the_period_ends_the_day_before_its_anniversary(start, months, end):
    assert period_end(start, months) == end


def test_adding_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_valid_until_is_computed_from_the_types_period_when_left_empty(db):
    instrument = InspectedInstrument(
        instrument_type=instrument_type("trial_lens_set"), verified_on=dt.date(2024, 6, 1)
    )
    instrument.apply_type_defaults()
    assert instrument.valid_until == dt.date(2026, 5, 31)


def test_a_meters_service_life_is_computed_and_it_gets_no_valid_until(db):
    meter = InspectedInstrument(
        instrument_type=instrument_type("water_meter"), verified_on=dt.date(2019, 5, 20)
    )
    meter.apply_type_defaults()
    assert (meter.valid_until, meter.service_life_end) == (None, dt.date(2025, 5, 19))


def test_a_typed_valid_until_is_kept(db):
    instrument = InspectedInstrument(
        instrument_type=instrument_type("price_scale"),
        verified_on=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 6, 30),
    )
    instrument.apply_type_defaults()
    assert instrument.valid_until == dt.date(2025, 6, 30)
