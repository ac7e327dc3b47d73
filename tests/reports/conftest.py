"""Report tests: tasks run eagerly (tests/celery_fixtures.py) and files land in a throw-away MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from core.exporters import HEADER_ROW
from publicity.models import NewsItem
from records.models import ReviewStatus
from reports.builders import Period
from reports.figures import SECTIONS
from tests.celery_fixtures import eager_tasks
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory
from tests.inspections.factories import EnterpriseFactory, InspectionFactory, InstrumentFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory
from tests.opinion.factories import OpinionIncidentFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

__all__ = ["PREVIOUS_WEEK", "WEEK", "eager_tasks", "figures", "table"]


@pytest.fixture(autouse=True)
def _eager(eager_tasks: None) -> None:
    pass


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def campaign(db: None) -> Campaign:
    return CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))


# --- A week of every record type for two units (issue 16: period and unit on every sheet) --------------

APPROVED, SUBMITTED = ReviewStatus.APPROVED, ReviewStatus.SUBMITTED
WEEK = Period(dt.date(2025, 5, 12), dt.date(2025, 5, 18), week_from=dt.date(2025, 5, 12))
PREVIOUS_WEEK = Period(dt.date(2025, 5, 5), dt.date(2025, 5, 11), week_from=dt.date(2025, 5, 5))
IN_WEEK, BEFORE, AFTER = dt.date(2025, 5, 14), dt.date(2025, 5, 6), dt.date(2025, 5, 25)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def table(sheet) -> list[tuple[Any, ...]]:
    """The data rows below the header row (blank rows left out)."""
    return [
        row
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if any(v not in (None, "") for v in row)
    ]


def figures(workbook) -> dict[str, tuple[Any, Any, Any]]:
    """The overview's figures by label: (本期 / 本周新增, 累计, 待审核)."""
    return {row[1]: row[2:5] for row in table(workbook["总览"]) if row[0] in SECTIONS}


@pytest.fixture
def scope(campaign, unit_a, unit_b) -> dict[str, Any]:
    """Records of every type for two units, in the week, before it and after it, approved or waiting.

    Unit A has, per type: one approved in the week, one approved the week before, one approved after,
    and one submitted in the week; unit B one approved in the week. So a report for unit A and the
    week lists exactly one record of each type, counts one, and shows one 待审核.
    """
    station_a = MicroStationFactory(campaign=campaign, supervising_unit=unit_a, name="甲站", opened=True)
    station_b = MicroStationFactory(campaign=campaign, supervising_unit=unit_b, name="乙站", opened=True)
    market = EnterpriseFactory(name="神女市场")
    made: dict[str, Any] = {"station_a": station_a}
    for unit, station, day, status, tag in [
        (unit_a, station_a, IN_WEEK, APPROVED, "甲本周"),
        (unit_a, station_a, BEFORE, APPROVED, "甲上周"),
        (unit_a, station_a, AFTER, APPROVED, "甲下周"),
        (unit_a, station_a, IN_WEEK, SUBMITTED, "甲待审"),
        (unit_b, station_b, IN_WEEK, APPROVED, "乙本周"),
    ]:
        StationActivityFactory(station=station, date=day, title=tag, people_reached=10, review_status=status)
        PublicityActivityFactory(
            campaign=campaign, unit=unit, date=day, title=tag, participants=100, review_status=status
        )
        item = NewsItemFactory(campaign=campaign, unit=unit, title=tag, review_status=status)
        NewsItem.objects.filter(pk=item.pk).update(created_at=at(day))
        inspection = InspectionFactory(
            campaign=campaign,
            unit=unit,
            date=day,
            inspected_party=EnterpriseFactory(name=f"{tag}商行"),
            market=market,
            staff_turnout=3,
            review_status=status,
        )
        InstrumentFactory(inspection=inspection, serial_no=f"{tag}-1")
        InstrumentFactory(inspection=inspection, serial_no=f"{tag}-2")
        EnterpriseVisitFactory(
            campaign=campaign, unit=unit, date=day, needs_identified=tag, instruments_serviced=4,
            review_status=status,
        )  # fmt: skip
        if status == APPROVED:
            OpinionIncidentFactory(campaign=campaign, handling_unit=unit, title=tag, discovered_at=at(day))
    VolunteerFactory(campaign=campaign, station=station_a, name="甲宣传员")
    VolunteerFactory(campaign=campaign, station=station_b, name="乙宣传员")
    for unit in (unit_a, unit_b):
        TaskAssignmentFactory(task=TaskFactory(campaign=campaign, due_date=AFTER), unit=unit)
    return made
