"""The summary workbook. Every figure comes from the workstreams' selectors, the same ones the pages
and (later) the dashboard use, so the numbers agree wherever they are shown."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook

from campaigns.models import Campaign
from campaigns.selectors import target_progress, timeliness_by_unit
from core import spreadsheets as xl
from enterprises.importing import VISIT_FORMATS, VISIT_HEADERS, visit_rows
from enterprises.selectors import visit_totals, visits_counted
from inspections.selectors import STATISTICS_COLUMNS, inspection_statistics
from microstations.models import MicroStation, StationActivity
from microstations.selectors import station_summary
from organizations.privacy import mask_phone
from publicity.exports import (
    ACTIVITY_FORMATS,
    ACTIVITY_HEADERS,
    INCIDENT_FORMATS,
    INCIDENT_HEADERS,
    NEWS_FORMATS,
    NEWS_HEADERS,
    activity_rows,
    incident_rows,
    news_rows,
)
from publicity.models import NewsItem, OpinionIncident, PublicityActivity
from publicity.selectors import incident_counts, publicity_progress, with_deadlines
from volunteers.models import Volunteer
from volunteers.selectors import volunteer_summary

Progress = Callable[[int], None]
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Period:
    """The dates a report covers; an open end means "from the start" / "until now"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def filter(self, field: str) -> Q:
        q = Q()
        if self.date_from:
            q &= Q(**{f"{field}__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{field}__lte": self.date_to})
        return q


def _overview_rows(campaign: Campaign, period: Period, today: dt.date) -> Iterator[list[Any]]:
    yield ["活动名称", campaign.name]
    yield ["主题", campaign.theme]
    yield ["世界计量日", campaign.metrology_day]
    yield ["活动期间", f"{campaign.start_date or '—'} 至 {campaign.end_date or '—'}"]
    yield ["统计期间", f"{period.date_from or '活动开始'} 至 {period.date_to or today}"]
    yield ["生成时间", timezone.now()]
    yield []
    yield ["目标", "目标值", "完成", "完成率%"]
    for p in target_progress(campaign=campaign):
        yield [p.target.label, p.target.goal, "未接入统计" if p.actual is None else p.actual, p.percent]
    yield []
    stations = station_summary(campaign=campaign, date_from=period.date_from, date_to=period.date_to)
    volunteers = volunteer_summary(campaign=campaign)
    yield ["微站", "已建（揭牌运行）", stations["opened"], "登记总数", stations["stations"]]
    yield ["微站活动（已通过）", "场次", stations["activities"], "覆盖人次", stations["people"]]
    yield ["", "发放资料（份）", stations["materials"]]
    yield ["宣传员", "义务宣传员", volunteers["publicists"], "小小宣传员", volunteers["juniors"]]
    publicity = publicity_progress(
        user=None, campaign=campaign, date_from=period.date_from, date_to=period.date_to
    )
    yield ["宣传（已通过）", "线下活动（场）", publicity["offline"], "线上推送（条）", publicity["online"]]
    yield ["", "线上阅读（次）", publicity["views"], "参与群众（人次）", publicity["participants"]]
    yield ["", "发放资料（份）", publicity["materials"], "咨询（人次）", publicity["consultations"]]
    incidents = incident_counts(
        with_deadlines(OpinionIncident.objects.filter(campaign=campaign)), now=timezone.now()
    )
    inspection_total = inspection_statistics(
        campaign=campaign, date_from=period.date_from, date_to=period.date_to
    )[-1].cells()
    yield ["专项检查（合计）", "出动人次", inspection_total[0], "检查单位（家）", inspection_total[1]]
    yield ["", "检查器具（台件）", inspection_total[2], "发现问题", inspection_total[9]]
    yield ["", "立案", inspection_total[12], "罚没款合计（万元）", inspection_total[18]]
    visits = visit_totals(
        visits_counted(campaign=campaign, date_from=period.date_from, date_to=period.date_to)
    )
    yield ["服务中小企业", "服务次数", visits["count"], "解决问题", visits["solved"]]
    yield ["", "检定校准器具（台件）", visits["instruments"], "减免费用（元）", visits["fees_waived"]]
    yield ["舆情", "总数", incidents["total"], "已办结", incidents["closed"]]
    yield ["", "超时未报告", incidents["report_overdue"], "超时未回应", incidents["response_overdue"]]
    yield []
    rows = timeliness_by_unit(campaign=campaign, today=today)
    yield [
        "任务",
        "按时完成",
        sum(r["done_on_time"] for r in rows),
        "逾期完成",
        sum(r["done_late"] for r in rows),
    ]
    yield [
        "",
        "逾期未完成",
        sum(r["overdue"] for r in rows),
        "尚未签收",
        sum(r["unacknowledged"] for r in rows),
    ]


def _inspection_rows(campaign: Campaign, period: Period) -> Iterator[list[Any]]:
    for row in inspection_statistics(campaign=campaign, date_from=period.date_from, date_to=period.date_to):
        yield [row.label, *("—" if value is None else value for value in row.cells())]


def _timeliness_rows(campaign: Campaign, today: dt.date) -> Iterator[list[Any]]:
    for row in timeliness_by_unit(campaign=campaign, today=today):
        yield [
            row["unit__name"],
            row["total"],
            row["done_on_time"],
            row["done_late"],
            row["overdue"],
            row["open"],
            row["unacknowledged"],
        ]


def _station_rows(campaign: Campaign) -> Iterator[list[Any]]:
    stations = (
        MicroStation.objects.filter(campaign=campaign)
        .select_related("supervising_unit")
        .annotate(activity_count=Count("activities"))
        .order_by("township", "name")
    )
    for s in stations.iterator(chunk_size=1000):
        yield [
            s.name,
            s.plaque_no,
            s.host_name,
            s.get_station_type_display(),
            s.township,
            s.address,
            s.supervising_unit.name,
            s.get_stage_display(),
            s.opened_on,
            s.activity_count,
        ]


def _activity_rows(campaign: Campaign, period: Period) -> Iterator[list[Any]]:
    activities = (
        StationActivity.objects.filter(campaign=campaign)
        .filter(period.filter("date"))
        .select_related("station", "unit")
        .order_by("date", "pk")
    )
    for a in activities.iterator(chunk_size=2000):
        yield [
            a.date,
            a.station.name,
            a.unit.name,
            a.get_topic_display(),
            a.title,
            a.people_reached,
            a.materials_distributed,
            a.volunteers_present,
            a.get_review_status_display(),
        ]


def _volunteer_rows(campaign: Campaign) -> Iterator[list[Any]]:
    volunteers = (
        Volunteer.objects.filter(campaign=campaign)
        .select_related("station")
        .order_by("station__name", "name")
    )
    for v in volunteers.iterator(chunk_size=1000):
        yield [
            v.name,
            v.get_kind_display(),
            v.get_group_display(),
            mask_phone(v.phone),
            v.work_unit,
            v.station.name,
            v.recruited_on,
            v.is_active,
        ]


def build_workbook(
    campaign: Campaign, *, period: Period | None = None, progress: Progress | None = None
) -> bytes:
    """The .xlsx every report kind shares (write-only: memory stays flat whatever the row count)."""
    period = period or Period()
    today = timezone.localdate()
    report = progress or (lambda percent: None)
    workbook: Workbook = xl.new_workbook()
    sheets: list[
        tuple[str, list[str], Callable[[], Iterable[list[Any]]], dict[int, str], list[int] | None]
    ] = [
        (
            "总览",
            ["项目", "内容", "", "", ""],
            lambda: _overview_rows(campaign, period, today),
            {},
            [24, 40, 14, 14, 14],
        ),
        (
            "任务完成情况",
            ["责任单位", "任务数", "按时完成", "逾期完成", "逾期未完成", "未到期未完成", "尚未签收"],
            lambda: _timeliness_rows(campaign, today),
            {},
            None,
        ),
        (
            "微站",
            [
                "微站名称",
                "牌匾编号",
                "承建单位/场所",
                "场所类型",
                "乡镇/街道",
                "地址",
                "联系市场监管所",
                "建设进度",
                "揭牌日期",
                "活动场次",
            ],
            lambda: _station_rows(campaign),
            {8: DATE},
            None,
        ),
        (
            "微站活动",
            [
                "活动日期",
                "微站",
                "填报单位",
                "主题",
                "活动名称",
                "覆盖人数",
                "发放资料（份）",
                "参加宣传员（人）",
                "审核状态",
            ],
            lambda: _activity_rows(campaign, period),
            {0: DATE},
            None,
        ),
        (
            "宣传员",
            ["姓名", "类别", "群体", "联系电话", "工作单位/学校", "所属微站", "招募日期", "在岗"],
            lambda: _volunteer_rows(campaign),
            {6: DATE},
            None,
        ),
    ]
    publicity_filter = Q(campaign=campaign) & period.filter("date")
    sheets.insert(
        1,
        (
            "专项检查统计表",
            ["检查领域", *STATISTICS_COLUMNS],
            lambda: _inspection_rows(campaign, period),
            {8: "0.0", 9: "0.0", 17: "#,##0.00", 18: "#,##0.00", 19: "0.0000"},
            [16] + [10] * 20 + [24],
        ),
    )
    sheets += [
        (
            "服务中小企业",
            VISIT_HEADERS,
            lambda: visit_rows(
                visits_counted(campaign=campaign, date_from=period.date_from, date_to=period.date_to)
            ),
            VISIT_FORMATS,
            None,
        ),
        (
            "宣传活动",
            ACTIVITY_HEADERS,
            lambda: activity_rows(PublicityActivity.objects.filter(publicity_filter).order_by("date", "pk")),
            ACTIVITY_FORMATS,
            None,
        ),
        (
            "信息报送",
            NEWS_HEADERS,
            lambda: news_rows(NewsItem.objects.filter(campaign=campaign).order_by("created_at", "pk")),
            NEWS_FORMATS,
            None,
        ),
        (
            "舆情",
            INCIDENT_HEADERS,
            lambda: incident_rows(
                OpinionIncident.objects.filter(campaign=campaign).order_by("discovered_at", "pk")
            ),
            INCIDENT_FORMATS,
            None,
        ),
    ]
    for index, (title, headers, rows, formats, widths) in enumerate(sheets):
        xl.add_sheet(workbook, title, headers, rows(), number_formats=formats, widths=widths)
        if settings.REPORTS_TEST_DELAY_SECONDS:
            # Test-only (0 in every real deployment): the worker integration tests slow each sheet
            # down so that they can kill the worker while it is in the middle of a report.
            time.sleep(settings.REPORTS_TEST_DELAY_SECONDS)
        report(round(90 * (index + 1) / len(sheets)))
    content = xl.workbook_bytes(workbook)
    report(100)
    return content
