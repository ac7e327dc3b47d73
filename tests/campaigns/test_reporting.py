"""Reporting windows and the reporting rate: expected, on time, late and missing per unit and window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import reminders, reporting, services
from campaigns.models import PartyGroup, ReportingWindow
from notifications.models import Digest
from organizations.models import Unit
from publicity.models import NewsItem
from tests.celery_fixtures import eager_tasks
from tests.clock import SHANGHAI, CampaignClock
from tests.microstations.factories import campaign_2025
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

NEWS = "publicity.newsitem"
ACTIVITY = "publicity.publicityactivity"


__all__ = ["eager_tasks"]


@pytest.fixture(autouse=True)
def _eager(eager_tasks: None) -> None:
    """Deliveries queued after commit run at once, in this process."""


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db):
    return campaign_2025()  # 25 April – 30 June 2025


@pytest.fixture
def offices(campaign) -> PartyGroup:
    return PartyGroup.objects.create(campaign=campaign, label="各市场监管所", unit_kinds=[Unit.Kind.OFFICE])


@pytest.fixture
def windows(campaign, offices, bureau_admin) -> list[ReportingWindow]:
    return services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=offices,
        record_types=[NEWS],
        weekly_until=dt.date(2025, 5, 20),
        monthly_until=dt.date(2025, 6, 30),
    )


def news(unit, written: dt.date, submitted: dt.date | None, campaign) -> NewsItem:
    item = NewsItemFactory(unit=unit, campaign=campaign)
    at = lambda day: dt.datetime.combine(day, dt.time(16), tzinfo=SHANGHAI)  # noqa: E731
    NewsItem.objects.filter(pk=item.pk).update(
        created_at=at(written), submitted_at=at(submitted) if submitted else None
    )
    return item


def test_weekly_windows_until_the_metrology_day_then_monthly(windows):
    assert [(w.label, w.start_date, w.end_date, w.due_date) for w in windows] == [
        ("第1周", dt.date(2025, 4, 25), dt.date(2025, 5, 1), dt.date(2025, 5, 2)),
        ("第2周", dt.date(2025, 5, 2), dt.date(2025, 5, 8), dt.date(2025, 5, 9)),
        ("第3周", dt.date(2025, 5, 9), dt.date(2025, 5, 15), dt.date(2025, 5, 16)),
        ("第4周", dt.date(2025, 5, 16), dt.date(2025, 5, 20), dt.date(2025, 5, 21)),
        ("5月", dt.date(2025, 5, 21), dt.date(2025, 5, 31), dt.date(2025, 6, 1)),
        ("6月", dt.date(2025, 6, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 1)),
    ]
    assert windows[0].record_types == [NEWS]


def test_generating_again_adds_nothing(campaign, offices, windows, bureau_admin):
    again = services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=offices,
        record_types=[NEWS],
        weekly_until=dt.date(2025, 5, 20),
        monthly_until=dt.date(2025, 6, 30),
    )
    assert again == []
    assert ReportingWindow.objects.count() == 6


def test_only_a_planner_generates_windows_and_bad_input_saves_nothing(
    campaign, offices, office_a, bureau_admin
):
    with pytest.raises(PermissionDenied):
        services.reporting_windows_generate(
            actor=office_a,
            campaign=campaign,
            group=offices,
            record_types=[NEWS],
            weekly_until=dt.date(2025, 5, 20),
        )
    with pytest.raises(ValidationError) as excinfo:
        services.reporting_windows_generate(
            actor=bureau_admin,
            campaign=campaign,
            group=offices,
            record_types=[],
            weekly_until=dt.date(2025, 5, 20),
        )
    assert excinfo.value.messages == ["请至少选择一种报送内容。"]
    assert ReportingWindow.objects.count() == 0


def test_record_types_are_the_submitted_record_models():
    types = reporting.record_types()
    assert {NEWS, ACTIVITY, "inspections.inspectionrecord", "enterprises.enterprisevisit"} <= set(types)
    assert "campaigns.task" not in types


def test_each_unit_and_window_is_on_time_late_missing_or_open(campaign, windows, unit_a, unit_b):
    news(unit_a, dt.date(2025, 4, 28), dt.date(2025, 4, 29), campaign)  # week 1, due 05-02: on time
    news(unit_a, dt.date(2025, 4, 30), dt.date(2025, 5, 2), campaign)  # a second one changes nothing
    news(unit_a, dt.date(2025, 5, 5), dt.date(2025, 5, 10), campaign)  # week 2, due 05-09: late
    news(unit_a, dt.date(2025, 5, 12), None, campaign)  # week 3: a draft is not a report
    news(unit_b, dt.date(2025, 5, 19), dt.date(2025, 5, 19), campaign)  # week 4 (due 05-21): on time

    grid = reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20))

    rows = {row.unit.name: row for row in grid.rows}
    assert set(rows) == {unit_a.name, unit_b.name}
    a, b = rows[unit_a.name], rows[unit_b.name]
    assert [c.status for c in a.cells] == ["on_time", "late", "missing", "open", "open", "open"]
    assert [c.status for c in b.cells] == ["missing", "missing", "missing", "on_time", "open", "open"]
    assert (a.expected, a.on_time, a.late, a.missing, a.rate, a.timely_rate) == (3, 1, 1, 1, 67, 33)
    assert (b.expected, b.on_time, b.late, b.missing, b.rate, b.timely_rate) == (4, 1, 0, 3, 25, 25)
    assert a.cells[1].first_submitted == dt.date(2025, 5, 10)
    assert grid.totals.expected == 7
    assert grid.totals.rate == 43


@pytest.mark.parametrize(
    ("written", "week"),
    # Week 1 is 25 April – 1 May, week 2 2–8 May, week 3 from 9 May: each one's last and first second.
    [
        (dt.datetime(2025, 5, 1, 23, 59, 59, tzinfo=SHANGHAI), 0),
        (dt.datetime(2025, 5, 2, 0, 0, 0, tzinfo=SHANGHAI), 1),
        (dt.datetime(2025, 5, 8, 23, 59, 59, tzinfo=SHANGHAI), 1),
        (dt.datetime(2025, 5, 9, 0, 0, 0, tzinfo=SHANGHAI), 2),
    ],
)
def test_a_news_item_falls_in_the_window_of_the_day_it_was_written_in_shanghai(
    campaign, windows, unit_a, written, week
):
    """The written time is compared with the bounds of the window's days in Asia/Shanghai (16:00 UTC
    the day before is midnight there)."""
    item = NewsItemFactory(unit=unit_a, campaign=campaign)
    NewsItem.objects.filter(pk=item.pk).update(created_at=written.astimezone(dt.UTC), submitted_at=written)

    (row,) = reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20)).rows

    assert [i for i, cell in enumerate(row.cells) if cell.first_submitted] == [week]


def test_a_window_of_other_record_types_ignores_news(campaign, offices, bureau_admin, unit_a):
    services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=offices,
        record_types=[ACTIVITY],
        weekly_until=dt.date(2025, 5, 1),
    )
    news(unit_a, dt.date(2025, 4, 28), dt.date(2025, 4, 29), campaign)
    activity = PublicityActivityFactory(unit=unit_a, date=dt.date(2025, 4, 27))
    grid = reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20))
    assert [c.status for c in grid.rows[0].cells] == ["missing"]

    type(activity).objects.filter(pk=activity.pk).update(
        submitted_at=dt.datetime(2025, 4, 30, 9, tzinfo=SHANGHAI)
    )
    grid = reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20))
    assert [c.status for c in grid.rows[0].cells] == ["on_time"]


def test_a_unit_out_of_the_group_is_not_expected(campaign, windows, offices, unit_a, unit_b, bureau_admin):
    services.group_set_members(actor=bureau_admin, group=offices, unit_ids=[unit_a.pk])

    grid = reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20))

    assert [row.unit for row in grid.rows] == [unit_a]


def test_an_office_sees_only_its_own_row(campaign, windows, unit_a, unit_b, office_a, leader):
    assert [
        r.unit
        for r in reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20), user=office_a).rows
    ] == [unit_a]
    assert len(reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20), user=leader).rows) == 2


@pytest.mark.parametrize("units", [1, 6])
def test_the_grid_runs_a_fixed_number_of_queries(campaign, windows, units, django_assert_num_queries):
    from tests.factories import UnitFactory

    for n in range(units):
        unit = UnitFactory(kind=Unit.Kind.OFFICE)
        news(unit, dt.date(2025, 4, 28 - n % 3), dt.date(2025, 5, 3), campaign)

    # windows, the group's excluded and added units, the units, the one record type's first submissions
    with django_assert_num_queries(5):
        grid = reporting.reporting_grid(campaign=campaign, today=dt.date(2025, 5, 20))
    assert len(grid.rows) == units


def test_missing_reports_are_in_the_units_digest_and_escalated_when_late_enough(
    campaign, windows, unit_a, office_a, leader, django_capture_on_commit_callbacks
):
    campaign.escalation_days = 5
    campaign.save()
    news(unit_a, dt.date(2025, 4, 28), dt.date(2025, 4, 29), campaign)

    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(day=dt.date(2025, 5, 20))

    digest = Digest.objects.get(kind=reminders.DAILY_KIND, unit=unit_a)
    assert digest.body == (
        "【未按期报送】\n"
        "· 第2周（05-02—05-08）未报送（时限 05-09，已过 11 天）\n"
        "· 第3周（05-09—05-15）未报送（时限 05-16，已过 4 天）"
    )
    escalation = Digest.objects.get(kind=reminders.ESCALATION_KIND)
    assert escalation.body == "· 甲地市场监管所：第2周（05-02—05-08）未报送（时限 05-09，已过 11 天）"
    assert office_a.notifications.count() == 1


def test_the_workbooks_timeliness_sheet_has_a_row_per_unit(campaign, windows, unit_a, unit_b):
    from campaigns.exports import ReportingTimelinessSheet
    from core.exporters import SheetContext, registered

    news(unit_a, dt.date(2025, 4, 28), dt.date(2025, 4, 29), campaign)
    news(unit_a, dt.date(2025, 5, 5), dt.date(2025, 5, 10), campaign)
    sheet = ReportingTimelinessSheet()
    assert sheet.identifier in [s.identifier for s in registered()]

    rows = list(sheet.rows(SheetContext(campaign=campaign, today=dt.date(2025, 5, 20))))

    assert rows == [
        [unit_a.name, 3, 1, 1, 1, 0.67, 0.33, "第3周（05-09—05-15）"],
        [
            unit_b.name,
            3,
            0,
            0,
            3,
            0.0,
            0.0,
            "第1周（04-25—05-01）、第2周（05-02—05-08）、第3周（05-09—05-15）",
        ],
    ]
    only_b = list(sheet.rows(SheetContext(campaign=campaign, unit=unit_b, today=dt.date(2025, 5, 20))))
    assert [row[0] for row in only_b] == [unit_b.name]


def test_the_sheet_shows_a_dash_not_a_rate_when_nothing_was_expected_yet(campaign, windows, unit_a):
    from campaigns.exports import ReportingTimelinessSheet
    from core.exporters import SheetContext

    rows = list(ReportingTimelinessSheet().rows(SheetContext(campaign=campaign, today=dt.date(2025, 4, 26))))

    assert rows == [[unit_a.name, 0, 0, 0, 0, "—", "—", ""]]
