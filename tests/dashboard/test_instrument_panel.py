"""The instrument register's panel on the dashboard (issue 20): 强检 coverage, owners reminded, scans,
ratings and problems, within the dashboard's unit and period filters; figures counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from instruments.models import InstrumentRating, InstrumentScan, OwnerReminder, RegisteredInstrument
from tests.clock import SHANGHAI
from tests.factories import TaskAssignmentFactory, WorkstreamFactory
from tests.html import cells, links, text_of
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import campaign_2025

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
PANEL = "[data-testid=instrument-coverage]"


@pytest.fixture
def register(campaign_clock, unit_a, unit_b, office_a, office_b):
    """On 20 May 2025: 甲地所 a valid and an overdue scale, 乙地所 a valid one; scans on 1 and 15 May."""
    # The panels show once the campaign has its workstreams.
    workstream = WorkstreamFactory(
        campaign=campaign_2025(), number=3, notice_ref="二（三）", title="民生计量专项检查"
    )
    # The unit filter offers the units with assignments.
    TaskAssignmentFactory(task__campaign=workstream.campaign, task__workstream=workstream, unit=unit_a)
    valid_a = RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)
    overdue_a = RegisteredInstrumentFactory(unit=unit_a, created_by=office_a, valid_until=dt.date(2025, 5, 1))
    valid_b = RegisteredInstrumentFactory(unit=unit_b, created_by=office_b)
    for instrument, day in (
        (valid_a, dt.date(2025, 5, 1)),
        (overdue_a, dt.date(2025, 5, 15)),
        (valid_b, dt.date(2025, 5, 15)),
    ):
        InstrumentScan.objects.create(instrument=instrument, day=day, via_qr=True, agent="wechat")
    OwnerReminder.objects.create(instrument=overdue_a, kind="overdue", day=dt.date(2025, 5, 2))
    InstrumentRating.objects.create(instrument=valid_b, score=4)
    return valid_a, overdue_a, valid_b


def test_the_dashboard_shows_the_registers_coverage_and_public_use(client, leader, register, unit_a, unit_b):
    client.force_login(leader)

    response = client.get(URL)

    assert response.status_code == 200
    # 3 强检 lines, 2 valid on 20 May (the overdue scale ran out on 1 May)
    assert text_of(response, f"{PANEL} [data-figure=coverage-rate] .figure") == "66.7%"
    assert text_of(response, f"{PANEL} [data-figure=scans] .figure") == "3"
    assert text_of(response, f"{PANEL} [data-figure=owners-reminded] .figure") == "1"
    assert text_of(response, f"{PANEL} [data-figure=ratings] .figure") == "1"
    assert cells(response, f"{PANEL} tr[data-unit]") == [
        [unit_a.name, "2", "1", "50.0%"],
        [unit_b.name, "1", "1", "100.0%"],
    ]


def test_the_panel_follows_the_dashboards_unit_and_period(client, leader, register, unit_a):
    client.force_login(leader)

    response = client.get(URL, {"unit": unit_a.pk, "date_from": "2025-05-10", "date_to": "2025-05-20"})

    # 甲地所 only; its scan of 15 May is in the period, that of 1 May and the reminder of 2 May are not.
    assert cells(response, f"{PANEL} tr[data-unit]") == [[unit_a.name, "2", "1", "50.0%"]]
    assert text_of(response, f"{PANEL} [data-figure=scans] .figure") == "1"
    assert text_of(response, f"{PANEL} [data-figure=owners-reminded] .figure") == "0"
    assert text_of(response, f"{PANEL} [data-figure=ratings] .figure") == "0"
    register_link = links(response, f"{PANEL} a.summary-tile")[0][1]
    assert register_link.endswith(f"?mandatory=true&entry_status=confirmed&in_use=true&unit={unit_a.pk}")


def test_coverage_is_computed_on_the_periods_end(client, leader, register):
    client.force_login(leader)
    # Lines registered after the day asked do not count on it: none was registered by 30 April ...
    assert (
        text_of(client.get(URL, {"date_to": "2025-04-30"}), f"{PANEL} [data-figure=coverage-rate] .figure")
        == "—"
    )
    RegisteredInstrument.objects.update(created_at=dt.datetime(2025, 4, 1, 9, 0, tzinfo=SHANGHAI))

    # ... and once registered on 1 April, on 30 April the overdue scale was still valid (until 1 May).
    response = client.get(URL, {"date_to": "2025-04-30"})

    assert text_of(response, f"{PANEL} [data-figure=coverage-rate] .figure") == "100.0%"
