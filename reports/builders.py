"""The summary workbook: every sheet registered in core.exporters, in order.

The builder knows no workstream. Each app registers its sheets from its AppConfig.ready() (campaigns
the task timeliness, reports the overview, each workstream its own in `<app>/exports.py`), and their
figures come from the same selectors as the pages and the dashboard, so the numbers agree.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook

from campaigns.models import Campaign
from core import exporters
from core import spreadsheets as xl
from core.exporters import SheetContext, SheetExporter
from organizations.models import Unit

Progress = Callable[[int], None]


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


def sheets() -> list[SheetExporter]:
    """The workbook's sheets: the registered ones, plus a builder-side copy of any not yet registered."""
    registered = exporters.registered()
    titles = {sheet.title for sheet in registered}
    missing = [cls() for cls in _TRANSITIONAL if cls.title not in titles]
    return sorted([*registered, *missing], key=lambda sheet: (sheet.order, sheet.identifier))


def build_workbook(
    campaign: Campaign,
    *,
    period: Period | None = None,
    progress: Progress | None = None,
    unit: Unit | None = None,
) -> bytes:
    """The .xlsx every report kind shares (write-only: memory stays flat whatever the row count)."""
    period = period or Period()
    context = SheetContext(
        campaign=campaign,
        date_from=period.date_from,
        date_to=period.date_to,
        unit=unit,
        today=timezone.localdate(),
    )
    report = progress or (lambda percent: None)
    workbook: Workbook = xl.new_workbook()
    listed = sheets()
    for index, sheet in enumerate(listed):
        xl.add_sheet(
            workbook,
            sheet.title,
            sheet.headers,
            sheet.rows(context),
            number_formats=sheet.number_formats,
            widths=sheet.widths,
        )
        if settings.REPORTS_TEST_DELAY_SECONDS:
            # Test-only (0 in every real deployment): the worker integration tests slow each sheet
            # down so that they can kill the worker while it is in the middle of a report.
            time.sleep(settings.REPORTS_TEST_DELAY_SECONDS)
        report(round(90 * (index + 1) / len(listed)))
    content = xl.workbook_bytes(workbook)
    report(100)
    return content


# --- Transitional -------------------------------------------------------------------------------------
# Copies of workstream sheets whose app has not registered its own yet (issue 11 moves each into
# `<app>/exports.py`). Each is used only while no registered sheet has its title, and is deleted once
# its app's exporter is on main. Imports are local so that an app mid-move breaks only its own sheet.

DATE = "yyyy-mm-dd"


def _period(context: SheetContext, field: str) -> Q:
    return Period(context.date_from, context.date_to).filter(field)


class _Stations(SheetExporter):
    identifier = "transitional.stations"
    title = "微站"
    order = 30
    headers: ClassVar[list[str]] = [
        "微站名称", "牌匾编号", "承建单位/场所", "场所类型", "乡镇/街道", "地址", "联系市场监管所", "建设进度",
        "揭牌日期", "活动场次",
    ]  # fmt: skip
    number_formats: ClassVar[dict[int, str]] = {8: DATE}

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        from microstations.models import MicroStation

        stations = (
            MicroStation.objects.filter(campaign=context.campaign)
            .select_related("supervising_unit")
            .annotate(activity_count=Count("activities"))
            .order_by("township", "name")
        )
        for s in stations.iterator(chunk_size=1000):
            yield [
                s.name, s.plaque_no, s.host_name, s.get_station_type_display(), s.township, s.address,
                s.supervising_unit.name, s.get_stage_display(), s.opened_on, s.activity_count,
            ]  # fmt: skip


class _StationActivities(SheetExporter):
    identifier = "transitional.station_activities"
    title = "微站活动"
    order = 40
    headers: ClassVar[list[str]] = [
        "活动日期", "微站", "填报单位", "主题", "活动名称", "覆盖人数", "发放资料（份）", "参加宣传员（人）", "审核状态",
    ]  # fmt: skip
    number_formats: ClassVar[dict[int, str]] = {0: DATE}

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        from microstations.models import StationActivity

        activities = (
            StationActivity.objects.filter(campaign=context.campaign)
            .filter(_period(context, "date"))
            .select_related("station", "unit")
            .order_by("date", "pk")
        )
        for a in activities.iterator(chunk_size=2000):
            yield [
                a.date, a.station.name, a.unit.name, a.get_topic_display(), a.title, a.people_reached,
                a.materials_distributed, a.volunteers_present, a.get_review_status_display(),
            ]  # fmt: skip


class _Volunteers(SheetExporter):
    identifier = "transitional.volunteers"
    title = "宣传员"
    order = 50
    headers: ClassVar[list[str]] = [
        "姓名",
        "类别",
        "群体",
        "联系电话",
        "工作单位/学校",
        "所属微站",
        "招募日期",
        "在岗",
    ]
    number_formats: ClassVar[dict[int, str]] = {6: DATE}

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        from organizations.privacy import mask_phone
        from volunteers.models import Volunteer

        volunteers = (
            Volunteer.objects.filter(campaign=context.campaign)
            .select_related("station")
            .order_by("station__name", "name")
        )
        for v in volunteers.iterator(chunk_size=1000):
            yield [
                v.name, v.get_kind_display(), v.get_group_display(), mask_phone(v.phone), v.work_unit,
                v.station.name, v.recruited_on, v.is_active,
            ]  # fmt: skip


_TRANSITIONAL: list[type[SheetExporter]] = [
    _Stations,
    _StationActivities,
    _Volunteers,
]
