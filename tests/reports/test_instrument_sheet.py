"""The workbook's 强检器具覆盖 sheet (issue 20): the register's coverage by domain and office on the
period's end, then reminders, scans, ratings and problems of the period, in the official layout (the
layout itself: test_official_layout.py, every sheet). Figures counted by hand."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.exporters import HEADER_ROW
from instruments.models import (
    InstrumentRating,
    InstrumentScan,
    OwnerReminder,
    ProblemReport,
    RegisteredInstrument,
)
from reports.builders import Period, build_workbook
from tests.clock import SHANGHAI
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.reports.conftest import table

pytestmark = pytest.mark.django_db

MAY = Period(date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 5, 31))


@pytest.fixture
def register(campaign_clock, unit_a, unit_b):
    """Registered on 1 April 2025: 甲地所 a scale valid until 19 April 2026 and one until 10 May 2025;
    乙地所 a scale never verified. Public use in May and in April."""
    valid = RegisteredInstrumentFactory(unit=unit_a)
    expiring = RegisteredInstrumentFactory(unit=unit_a, valid_until=dt.date(2025, 5, 10))
    unverified = RegisteredInstrumentFactory(unit=unit_b, verified_on=None, valid_until=None)
    RegisteredInstrument.objects.update(created_at=dt.datetime(2025, 4, 1, 9, 0, tzinfo=SHANGHAI))
    OwnerReminder.objects.create(instrument=expiring, kind="due", day=dt.date(2025, 4, 10))
    OwnerReminder.objects.create(instrument=expiring, kind="overdue", day=dt.date(2025, 5, 11))
    InstrumentScan.objects.create(instrument=valid, day=dt.date(2025, 4, 30), via_qr=True, agent="wechat")
    InstrumentScan.objects.create(instrument=valid, day=dt.date(2025, 5, 2), via_qr=True, agent="wechat")
    InstrumentScan.objects.create(
        instrument=unverified, day=dt.date(2025, 5, 3), via_qr=False, agent="desktop"
    )
    InstrumentRating.objects.create(instrument=unverified, score=1)
    InstrumentRating.objects.create(instrument=valid, score=4)
    ProblemReport.objects.create(instrument=unverified, text="没有检定标志")
    return valid, expiring, unverified


def test_the_sheet_counts_coverage_on_the_periods_end_and_public_use_in_the_period(
    register, campaign, unit_a, unit_b
):
    # The clock stands at 20 May: a period ending 31 May is counted as of 20 May (not yet come).
    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=MAY)))
    sheet = workbook["强检器具覆盖"]

    rows = table(sheet)  # openpyxl reads the rates back as floats
    assert sheet["A1"].value == f"{campaign.name} 强检器具覆盖"
    assert tuple(cell.value for cell in sheet[HEADER_ROW]) == (
        "分组",
        "检查领域/监管单位",
        "登记强检器具（台件）",
        "检定合格有效（台件）",
        "覆盖率%",
    )
    by_domain = {row[1]: row[2:5] for row in rows if row[0] == "按检查领域"}
    # 3 scales; on 20 May only the one valid until 2026 is valid: 1 / 3 = 33.3 %
    assert by_domain["电子计价秤"] == (3, 1, 33.3)
    assert by_domain["加油机"] == (0, 0, "—")
    assert next(row for row in rows if row[0] == "合计")[2:5] == (3, 1, 33.3)
    assert [row[1:5] for row in rows if row[0] == "按监管单位"] == [
        (unit_a.name, 2, 1, 50),
        (unit_b.name, 1, 0, 0),
    ]
    public = {row[1]: row[2] for row in rows if row[0] in ("", None) and row[1]}
    assert (
        public["已提醒使用单位（家）"] == 1
    )  # the reminder of 11 May; that of 10 April is before the period
    assert public["发出到期提醒（次）"] == 1
    assert public["扫码查询（次）"] == 2
    assert public["其中扫标签二维码（次）"] == 1
    assert public["群众评分（次）"] == 2
    assert public["平均评分"] == 2.5
    assert public["2 分及以下评分（次）"] == 1
    assert public["问题反映（件）"] == 1
    assert "按 2025-05-20 计算" in rows[-1][0]


def test_the_sheet_on_an_earlier_period_end_and_for_one_unit(register, campaign, unit_a):
    april = Period(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 4, 30))

    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=april, unit=unit_a)))
    rows = table(workbook["强检器具覆盖"])

    # On 30 April both of 甲地所's scales were valid; 乙地所's line is out of the unit's scope.
    assert [row[1:5] for row in rows if row[0] == "按监管单位"] == [(unit_a.name, 2, 2, 100)]
    public = {row[1]: row[2] for row in rows if row[0] in ("", None) and row[1]}
    assert (public["已提醒使用单位（家）"], public["扫码查询（次）"], public["群众评分（次）"]) == (1, 1, 0)
