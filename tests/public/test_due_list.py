"""The quarterly public list of 强检 instruments due or overdue (the 安吉 practice): page and xlsx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from instruments.models import EntryStatus
from public.due_list import Quarter
from tests.html import cells
from tests.inspections.factories import instrument_type
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

LIST = "/i/due/"
Q2_2026 = {"year": "2026", "quarter": "2"}


@pytest.fixture
def lines(unit_a):
    """A scale due in Q2 2026, one already overdue, one due later, a water meter whose life ends in the
    quarter, a pending entry and a non-mandatory 瞳距仪 (neither listed)."""
    make = RegisteredInstrumentFactory
    return {
        "due": make(unit=unit_a, owner__name="甲水果店", valid_until=dt.date(2026, 5, 19)),
        "overdue": make(unit=unit_a, owner__name="乙超市", valid_until=dt.date(2026, 1, 5)),
        "later": make(unit=unit_a, owner__name="丙商店", valid_until=dt.date(2026, 7, 1)),
        "meter": make(
            unit=unit_a,
            owner__name="丁小区",
            name="水表",
            instrument_type=instrument_type("water_meter"),
            valid_until=None,
            service_life_end=dt.date(2026, 6, 30),
        ),
        "pending": make(
            unit=unit_a, owner__name="戊摊", valid_until=dt.date(2026, 5, 1), entry_status=EntryStatus.PENDING
        ),
        "not_mandatory": make(
            unit=unit_a,
            owner__name="己眼镜店",
            instrument_type=instrument_type("pupillometer"),
            valid_until=dt.date(2026, 5, 1),
        ),
    }


def test_quarters_start_and_end_on_the_right_days():
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert Quarter.of(dt.date(2026, 11, 30)) == Quarter(2026, 4)


def test_the_page_lists_the_quarters_due_and_overdue_for_anyone(client, lines):
    response = client.get(LIST, Q2_2026)

    rows = cells(response, "table tbody tr")
    assert response.status_code == 200
    assert [row[1:6] for row in rows] == [
        ["乙超市", "电子计价秤", "电子计价秤", "2026年1月5日", "已超期未检"],
        ["甲水果店", "电子计价秤", "电子计价秤", "2026年5月19日", "本季度到期检定"],
        ["丁小区", "民用水表", "水表", "2026年6月30日", "本季度到期轮换"],
    ]


def test_the_page_searches_by_owner(client, lines):
    rows = cells(client.get(LIST, {**Q2_2026, "q": "水果"}), "table tbody tr")

    assert [row[1] for row in rows] == ["甲水果店"]


@pytest.mark.parametrize("extra", [0, 60])
def test_the_page_is_paginated_with_a_fixed_number_of_queries(
    client, unit_a, lines, extra, django_assert_num_queries
):
    for _number in range(extra):
        RegisteredInstrumentFactory(unit=unit_a, owner__name="庚店", valid_until=dt.date(2026, 4, 2))

    # count, the page's rows (owner, type, unit, market joined)
    with django_assert_num_queries(2):
        response = client.get(LIST, Q2_2026)

    assert len(cells(response, "table tbody tr")) == min(3 + extra, 50)


def test_the_xlsx_has_the_same_rows(client, lines):
    response = client.get(reverse("public_instruments:due_list_xlsx"), Q2_2026)

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert [row[1] for row in values] == ["乙超市", "甲水果店", "丁小区"]
    assert values[0][5] == "已超期未检"
    assert values[1][6] == lines["due"].code
