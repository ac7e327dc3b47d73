"""The register's demo lines (demo/instruments.py through seed_demo): lines across the offices, located
公平秤 in both markets, lines due and overdue as of the day it runs, the public's use; idempotent.
And the superuser the demo writes with enters as the bureau does, not as a market operator."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspections.verification import VerificationStatus
from instruments import services
from instruments.models import EntryStatus, InstrumentScan, OwnerContact, RegisteredInstrument
from instruments.selectors import fair_scales_located, instrument_coverage
from organizations.models import User
from tests.inspections.factories import instrument_type

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_register_and_a_second_run_adds_nothing(settings):
    # The demo dates its lines from the day it runs (today, as `make run` does).
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert "36 new register lines" in out.getvalue()
    lines = RegisteredInstrument.objects.select_related("instrument_type", "unit")
    assert {line.entry_status for line in lines} == {EntryStatus.CONFIRMED}
    assert len({line.unit.name for line in lines}) == 6
    assert {(s.owner.name, s.host_market_id == s.owner_id) for s in fair_scales_located()} == {
        ("巫山县神女市场管理有限公司", True),
        ("巫山县平湖市场管理有限公司", True),
    }
    assert fair_scales_located().count() == 4
    today = timezone.localdate()
    statuses = [line.status_on(today) for line in lines]
    assert statuses.count(VerificationStatus.OVERDUE) == 6
    due = [
        line
        for line in lines
        if line.valid_until and today <= line.valid_until <= today + dt.timedelta(days=30)
    ]
    assert len(due) == 7
    coverage = instrument_coverage()
    assert (coverage.total.mandatory, coverage.total.valid) == (35, 25)
    assert coverage.scans > 0
    assert coverage.ratings == 8
    assert OwnerContact.objects.count() == 2

    again = StringIO()
    call_command("seed_demo", stdout=again)

    assert "0 new register lines" in again.getvalue()
    assert RegisteredInstrument.objects.count() == 36
    assert InstrumentScan.objects.count() == coverage.scans


def test_a_superuser_registers_and_edits_as_the_bureau_confirmed_at_once(unit_a, owner):
    superuser = User.objects.create_superuser(username="root", password="x-not-used-9")
    data = {
        "owner": owner,
        "name": "电子计价秤",
        "location": "摊位",
        "instrument_type": instrument_type("price_scale"),
    }

    created = services.instrument_create(actor=superuser, data=data, unit=unit_a)
    updated = services.instrument_update(actor=superuser, instrument=created, data={"location": "新址"})

    assert (created.unit, created.market_unit, created.entry_status) == (unit_a, None, EntryStatus.CONFIRMED)
    assert (updated.location, updated.entry_status) == ("新址", EntryStatus.CONFIRMED)
