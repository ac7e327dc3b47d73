"""Issue 16: the workbook in official-form layout, every sheet true to the report's period and unit, and
weekly reports with 本周新增 beside 累计. Workbooks are opened again with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.exporters import HEADER_ROW, display_width
from opinion.models import OpinionIncident
from reports.builders import build_workbook
from reports.figures import FLOWS
from tests.reports.conftest import PREVIOUS_WEEK, WEEK, figures, table


@pytest.fixture
def week_a(scope, campaign, unit_a, leader):
    return load_workbook(
        io.BytesIO(build_workbook(campaign, period=WEEK, unit=unit_a, preparer=leader.get_full_name()))
    )


# --- Layout and print setup -----------------------------------------------------------------------------


def test_every_sheet_has_the_title_row_and_the_official_lines(week_a, campaign, unit_a, leader):
    today = timezone.localdate()
    for sheet in week_a.worksheets:
        lines = [[c.value for c in sheet[row] if c.value] for row in (2, 3)]

        if sheet.title != "专项检查统计表":
            assert sheet["A1"].value == f"{campaign.name} {sheet.title}"
        assert sheet["A1"].font.b
        assert sheet["A1"].font.sz == 16
        assert f"A1:{sheet.cell(HEADER_ROW, sheet.max_column).column_letter}1" in {
            str(r) for r in sheet.merged_cells.ranges
        }, sheet.title
        assert lines == [
            [f"填报单位：{unit_a.name}", "统计期间：2025-05-12 至 2025-05-18"],
            [f"填表人：{leader.get_full_name()}", "审核人：", f"填报日期：{today}"],
        ], sheet.title
    assert week_a["专项检查统计表"]["A1"].value == "民生计量专项检查情况统计表"


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_titles_and_page_numbers(week_a):
    for sheet in week_a.worksheets:
        setup = sheet.page_setup

        assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert sheet.freeze_panes in ("A5", "B5")
    assert week_a["检查记录"].freeze_panes == "B5"  # the date stays in view while scrolling sideways


def test_columns_are_wide_enough_for_their_chinese_headers_on_two_lines(week_a):
    for sheet in week_a.worksheets:
        for cell in sheet[HEADER_ROW]:
            if not cell.value:
                continue
            width = sheet.column_dimensions[cell.column_letter].width
            # Chinese characters are two columns wide; a header may wrap once (its style wraps text).
            assert width >= display_width(cell.value) / 2 + 1, (sheet.title, cell.value, width)
            assert cell.alignment.wrap_text
    assert week_a["检查记录"].column_dimensions["C"].width >= display_width("被检查单位") + 2


def test_statistics_table_has_its_official_columns_total_row_and_rate_footnote(week_a):
    sheet = week_a["专项检查统计表"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    rows = table(sheet)

    assert headers[:4] == ["检查领域", "出动人次", "检查单位（家）", "检查器具（台件）"]
    assert headers[-3:] == ["罚没款合计（万元）", "移送公安", "备注"]
    assert len(headers) == 22
    [total] = [row for row in rows if row[0] == "合计"]
    assert total[headers.index("出动人次")] == 3
    [note] = [row[0] for row in rows if isinstance(row[0], str) and row[0].startswith("注：")]
    assert "受检率" in note
    assert "合格率" in note
    assert "待审核记录 1 条" in note


# --- Period and unit, sheet by sheet --------------------------------------------------------------------


def test_record_sheets_list_only_the_units_approved_records_of_the_period(week_a):
    assert [row[4] for row in table(week_a["微站活动"])] == ["甲本周"]
    assert [row[2] for row in table(week_a["宣传活动"])] == ["甲本周"]
    assert [row[2] for row in table(week_a["信息报送"])] == ["甲本周"]
    assert [row[2] for row in table(week_a["检查记录"])] == ["甲本周商行"]
    assert sorted(row[4] for row in table(week_a["受检计量器具"])) == ["甲本周-1", "甲本周-2"]
    assert [row[1] for row in table(week_a["舆情"])] == ["甲本周"]
    assert len(table(week_a["服务中小企业"])) == 1


def test_roster_sheets_keep_to_the_unit(week_a, unit_a):
    assert [row[0] for row in table(week_a["微站"])] == ["甲站"]
    # 甲站: its approved activity of the week, and the submitted one beside it.
    assert table(week_a["微站"])[0][9:11] == (1, 1)
    assert [row[1] for row in table(week_a["宣传员"])] == ["甲宣传员"]  # after its 志愿者编号
    assert [row[0] for row in table(week_a["任务完成情况"])] == [unit_a.name]


def test_choice_columns_are_written_as_their_chinese_labels(week_a):
    record = table(week_a["检查记录"])[0]
    instrument = table(week_a["受检计量器具"])[0]

    assert (record[1], record[30], record[31]) == ("电子计价秤（集贸市场/商超）", "已检查", "已通过")
    assert (instrument[9], instrument[13]) == ("合格", "合格有效")


def test_overview_of_the_week_for_one_unit_against_hand_counts(week_a):
    counted = figures(week_a)

    # One approved record of unit A in the week; 累计 adds the week before (not the week after).
    assert counted["微站活动（场）"] == (1, 2, 1)
    assert counted["微站活动覆盖（人次）"][:2] == (10, 20)
    assert counted["线下活动（场）"] == (1, 2, 1)
    assert counted["参与群众（人次）"][:2] == (100, 200)
    assert counted["报送（条）"] == (1, 2, 1)
    assert counted["出动人次"] == (3, 6, 1)
    assert counted["检查器具（台件）"][:2] == (2, 4)
    assert counted["服务企业（次）"] == (1, 2, 1)
    assert counted["检定校准器具（台件）"][:2] == (4, 8)
    assert counted["发现舆情（起）"][:2] == (1, 2)
    assert counted["已建成（揭牌运行）"][:2] == ("—", 1)


def test_a_report_for_every_unit_adds_the_other_units_records(scope, campaign):
    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=WEEK)))

    assert sorted(row[4] for row in table(workbook["微站活动"])) == ["乙本周", "甲本周"]
    assert figures(workbook)["出动人次"] == (6, 9, 1)
    assert workbook["总览"]["A2"].value == "填报单位：巫山县市场监督管理局"


# --- Weekly: 本周新增 beside 累计 --------------------------------------------------------------------------


def test_weekly_overview_names_its_new_and_cumulative_columns(week_a):
    assert [c.value for c in week_a["总览"][HEADER_ROW]] == ["工作", "指标", "本周新增", "累计", "待审核"]


def test_this_weeks_new_plus_last_weeks_total_is_this_weeks_total(scope, campaign, unit_a):
    for unit in (unit_a, None):
        this = figures(load_workbook(io.BytesIO(build_workbook(campaign, period=WEEK, unit=unit))))
        last = figures(load_workbook(io.BytesIO(build_workbook(campaign, period=PREVIOUS_WEEK, unit=unit))))

        for key, _section, label, _kind in FLOWS:
            if key == "inspection_parties":
                continue  # a party inspected in both weeks counts once in 累计
            new, total, _pending = this[label]
            assert Decimal(str(new)) + Decimal(str(last[label][1])) == Decimal(str(total)), (unit, label)
        assert this["微站活动（场）"][0] > 0  # the identity is not 0 + 0 = 0


def test_weekly_schedule_asks_for_the_seven_days_up_to_friday(campaign):
    from reports import services

    friday = dt.date(2025, 5, 23)
    [report] = services.reports_schedule_weekly(today=friday)

    assert (report.date_from, report.date_to, report.week_from) == (
        dt.date(2025, 5, 17),
        friday,
        dt.date(2025, 5, 17),
    )


def test_incidents_of_another_unit_or_period_never_reach_the_sheet(week_a):
    assert OpinionIncident.objects.count() == 4
    assert len(table(week_a["舆情"])) == 1
