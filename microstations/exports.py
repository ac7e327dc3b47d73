"""The summary workbook's micro-station sheets (registered from MicrostationsConfig.ready())."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.db.models import Count, Q, QuerySet

from core.exporters import SheetContext, SheetExporter, register
from core.periods import period_q
from microstations.models import MicroStation, StationActivity
from microstations.public import reach_by_station
from records.models import counted_q, pending_q

DATE = "yyyy-mm-dd"


def _period(field: str, context: SheetContext) -> Q:
    return period_q(field, context.date_from, context.date_to)


ACTIVITY_CELL_HEADERS = [
    "活动日期",
    "微站",
    "填报单位",
    "主题",
    "活动名称",
    "覆盖人数",
    "发放资料（份）",
    "参加宣传员（人）",
]


def activity_cells(a: StationActivity) -> list[Any]:
    """The columns every activity export starts with (this sheet and the admin's export)."""
    return [
        a.date,
        a.station.name,
        a.unit.name,
        a.get_topic_display(),
        a.title,
        a.people_reached,
        a.materials_distributed,
        a.volunteers_present,
    ]


@register
class StationSheet(SheetExporter):
    """Every station of the campaign, with its approved activities (the official count) and, beside
    it, those awaiting review."""

    identifier = "microstations.stations"
    title = "微站"
    order = 30
    headers: ClassVar[list[str]] = [
        "微站名称",
        "牌匾编号",
        "承建单位/场所",
        "场所类型",
        "乡镇/街道",
        "地址",
        "联系市场监管所",
        "建设进度",
        "揭牌日期",
        "活动场次（已通过）",
        "待审核活动",
    ]
    number_formats: ClassVar[dict[int, str]] = {8: DATE}

    def queryset(self, context: SheetContext) -> QuerySet[MicroStation]:
        stations = MicroStation.objects.filter(campaign=context.campaign)
        if context.unit is not None:
            stations = stations.filter(supervising_unit=context.unit)
        in_period = _period("activities__date", context)
        return (
            stations.select_related("supervising_unit")
            .annotate(
                activity_count=Count("activities", filter=counted_q("activities__") & in_period),
                activity_pending=Count("activities", filter=pending_q("activities__") & in_period),
            )
            .order_by("township", "name", "pk")
        )

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        stations: Iterator[Any] = self.queryset(context).iterator(chunk_size=1000)  # annotated rows
        for s in stations:
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
                s.activity_pending,
            ]


@register
class StationReachSheet(SheetExporter):
    """How the public reached each station in the period: page views, QR scans and feedback sent."""

    identifier = "microstations.reach"
    title = "微站触达"
    order = 35
    headers: ClassVar[list[str]] = ["微站名称", "牌匾编号", "联系市场监管所", "页面访问", "扫码", "群众反馈"]

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        stations: Iterator[Any] = reach_by_station(
            campaign=context.campaign,
            unit_id=context.unit.pk if context.unit is not None else None,
            date_from=context.date_from,
            date_to=context.date_to,
        ).iterator(chunk_size=1000)
        for s in stations:
            yield [
                s.name,
                s.plaque_no,
                s.supervising_unit.name,
                s.reach_views,
                s.reach_scans,
                s.reach_submissions,
            ]


@register
class StationActivitySheet(SheetExporter):
    """The period's approved activities: the rows behind the official figures, nothing awaiting review."""

    identifier = "microstations.activities"
    title = "微站活动"
    order = 40
    headers: ClassVar[list[str]] = [*ACTIVITY_CELL_HEADERS, "审核状态"]
    number_formats: ClassVar[dict[int, str]] = {0: DATE}

    def queryset(self, context: SheetContext) -> QuerySet[StationActivity]:
        activities = StationActivity.objects.counted().filter(campaign=context.campaign)
        if context.unit is not None:
            activities = activities.filter(unit=context.unit)
        return (
            activities.filter(_period("date", context))
            .select_related("station", "unit")
            .order_by("date", "pk")
        )

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        for a in self.queryset(context).iterator(chunk_size=2000):
            yield [*activity_cells(a), a.get_review_status_display()]
