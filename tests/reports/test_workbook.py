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
from core.exporters import HEADER_ROW, SheetContext, SheetExporter
from microstations.models import MicroStation, StationActivity
from publicity.models import NewsItem
from records.models import ReviewStatus
from reports.builders import Period, build_workbook
from reports.figures import SECTIONS as SECTIONS_ORDER
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
    "受检计量器具",
    "强检器具覆盖",
    "微站",
    "微站触达",
    "微站活动",
    "宣传员",
    "宣传活动",
    "信息报送",
    "舆情",
    "服务中小企业",
    "报送及时率",
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

    # Task states are counted as of the period's end (reports.figures.report_as_of): date them from it.
    today = PERIOD.date_to
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    past, future = today - dt.timedelta(days=5), today + dt.timedelta(days=5)
    finished_on_time = now - dt.timedelta(days=6)
    for unit, title, due, status, completed in [
        (unit_a, "按时完成的任务", past, Status.DONE, finished_on_time),
        (unit_a, "逾期完成的任务", past - dt.timedelta(days=5), Status.DONE, now),
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
    """The table: its header row, then the non-empty data rows (the official lines above are left out)."""
    table = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
    return [row for row in table if any(v not in (None, "") for v in row)]


def figure(overview, label: str) -> tuple[Any, ...]:
    """The overview's (本期, 累计, 待审核) of one figure, found by its label."""
    [row] = [row for row in rows(overview)[1:] if row[0] in SECTIONS_ORDER and row[1] == label]
    return row[2:5]


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
    headers = {sheet.title: [c.value for c in sheet[HEADER_ROW]] for sheet in workbook.worksheets}

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
        "志愿者编号",
        "姓名",
        "类别",
        "群体",
        "联系电话",
        "工作单位/学校",
        "所属微站",
        "招募日期",
        "在岗",
    ]
    assert headers["总览"] == ["工作", "指标", "本期", "累计", "待审核"]
    for sheet in workbook.worksheets:
        # The records sheet also keeps its date column in view.
        assert sheet.freeze_panes == ("B5" if sheet.title == "检查记录" else "A5"), sheet.title
        assert all(cell.font.b for cell in sheet[HEADER_ROW] if cell.value), sheet.title


def test_columns_have_widths_and_dates_a_date_format(workbook):
    overview, activities = workbook["总览"], workbook["微站活动"]

    assert (overview.column_dimensions["A"].width, overview.column_dimensions["B"].width) == (16, 26)
    assert activities.column_dimensions["E"].width >= 10
    assert activities["A5"].number_format == "yyyy-mm-dd"
    [opened_on] = [c for c in workbook["微站"]["I"][HEADER_ROW:] if c.value is not None]
    assert opened_on.number_format == "yyyy-mm-dd"


# --- Figures --------------------------------------------------------------------------------------------


def test_overview_targets_are_the_selectors_figures(workbook, campaign):
    sheet_rows = rows(workbook["总览"])
    start = sheet_rows.index(row_starting(workbook["总览"], "目标"))
    expected = [
        (p.target.label, p.target.goal, "未接入统计" if p.actual is None else p.actual, p.percent)
        for p in target_progress(campaign=campaign)
    ]

    written = [tuple(row[1:5]) for row in sheet_rows[start + 1 : start + 1 + len(expected)]]

    assert written == expected
    assert written == [
        ("建成微站", 9, 1, 11),
        ("招募宣传员", 4, 2, 50),
        ("尚未接入的指标", 5, "未接入统计", 0),
    ]


def test_overview_station_activity_and_volunteer_totals(workbook):
    overview = workbook["总览"]

    assert figure(overview, "已建成（揭牌运行）")[:2] == ("—", 1)
    assert figure(overview, "登记微站（个）")[:2] == ("—", 2)
    # Only the period's approved activities: 20 May; not 10 May (submitted, not yet approved), not 10 June.
    assert figure(overview, "微站活动（场）") == (1, 1, 1)
    assert figure(overview, "微站活动覆盖（人次）")[:2] == (120, 120)
    assert figure(overview, "微站发放资料（份）")[:2] == (80, 80)
    assert figure(overview, "义务宣传员（人）")[:2] == ("—", 1)
    assert figure(overview, "小小宣传员（人）")[:2] == ("—", 1)


def test_overview_task_totals_equal_timeliness_by_unit(records, campaign):
    # A report up to today: its task states are today's.
    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=Period(dt.date(2025, 5, 1)))))
    by_unit = timeliness_by_unit(campaign=campaign, today=timezone.localdate())
    overview = workbook["总览"]

    totals = {
        key: sum(row[key] for row in by_unit)
        for key in ("done_on_time", "done_late", "overdue", "unacknowledged")
    }
    written = [figure(overview, label)[1] for label in ("按时完成", "逾期完成", "逾期未完成", "尚未签收")]
    assert written == [totals[key] for key in ("done_on_time", "done_late", "overdue", "unacknowledged")]
    # By today the task due five days after May's end is overdue too (as of May's end it was not).
    assert totals == {"done_on_time": 1, "done_late": 1, "overdue": 3, "unacknowledged": 2}


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
        # As the tasks stood at the period's end (reports.figures.report_as_of), not today.
        for r in timeliness_by_unit(campaign=campaign, today=min(PERIOD.date_to, timezone.localdate()))
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
    # 1 approved in May (counted), 1 submitted in May (待审核, beside it, not added in).
    assert figure(workbook["总览"], "微站活动（场）") == (1, 1, 1)


# --- Safety ---------------------------------------------------------------------------------------------


def test_volunteer_phones_are_masked(workbook):
    phones = [row[4] for row in rows(workbook["宣传员"])[1:]]  # after 志愿者编号, 姓名, 类别, 群体
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


def test_times_are_written_in_shanghai_time_without_a_time_zone(campaign, unit_a):
    item = NewsItemFactory(campaign=campaign, unit=unit_a, approved=True)
    # 23:30 UTC on 19 May is 07:30 on 20 May in Shanghai.
    NewsItem.objects.filter(pk=item.pk).update(created_at=dt.datetime(2025, 5, 19, 23, 30, tzinfo=dt.UTC))

    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))

    [written] = [row[0] for row in rows(workbook["信息报送"])[1:]]
    assert written == dt.datetime(2025, 5, 20, 7, 30)  # noqa: DTZ001 (Excel's wall-clock time has no zone)
    assert written.tzinfo is None


def test_an_empty_campaign_still_makes_a_workbook_with_zero_totals(db):
    empty = CampaignFactory(year=2030)

    workbook = load_workbook(io.BytesIO(build_workbook(empty)))

    assert workbook.sheetnames == SHEETS
    assert figure(workbook["总览"], "微站活动（场）") == (0, 0, 0)
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
    assert workbook["总览"]["A1"].value == f"{campaign.name} 总览"


def test_build_report_for_a_final_report_counts_up_to_the_campaigns_end(records, campaign, tmp_path):
    out = tmp_path / "final.xlsx"

    call_command("build_report", "--kind", "final", "--year", "2025", "--out", str(out), stdout=StringIO())

    overview = load_workbook(out)["总览"]
    assert overview["A2"].value == "填报单位：巫山县市场监督管理局"
    assert "统计期间：2025-04-25 至 2025-06-30" in [c.value for c in overview[2]]
    # Approved activities up to the campaign's end: 20 May and 10 June (the submitted one waits for review).
    assert figure(overview, "微站活动（场）")[:2] == (2, 2)
    assert figure(overview, "微站活动覆盖（人次）")[:2] == (1119, 1119)


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
    assert workbook["附加表"]["A1"].value == f"{campaign.name} 附加表"


def test_the_workbook_is_exactly_the_registered_sheets(workbook):
    assert workbook.sheetnames == [sheet.title for sheet in exporters.registered()]


# --- Official figures: approved only, pending beside ------------------------------------------------------


def overview_figures(workbook) -> dict[str, tuple[Any, ...]]:
    """The overview's figures (本期, 累计) by label, the 待审核 column left out."""
    return {row[1]: row[2:4] for row in rows(workbook["总览"])[1:] if row[0] in SECTIONS_ORDER}


def test_submitted_and_returned_activities_change_no_overview_figure_until_approved(
    records, campaign, workbook
):
    for status in (ReviewStatus.SUBMITTED, ReviewStatus.RETURNED):
        StationActivityFactory(
            station=records["opened"], date=dt.date(2025, 5, 12), people_reached=500, review_status=status
        )

    waiting = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))

    assert overview_figures(waiting) == overview_figures(workbook)
    assert figure(waiting["总览"], "微站活动（场）")[2] == 2  # 10 May's and 12 May's
    StationActivity.objects.filter(date=dt.date(2025, 5, 12)).update(review_status=ReviewStatus.APPROVED)
    approved = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD)))
    assert figure(approved["总览"], "微站活动（场）") == (3, 3, 1)
    assert figure(approved["总览"], "微站活动覆盖（人次）")[:2] == (1120, 1120)


def test_a_report_for_one_unit_covers_that_unit_only(records, campaign, unit_a):
    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=PERIOD, unit=unit_a)))
    overview = workbook["总览"]

    assert overview["A2"].value == f"填报单位：{unit_a.name}"
    assert figure(overview, "已建成（揭牌运行）")[1] == 1
    assert figure(overview, "登记微站（个）")[1] == 1
    assert figure(overview, "微站活动（场）") == (1, 1, 0)
    assert [row[0] for row in rows(workbook["任务完成情况"])[1:]] == [unit_a.name]
    assert [row[0] for row in rows(workbook["微站"])[1:]] == [records["opened"].name]


def test_overview_counts_approved_news_and_adoptions_with_pending_beside(records, campaign, unit_a):
    adopted = NewsItemFactory(campaign=campaign, unit=unit_a, approved=True)
    AdoptionFactory(news_item=adopted)
    NewsItemFactory(campaign=campaign, unit=unit_a, approved=True)
    NewsItemFactory(campaign=campaign, unit=unit_a, review_status=ReviewStatus.SUBMITTED)
    NewsItemFactory(campaign=campaign, unit=unit_a, review_status=ReviewStatus.RETURNED)

    workbook = load_workbook(io.BytesIO(build_workbook(campaign)))

    assert figure(workbook["总览"], "报送（条）") == (2, 2, 1)
    assert figure(workbook["总览"], "被采用（条）")[:2] == (1, 1)


def test_overview_task_states_are_as_of_the_period_end_not_today(db, campaign, unit_a):
    """A report for May counts May's overdue work: a task due in June is not overdue in it (issue 16)."""
    may_end = dt.date(2025, 5, 31)
    for title, due in [("五月到期", dt.date(2025, 5, 20)), ("六月到期", dt.date(2025, 6, 20))]:
        task = TaskFactory(campaign=campaign, title=title, due_date=due)
        TaskAssignmentFactory(task=task, unit=unit_a, status=Status.ACKNOWLEDGED)

    may = load_workbook(io.BytesIO(build_workbook(campaign, period=Period(dt.date(2025, 5, 1), may_end))))
    june = load_workbook(
        io.BytesIO(build_workbook(campaign, period=Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))))
    )

    assert figure(may["总览"], "逾期未完成")[1] == 1
    assert figure(june["总览"], "逾期未完成")[1] == 2
    as_of_may = timeliness_by_unit(campaign=campaign, today=may_end)
    assert sum(row["overdue"] for row in as_of_may) == 1
