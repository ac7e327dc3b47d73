"""The summary workbook, opened again with openpyxl: sheets, headers, totals, escaping, times."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from io import StringIO
from typing import Any, ClassVar

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.models import Target, TaskAssignment
from campaigns.selectors import target_progress, timeliness_by_unit
from core import exporters
from core.exporters import SheetContext, SheetExporter
from microstations.models import MicroStation, StationActivity
from records.models import ReviewStatus
from reports.builders import Period, build_workbook
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory
from tests.publicity.factories import AdoptionFactory, NewsItemFactory

Status = TaskAssignment.Status
FORMULA_NAME = '=HYPERLINK("x")'
PERIOD = Period(dt.date(2025, 5, 1), dt.date(2025, 5, 31))
# In the registry's order (core.exporters): the overview and tasks, then each workstream's sheets.
SHEETS = [
    "总览",
    "任务完成情况",
    "专项检查统计表",
    "检查记录",
    "微站",
    "微站活动",
    "宣传员",
    "宣传活动",
    "信息报送",
    "舆情",
    "服务中小企业",
]


@pytest.fixture
def records(campaign, unit_a, unit_b) -> dict[str, Any]:
    """A small campaign whose every figure is known: stations, activities, volunteers, tasks, targets."""
    opened = MicroStationFactory(
        campaign=campaign, name="民生计量科普宣传服务微站（高唐营业厅）", supervising_unit=unit_a, opened=True
    )
    planned = MicroStationFactory(campaign=campaign, name=FORMULA_NAME, supervising_unit=unit_b)
    # In May an approved activity (counted) and a submitted one (待审核, not counted); one after the period.
    StationActivityFactory(
        station=opened, date=dt.date(2025, 5, 20), people_reached=120, materials_distributed=80,
        title="+86 计量热线宣传", review_status=ReviewStatus.APPROVED,
    )  # fmt: skip
    StationActivityFactory(
        station=planned, date=dt.date(2025, 5, 10), people_reached=30, materials_distributed=10,
        review_status=ReviewStatus.SUBMITTED,
    )  # fmt: skip
    StationActivityFactory(
        station=opened, date=dt.date(2025, 6, 10), people_reached=999, materials_distributed=999,
        review_status=ReviewStatus.APPROVED,
    )  # fmt: skip
    VolunteerFactory(campaign=campaign, station=opened, name="王宣传", phone="13812345678")
    VolunteerFactory(campaign=campaign, station=opened, name="李小小", phone="13900001111", junior=True)
    VolunteerFactory(campaign=campaign, station=planned, name="赵离岗", phone="13700002222", is_active=False)

    today = timezone.localdate()
    past, future = today - dt.timedelta(days=5), today + dt.timedelta(days=5)
    finished_on_time = timezone.now() - dt.timedelta(days=6)
    for unit, title, due, status, completed in [
        (unit_a, "按时完成的任务", past, Status.DONE, finished_on_time),
        (unit_a, "逾期完成的任务", past - dt.timedelta(days=5), Status.DONE, timezone.now()),
        (unit_a, "逾期未完成的任务", past, Status.ACKNOWLEDGED, None),
        (unit_b, "未到期的任务", future, Status.PENDING, None),
        (unit_b, "逾期未签收的任务", past, Status.PENDING, None),
    ]:
        task = TaskFactory(campaign=campaign, title=title, due_date=due)
        TaskAssignmentFactory(task=task, unit=unit, status=status, completed_at=completed)

    Target.objects.create(campaign=campaign, metric="microstations.stations_opened", label="建成微站", goal=9)
    Target.objects.create(campaign=campaign, metric="volunteers.recruited", label="招募宣传员", goal=4)
    Target.objects.create(campaign=campaign, metric="nobody.counts.this", label="尚未接入的指标", goal=5)
    return {"opened": opened, "planned": planned}


@pytest.fixture
def workbook_bytes(records, campaign) -> bytes:
    return build_workbook(campaign, period=PERIOD)


@pytest.fixture
def workbook(workbook_bytes):
    return load_workbook(io.BytesIO(workbook_bytes))


def rows(sheet) -> list[tuple[Any, ...]]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]


def row_starting(sheet, label: str) -> tuple[Any, ...]:
    """The one row whose first cell is `label` or, failing that, starts with it."""
    candidates = [row for row in rows(sheet) if isinstance(row[0], str) and row[0].startswith(label)]
    exact = [row for row in candidates if row[0] == label]
    [row] = exact or candidates
    return row


def every_value(workbook) -> list[Any]:
    return [
        value for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    ]


# --- Shape ----------------------------------------------------------------------------------------------


def test_the_workbook_has_its_sheets_in_order(workbook):
    assert workbook.sheetnames == SHEETS


def test_every_sheet_has_a_frozen_styled_chinese_header_row(workbook):
    headers = {sheet.title: [c.value for c in sheet[1]] for sheet in workbook.worksheets}

    assert headers["任务完成情况"] == [
        "责任单位", "任务数", "按时完成", "逾期完成", "逾期未完成", "未到期未完成", "尚未签收",
    ]  # fmt: skip
    assert headers["微站"] == [
        "微站名称", "牌匾编号", "承建单位/场所", "场所类型", "乡镇/街道", "地址", "联系市场监管所", "建设进度",
        "揭牌日期", "活动场次（已通过）", "待审核活动",
    ]  # fmt: skip
    assert headers["微站活动"] == [
        "活动日期", "微站", "填报单位", "主题", "活动名称", "覆盖人数", "发放资料（份）", "参加宣传员（人）", "审核状态",
    ]  # fmt: skip
    assert headers["宣传员"] == [
        "姓名",
        "类别",
        "群体",
        "联系电话",
        "工作单位/学校",
        "所属微站",
        "招募日期",
        "在岗",
    ]
    assert headers["总览"][:2] == ["项目", "内容"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1] if cell.value), sheet.title


def test_columns_have_widths_and_dates_a_date_format(workbook):
    overview, activities = workbook["总览"], workbook["微站活动"]

    assert (overview.column_dimensions["A"].width, overview.column_dimensions["B"].width) == (24, 40)
    assert activities.column_dimensions["E"].width >= 10
    assert activities["A2"].number_format == "yyyy-mm-dd"
    assert workbook["微站"]["I2"].number_format == "yyyy-mm-dd"


# --- Figures --------------------------------------------------------------------------------------------


def test_overview_targets_are_the_selectors_figures(workbook, campaign):
    sheet_rows = rows(workbook["总览"])
    start = sheet_rows.index(row_starting(workbook["总览"], "目标"))
    expected = [
        (p.target.label, p.target.goal, "未接入统计" if p.actual is None else p.actual, p.percent)
        for p in target_progress(campaign=campaign)
    ]

    written = [tuple(row[:4]) for row in sheet_rows[start + 1 : start + 1 + len(expected)]]

    assert written == expected
    assert written == [
        ("建成微站", 9, 1, 11),
        ("招募宣传员", 4, 2, 50),
        ("尚未接入的指标", 5, "未接入统计", 0),
    ]


def test_overview_station_activity_and_volunteer_totals(workbook):
    overview = workbook["总览"]

    assert row_starting(overview, "微站")[:5] == ("微站", "已建（揭牌运行）", 1, "登记总数", 2)
    # Only the period's approved activities: 20 May; not 10 May (submitted, not yet approved), not 10 June.
    assert row_starting(overview, "微站活动")[2:5] == (1, "覆盖人次", 120)
    assert row_starting(overview, "宣传员")[:5] == ("宣传员", "义务宣传员", 1, "小小宣传员", 1)
    # The first 发放资料 row is the stations' (the publicity section has its own below it).
    materials = next(row for row in rows(overview) if row[1] == "发放资料（份）")
    assert materials[2] == 80


def test_overview_task_totals_equal_timeliness_by_unit(workbook, campaign):
    by_unit = timeliness_by_unit(campaign=campaign, today=timezone.localdate())
    overview = workbook["总览"]
    tasks_row = row_starting(overview, "任务")
    [late_row] = [row for row in rows(overview) if row[1] == "逾期未完成"]

    totals = {
        key: sum(row[key] for row in by_unit)
        for key in ("done_on_time", "done_late", "overdue", "unacknowledged")
    }
    assert (tasks_row[2], tasks_row[4], late_row[2], late_row[4]) == (
        totals["done_on_time"],
        totals["done_late"],
        totals["overdue"],
        totals["unacknowledged"],
    )
    assert totals == {"done_on_time": 1, "done_late": 1, "overdue": 2, "unacknowledged": 2}


def test_timeliness_sheet_is_timeliness_by_unit_row_for_row(workbook, campaign):
    expected = [
        (
            r["unit__name"],
            r["total"],
            r["done_on_time"],
            r["done_late"],
            r["overdue"],
            r["open"],
            r["unacknowledged"],
        )
        for r in timeliness_by_unit(campaign=campaign, today=timezone.localdate())
    ]

    assert rows(workbook["任务完成情况"])[1:] == expected
    assert expected == [("甲地市场监管所", 3, 1, 1, 1, 0, 0), ("乙地市场监管所", 2, 0, 0, 1, 1, 2)]


def test_activity_sheet_lists_only_the_periods_approved_activities(workbook):
    dates = [row[0].date() for row in rows(workbook["微站活动"])[1:]]

    # Not 10 May (submitted: it awaits review) nor 10 June (after the period).
    assert dates == [dt.date(2025, 5, 20)]


def test_station_sheet_counts_each_stations_approved_activities_with_pending_beside(workbook, records):
    stations = {row[0]: row for row in rows(workbook["微站"])[1:]}

    stage, opened_on, activities, pending = stations[records["opened"].name][7:]
    assert (stage, opened_on.date(), activities, pending) == ("已揭牌运行", dt.date(2025, 5, 16), 1, 0)
    assert stations[FORMULA_NAME][7] == str(MicroStation.Stage.PLANNED.label)
    assert stations[FORMULA_NAME][9:] == (0, 1)


def test_overview_shows_pending_beside_the_counted_figures(workbook):
    activities = row_starting(workbook["总览"], "微站活动")

    assert activities[2:] == (1, "覆盖人次", 120, "待审核", 1)


# --- Safety ---------------------------------------------------------------------------------------------


def test_volunteer_phones_are_masked(workbook):
    phones = [row[3] for row in rows(workbook["宣传员"])[1:]]
    values = [str(value) for value in every_value(workbook)]

    assert sorted(phones) == ["137****2222", "138****5678", "139****1111"]
    assert not any(number in value for value in values for number in ("13812345678", "13900001111"))


def test_text_that_looks_like_a_formula_stays_text(workbook, workbook_bytes):
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+"))
    ]

    assert {cell.value for cell in cells} == {FORMULA_NAME, "+86 计量热线宣传"}
    assert {cell.data_type for cell in cells} == {"s"}
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    assert "<f>" not in xml
    assert "<f " not in xml


def test_times_are_written_in_shanghai_time_without_a_time_zone(workbook):
    generated = row_starting(workbook["总览"], "生成时间")[1]

    assert isinstance(generated, dt.datetime)
    assert generated.tzinfo is None
    shanghai_now = timezone.localtime().replace(tzinfo=None)
    assert abs(shanghai_now - generated) < dt.timedelta(minutes=2)


def test_an_empty_campaign_still_makes_a_workbook_with_zero_totals(db):
    empty = CampaignFactory(year=2030)

    workbook = load_workbook(io.BytesIO(build_workbook(empty)))

    assert workbook.sheetnames == SHEETS
    assert row_starting(workbook["总览"], "微站活动")[2:5] == (0, "覆盖人次", 0)
    assert rows(workbook["任务完成情况"])[1:] == []


# --- manage.py build_report -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["weekly", "final"])
def test_build_report_writes_a_readable_workbook(records, campaign, tmp_path, kind):
    out = tmp_path / f"{kind}.xlsx"
    stdout = StringIO()

    call_command("build_report", "--kind", kind, "--out", str(out), stdout=stdout)

    assert stdout.getvalue().strip() == f"wrote {out}"
    workbook = load_workbook(out)
    assert workbook.sheetnames == SHEETS
    assert row_starting(workbook["总览"], "活动名称")[1] == campaign.name


def test_build_report_for_a_final_report_counts_up_to_the_campaigns_end(records, campaign, tmp_path):
    out = tmp_path / "final.xlsx"

    call_command("build_report", "--kind", "final", "--year", "2025", "--out", str(out), stdout=StringIO())

    overview = load_workbook(out)["总览"]
    assert row_starting(overview, "统计期间")[1] == "活动开始 至 2025-06-30"
    # Approved activities up to the campaign's end: 20 May and 10 June (the submitted one waits for review).
    assert row_starting(overview, "微站活动")[2:5] == (2, "覆盖人次", 1119)


def test_build_report_without_a_campaign_fails_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="no campaign"):
        call_command("build_report", "--out", str(tmp_path / "x.xlsx"))

    assert not (tmp_path / "x.xlsx").exists()


# --- The registry -----------------------------------------------------------------------------------------


def test_the_builder_lists_a_registered_sheet_in_its_order(records, campaign, monkeypatch):
    class Extra(SheetExporter):
        identifier = "tests.extra"
        title = "附加表"
        order = 16
        headers: ClassVar[list[str]] = ["名称", "数量"]

        def rows(self, context: SheetContext) -> Iterator[list[Any]]:
            yield [context.campaign.name, 1]

    monkeypatch.setitem(exporters._registry, Extra.identifier, Extra)

    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))

    assert workbook.sheetnames == [*SHEETS[:2], "附加表", *SHEETS[2:]]
    assert rows(workbook["附加表"]) == [("名称", "数量"), (campaign.name, 1)]


def test_the_workbook_is_exactly_the_registered_sheets(workbook):
    assert workbook.sheetnames == [sheet.title for sheet in exporters.registered()]


# --- Official figures: approved only, pending beside ------------------------------------------------------


def overview_figures(workbook) -> list[tuple[Any, ...]]:
    """The overview's figures with the 待审核 columns and the generation time left out."""
    return [row[:5] for row in rows(workbook["总览"]) if row[0] != "生成时间"]


def test_submitted_and_returned_activities_change_no_overview_figure_until_approved(
    records, campaign, workbook
):
    for status in (ReviewStatus.SUBMITTED, ReviewStatus.RETURNED):
        StationActivityFactory(
            station=records["opened"], date=dt.date(2025, 5, 12), people_reached=500, review_status=status
        )

    waiting = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))

    assert overview_figures(waiting) == overview_figures(workbook)
    assert row_starting(waiting["总览"], "微站活动")[5:] == ("待审核", 2)  # 10 May's and 12 May's
    StationActivity.objects.filter(date=dt.date(2025, 5, 12)).update(review_status=ReviewStatus.APPROVED)
    approved = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))
    assert row_starting(approved["总览"], "微站活动")[2:] == (3, "覆盖人次", 1120, "待审核", 1)


def test_a_report_for_one_unit_covers_that_unit_only(records, campaign, unit_a):
    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD, unit=unit_a)))
    overview = workbook["总览"]

    assert row_starting(overview, "统计单位")[1] == unit_a.name
    assert row_starting(overview, "微站")[:5] == ("微站", "已建（揭牌运行）", 1, "登记总数", 1)
    assert row_starting(overview, "微站活动")[2:] == (1, "覆盖人次", 120, "待审核", 0)
    assert [row[0] for row in rows(workbook["任务完成情况"])[1:]] == [unit_a.name]
    assert [row[0] for row in rows(workbook["微站"])[1:]] == [records["opened"].name]


def test_overview_counts_approved_news_and_adoptions_with_pending_beside(records, campaign, unit_a):
    adopted = NewsItemFactory(campaign=campaign, unit=unit_a, approved=True)
    AdoptionFactory(news_item=adopted)
    NewsItemFactory(campaign=campaign, unit=unit_a, approved=True)
    NewsItemFactory(campaign=campaign, unit=unit_a, review_status=ReviewStatus.SUBMITTED)
    NewsItemFactory(campaign=campaign, unit=unit_a, review_status=ReviewStatus.RETURNED)

    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))

    assert row_starting(workbook["总览"], "信息报送")[1:] == ("报送（条）", 2, "被采用（条）", 1, "待审核", 1)
