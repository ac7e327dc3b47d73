"""Reach (page views, scans, feedback) per station: the dashboard's panel and the workbook's sheet read
the same selector, in the period and the unit chosen, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from core.exporters import SheetContext
from microstations.exports import StationReachSheet
from microstations.models import StationReach
from tests.html import cells, text_of
from tests.microstations.factories import MicroStationFactory

pytestmark = pytest.mark.django_db


class Filters:
    def __init__(self, campaign, unit=None, date_from=None, date_to=None):
        self.campaign, self.unit, self.date_from, self.date_to = campaign, unit, date_from, date_to

    @property
    def unit_id(self):
        return self.unit.pk if self.unit else None


@pytest.fixture
def reached(station, unit_b):
    other = MicroStationFactory(opened=True, supervising_unit=unit_b, plaque_no="WS-JL-002", name="乙站")
    StationReach.objects.create(station=station, day=dt.date(2025, 5, 19), views=10, scans=4, submissions=1)
    StationReach.objects.create(station=station, day=dt.date(2025, 5, 20), views=5, scans=2, submissions=0)
    StationReach.objects.create(station=other, day=dt.date(2025, 5, 20), views=1, scans=7, submissions=2)
    return station, other


def render_panel(filters) -> str:
    return Template("{% load station_reach %}{% station_reach_panel filters %}").render(
        Context({"filters": filters})
    )


def test_panel_sums_every_station_and_lists_the_most_scanned_first(reached, django_assert_num_queries):
    station, _other = reached
    # the totals; the stations with their sums
    with django_assert_num_queries(2):
        panel = render_panel(Filters(station.campaign))
    rows = cells(panel, ".reach-table tbody tr")
    assert rows == [["乙站", "1", "7", "2"], [station.name, "15", "6", "1"]]
    totals = [text_of(panel, f"[data-testid=reach-{kind}]") for kind in ("views", "scans", "submissions")]
    assert totals == ["16", "13", "3"]


def test_panel_follows_the_period_and_the_unit(reached):
    station, _other = reached
    rows = cells(
        render_panel(
            Filters(station.campaign, unit=station.supervising_unit, date_from=dt.date(2025, 5, 20))
        ),
        ".reach-table tbody tr",
    )
    assert rows == [[station.name, "5", "2", "0"]]


def test_workbook_sheet_has_one_row_per_station_with_its_reach(reached):
    station, other = reached
    context = SheetContext(campaign=station.campaign, date_from=None, date_to=dt.date(2025, 5, 19))
    rows = sorted(list(row) for row in StationReachSheet().rows(context))
    assert rows == sorted(
        [
            ["乙站", "WS-JL-002", other.supervising_unit.name, 0, 0, 0],
            [station.name, "WS-JL-001", station.supervising_unit.name, 10, 4, 1],
        ]
    )
