"""民生计量专项检查情况统计表 in Chromium: the table with its 21 columns, the approved records' figures
(hand-computed here, a half-way rate rounded half-up), the submitted one shown beside as 待审核 and not
counted, the footnote stating both rate formulas, a date filter, and the .xlsx export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from inspections.models import Domain, InspectionRecord
from inspections.selectors import STATISTICS_COLUMNS
from organizations.roles import Role
from records.models import ReviewStatus
from tests.factories import PASSWORD, CampaignFactory, UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory, InspectionFactory

INSPECTED_RATE_FORMULA = "受检率 =（合格有效 + 检定不合格）÷ 强检器具 × 100%"
PASS_RATE_FORMULA = "合格率 = 合格有效 ÷ 强检器具 × 100%"


@pytest.fixture
def office(transactional_db: None) -> Any:
    CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    unit = UnitFactory(name="龙门市场监管所")
    clerk = UserFactory(username="longmen", unit=unit, roles=[Role.OFFICE])
    market = EnterpriseFactory(name="巫山县龙门农贸市场")
    # Approved: 16 强检 scales of 20 checked; 13 unverified, 1 overdue, 1 failed, so 1 合格有效:
    # 受检率 (1 + 1) / 16 = 12.5 %, 合格率 1 / 16 = 6.25 % → 6.3 (half-up; half-even would give 6.2).
    InspectionFactory(
        unit=unit,
        created_by=clerk,
        inspected_party=market,
        domain=Domain.SCALES,
        date=dt.date(2025, 5, 20),
        staff_turnout=3,
        instruments_checked=20,
        mandatory_count=16,
        unverified_count=13,
        overdue_count=1,
        failed_count=1,
        review_status=ReviewStatus.APPROVED,
    )
    # Submitted, not yet approved: shown as 待审核 1, never counted.
    InspectionFactory(
        unit=unit,
        created_by=clerk,
        inspected_party=EnterpriseFactory(name="巫山县佳惠超市有限公司"),
        domain=Domain.SCALES,
        date=dt.date(2025, 5, 21),
        staff_turnout=5,
        instruments_checked=40,
        mandatory_count=40,
        review_status=ReviewStatus.SUBMITTED,
    )
    return clerk


def row_cells(page: Any, domain: str) -> list[str]:
    row = page.locator(f"[data-testid=statistics] tbody tr[data-domain='{domain}']")
    return row.locator("td").all_inner_texts()


def test_the_statistics_page_shows_the_table_and_the_rate_formulas(login, live_server, office, tmp_path):
    assert InspectionRecord.objects.filter(review_status=ReviewStatus.APPROVED).count() == 1
    assert InspectionRecord.objects.filter(review_status=ReviewStatus.SUBMITTED).count() == 1

    page = login("longmen", PASSWORD)
    page.goto(f"{live_server.url}/workbench/inspections/statistics/")
    assert page.locator("h1").inner_text() == "民生计量专项检查情况统计表"

    headers = page.locator("[data-testid=statistics] thead th").all_inner_texts()
    assert headers == ["检查领域", *STATISTICS_COLUMNS]
    assert len(STATISTICS_COLUMNS) == 21
    # Six domains and 合计, in the county's order.
    domains = page.locator("[data-testid=statistics] tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.domain)"
    )
    assert domains == [*Domain.values, "total"]

    scales = dict(zip(STATISTICS_COLUMNS, row_cells(page, Domain.SCALES), strict=True))
    assert {title: scales[title] for title in STATISTICS_COLUMNS[:9]} == {
        "出动人次": "3",
        "检查单位（家）": "1",
        "检查器具（台件）": "20",
        "其中强检器具": "16",
        "未检定": "13",
        "超期未检": "1",
        "检定不合格": "1",
        "受检率%": "12.5",
        "合格率%": "6.3",
    }
    total = dict(zip(STATISTICS_COLUMNS, row_cells(page, "total"), strict=True))
    assert (total["检查器具（台件）"], total["受检率%"], total["合格率%"]) == ("20", "12.5", "6.3")
    # A domain without records: zero counts, and no rate without 强检 instruments.
    fuel = dict(zip(STATISTICS_COLUMNS, row_cells(page, Domain.FUEL), strict=True))
    assert (fuel["检查器具（台件）"], fuel["受检率%"], fuel["合格率%"]) == ("0", "—", "—")

    assert page.locator("[data-testid=pending]").inner_text() == "待审核 1"
    footnote = page.locator("[data-testid=statistics-footnote]").inner_text()
    assert INSPECTED_RATE_FORMULA in footnote
    assert PASS_RATE_FORMULA in footnote
    assert "仅计已审核通过的检查记录" in footnote

    # The export gives the same table as an .xlsx.
    with page.expect_download() as info:
        page.click("[data-testid=export-statistics]")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / "statistics.xlsx"
    download.save_as(target)
    workbook = load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    text = {str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c is not None}
    assert any(INSPECTED_RATE_FORMULA in cell for cell in text)
    assert page.console_errors == []


def test_a_date_filter_leaves_the_approved_record_out(login, live_server, office):
    page = login("longmen", PASSWORD)
    page.goto(f"{live_server.url}/workbench/inspections/statistics/")
    page.locator("details.filters summary").click()
    # An office gets its own unit whatever it asks: no unit filter is offered.
    assert page.get_by_label("检查单位", exact=True).count() == 0
    page.get_by_label("开始日期").fill("2025-05-21")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()

    assert "date_from=2025-05-21" in page.url
    scales = dict(zip(STATISTICS_COLUMNS, row_cells(page, Domain.SCALES), strict=True))
    assert (scales["检查器具（台件）"], scales["受检率%"], scales["合格率%"]) == ("0", "—", "—")
    assert page.locator("[data-testid=pending]").inner_text() == "待审核 1"  # the 21 May one still waits
    assert "2025年5月21日 至 —" in page.locator("hgroup p").inner_text()
    assert page.console_errors == []
