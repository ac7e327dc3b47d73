"""强检 coverage by domain and office on a day, confirmed lines only; owners reminded, scans, ratings and
problems in a period (instruments.selectors.instrument_coverage), every figure counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from instruments.models import EntryStatus, InstrumentRating, InstrumentScan, OwnerReminder, ProblemReport
from instruments.selectors import instrument_coverage
from tests.clock import SHANGHAI
from tests.html import cells, links, text_of
from tests.inspections.factories import instrument_type
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

MAY_1, MAY_10, MAY_20 = dt.date(2025, 5, 1), dt.date(2025, 5, 10), dt.date(2025, 5, 20)


@pytest.fixture
def register(campaign_clock, unit_a, unit_b, office_a, office_b):
    """On 20 May 2025: in 甲地所 a valid scale, an overdue one (valid until 1 Jan), a pending line, one
    out of use and a 非强检 pupillometer; in 乙地所 an unverified scale and a valid fuel dispenser."""
    valid = RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)
    overdue = RegisteredInstrumentFactory(unit=unit_a, created_by=office_a, valid_until=dt.date(2025, 1, 1))
    RegisteredInstrumentFactory(unit=unit_a, created_by=office_a, entry_status=EntryStatus.PENDING)
    RegisteredInstrumentFactory(unit=unit_a, created_by=office_a, in_use=False)
    RegisteredInstrumentFactory(
        unit=unit_a, created_by=office_a, instrument_type=instrument_type("pupillometer")
    )
    unverified = RegisteredInstrumentFactory(
        unit=unit_b, created_by=office_b, verified_on=None, valid_until=None
    )
    fuel = RegisteredInstrumentFactory(
        unit=unit_b, created_by=office_b, instrument_type=instrument_type("fuel_nozzle"), name="加油机"
    )
    return {"valid": valid, "overdue": overdue, "unverified": unverified, "fuel": fuel}


def _public_use(register) -> None:
    """Reminders, scans, ratings and problems on 1 May (outside a 10–20 May period) and within it."""
    valid, overdue, unverified = register["valid"], register["overdue"], register["unverified"]
    OwnerReminder.objects.create(instrument=overdue, kind="overdue", day=MAY_1)
    OwnerReminder.objects.create(instrument=overdue, kind="overdue", day=MAY_20)
    OwnerReminder.objects.create(instrument=unverified, kind="overdue", day=MAY_20)
    for instrument, day, via_qr in ((valid, MAY_1, True), (valid, MAY_10, True), (overdue, MAY_20, False)):
        InstrumentScan.objects.create(instrument=instrument, day=day, via_qr=via_qr, agent="wechat")
    InstrumentScan.objects.create(instrument=unverified, day=MAY_20, via_qr=True, agent="mobile")
    for instrument, score in ((valid, 5), (overdue, 1), (unverified, 2)):
        InstrumentRating.objects.create(instrument=instrument, score=score)
    ProblemReport.objects.create(instrument=overdue, text="秤不准")
    old = ProblemReport.objects.create(instrument=valid, text="早先的问题")
    # 1 May 23:30 in Shanghai is 1 May 15:30 UTC: its local date, not its UTC one, decides the period.
    ProblemReport.objects.filter(pk=old.pk).update(
        created_at=dt.datetime(2025, 5, 1, 23, 30, tzinfo=SHANGHAI)
    )
    InstrumentRating.objects.filter(score=5).update(
        created_at=dt.datetime(2025, 5, 9, 23, 59, tzinfo=SHANGHAI)
    )


def test_coverage_counts_valid_confirmed_mandatory_lines_by_domain_and_office(
    register, leader, unit_a, unit_b, django_assert_num_queries
):
    # the leader's user and group permissions (scoping, read once), the coverage cells (domain × office,
    # with the offices' names), the reminders, the scans, the ratings, the problems
    with django_assert_num_queries(7):
        coverage = instrument_coverage(user=leader)

    # 强检 in use and confirmed: valid, overdue, unverified, fuel = 4; valid ones: the scale and the fuel
    assert (coverage.total.mandatory, coverage.total.valid, coverage.total.rate) == (4, 2, Decimal("50.0"))
    domains = {row.key: (row.mandatory, row.valid, row.rate) for row in coverage.by_domain}
    assert domains["scales"] == (3, 1, Decimal("33.3"))
    assert domains["fuel"] == (1, 1, Decimal("100.0"))
    assert domains["taxi"] == (0, 0, None)
    assert [(row.label, row.mandatory, row.valid) for row in coverage.by_office] == [
        (unit_a.name, 2, 1),
        (unit_b.name, 2, 1),
    ]
    assert coverage.day == MAY_20


def test_coverage_on_a_later_day_and_for_one_unit(register, leader, office_b, unit_a):
    # On 20 April 2026 the scales verified on 20 April 2025 have run out: only the fuel dispenser is
    # valid until 19 April 2026 too, so nothing is valid.
    later = instrument_coverage(user=leader, day=dt.date(2026, 4, 20))
    assert (later.total.mandatory, later.total.valid) == (4, 0)
    # A line registered after the day asked does not count on it.
    before = instrument_coverage(user=leader, day=dt.date(2025, 5, 19))
    assert before.total.mandatory == 0

    only_a = instrument_coverage(user=leader, unit_id=unit_a.pk)
    assert (only_a.total.mandatory, only_a.total.valid) == (2, 1)
    assert [row.label for row in only_a.by_office] == [unit_a.name]
    # An office reads its own unit's lines only.
    own = instrument_coverage(user=office_b)
    assert (own.total.mandatory, own.total.valid) == (2, 1)


def test_reminders_scans_ratings_and_problems_count_within_the_period(register, leader, unit_b):
    _public_use(register)

    everything = instrument_coverage(user=leader)
    assert (everything.owners_reminded, everything.reminders_sent) == (2, 3)
    assert (everything.scans, everything.scans_via_qr) == (4, 3)
    assert (everything.ratings, everything.rating_average, everything.low_ratings) == (3, Decimal("2.7"), 2)
    assert everything.problems == 2

    period = instrument_coverage(user=leader, date_from=MAY_10, date_to=MAY_20)
    # The reminder of 1 May, the scan of 1 May, the rating of 9 May and the problem of 1 May drop out.
    assert (period.owners_reminded, period.reminders_sent) == (2, 2)
    assert (period.scans, period.scans_via_qr) == (3, 2)
    assert (period.ratings, period.rating_average, period.low_ratings) == (2, Decimal("1.5"), 2)
    assert period.problems == 1

    unit = instrument_coverage(user=leader, unit_id=unit_b.pk, date_from=MAY_10)
    assert (unit.owners_reminded, unit.scans, unit.ratings, unit.problems) == (1, 1, 1, 0)


def test_the_panel_shows_the_figures_and_links_the_register(register, rf, leader):
    _public_use(register)
    coverage = instrument_coverage(user=leader)
    request = rf.get("/dashboard/")
    request.user = leader

    html = render_to_string(
        "instruments/_coverage_panel.html", {"coverage": coverage, "list_query": "&unit=7"}, request=request
    )

    panel = "[data-testid=instrument-coverage]"
    assert text_of(html, f"{panel} [data-figure=coverage-rate] .figure") == "50.0%"
    assert text_of(html, f"{panel} [data-figure=scans] .figure") == "4"
    assert text_of(html, f"{panel} [data-figure=ratings] .figure") == "3"
    register_url = "/workbench/instruments/?mandatory=true&entry_status=confirmed&in_use=true"
    assert links(html, f"{panel} a.summary-tile") == [
        ("4登记强检器具", f"{register_url}&unit=7"),
        ("2检定合格有效", f"{register_url}&status=valid&unit=7"),
        ("2问题反映（件）", "/workbench/instruments/leads/"),
    ]
    assert cells(html, f"{panel} tr[data-domain=fuel]") == [["加油机", "1", "1", "100.0%"]]
    assert cells(html, f"{panel} tr[data-domain=taxi]") == [["出租车计价器", "0", "0", "—"]]
    assert timezone.localdate() == MAY_20
