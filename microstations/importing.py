"""Bulk import and export of micro-stations (.xlsx, Chinese headers; the template doubles as the export)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from microstations.exports import ACTIVITY_CELL_HEADERS, activity_cells
from microstations.models import MicroStation, StationActivity
from organizations.models import Unit
from records.services import may_add


def station_columns() -> list[xl.Column]:
    offices = Unit.objects.filter(kind=Unit.Kind.OFFICE, is_active=True)
    return [
        xl.Column(
            "微站名称", "name", xl.text, note="如：民生计量科普宣传服务微站（高唐营业厅）；同一活动内不得重复"
        ),
        xl.Column("牌匾编号", "plaque_no", xl.text, required=False, note="揭牌后填写；不得重复"),
        xl.Column("承建单位/场所", "host_name", xl.text),
        xl.Column(
            "承建单位（名录）",
            "host_unit",
            xl.by_name(Unit.objects.all()),
            required=False,
            note="承建单位在单位名录中时填写其全称",
        ),
        xl.Column(
            "场所类型",
            "station_type",
            xl.choice(MicroStation.StationType),
            note="、".join(str(label) for label in MicroStation.StationType.labels),
        ),
        xl.Column("地址", "address", xl.text),
        xl.Column("乡镇/街道", "township", xl.text),
        xl.Column("纬度", "latitude", xl.decimal, required=False),
        xl.Column("经度", "longitude", xl.decimal, required=False),
        xl.Column(
            "宣传重点区域",
            "focus_area",
            xl.choice(MicroStation.FocusArea),
            note="、".join(str(label) for label in MicroStation.FocusArea.labels),
        ),
        xl.Column("联系人", "contact_name", xl.text),
        xl.Column("联系电话", "contact_phone", xl.text),
        xl.Column(
            "联系市场监管所",
            "supervising_unit",
            xl.by_name(offices),
            note="市场监管所全称，如：高唐市场监管所",
        ),
        xl.Column(
            "建设进度",
            "stage",
            xl.choice(MicroStation.Stage),
            required=False,
            note="留空为“规划”；" + "、".join(str(label) for label in MicroStation.Stage.labels),
        ),
        xl.Column("揭牌日期", "opened_on", xl.date, required=False, note="已揭牌运行的必填，格式 2025-05-20"),
        xl.Column("备注", "note", xl.text, required=False),
    ]


EXAMPLE = [
    "民生计量科普宣传服务微站（高唐供电营业厅）",
    "",
    "国网巫山供电公司高唐营业厅",
    "",
    "供电营业厅",
    "巫山县高唐街道广东中路",
    "高唐街道",
    "",
    "",
    "人口集中区域",
    "李某",
    "023-57681234",
    "高唐市场监管所",
    "规划",
    "",
    "",
]


def stations_template() -> bytes:
    return xl.template_bytes("微站", station_columns(), EXAMPLE)


def stations_import(
    *, actor: Any, campaign: Campaign, upload: Any, progress: Callable[[int], None] = xl.no_progress
) -> list[MicroStation]:
    """All rows or none: raises ValidationError (unreadable file) or ImportFailed (row errors)."""
    if not may_add(actor, MicroStation):
        raise PermissionDenied(_("您没有新增微站的权限。"))
    rows = xl.read_rows(upload, station_columns())
    existing = set(MicroStation.objects.filter(campaign=campaign).values_list("name", flat=True))

    def build(row: dict[str, Any]) -> MicroStation:
        if row["name"] in existing:
            raise ValidationError({"name": _("本活动中已有同名微站。")})
        row["stage"] = row["stage"] or MicroStation.Stage.PLANNED
        return MicroStation(campaign=campaign, **row)

    def save(station: Any) -> None:
        station._history_user = actor
        station.save()

    return xl.import_all_or_nothing(  # type: ignore[return-value]
        MicroStation, rows, build, save, unique_together=["name"], progress=progress
    )


def stations_export(stations: QuerySet[MicroStation]) -> bytes:
    columns = station_columns()
    workbook = xl.new_workbook()
    rows = (
        [
            station.name,
            station.plaque_no,
            station.host_name,
            station.host_unit.name if station.host_unit else "",
            station.get_station_type_display(),
            station.address,
            station.township,
            station.latitude,
            station.longitude,
            station.get_focus_area_display(),
            station.contact_name,
            station.contact_phone,
            station.supervising_unit.name,
            station.get_stage_display(),
            station.opened_on,
            station.note,
        ]
        for station in stations.select_related("host_unit", "supervising_unit").iterator(chunk_size=500)
    )
    xl.add_sheet(workbook, "微站", [c.header for c in columns], rows, number_formats={14: "yyyy-mm-dd"})
    return xl.workbook_bytes(workbook)


ACTIVITY_HEADERS = [*ACTIVITY_CELL_HEADERS, "活动情况", "审核状态", "提交时间", "审核时间"]


def activities_export(activities: QuerySet[StationActivity]) -> bytes:
    workbook = xl.new_workbook()
    rows = (
        [*activity_cells(a), a.summary, a.get_review_status_display(), a.submitted_at, a.reviewed_at]
        for a in activities.select_related("station", "unit").iterator(chunk_size=500)
    )
    xl.add_sheet(
        workbook,
        "微站活动",
        ACTIVITY_HEADERS,
        rows,
        number_formats={0: "yyyy-mm-dd", 10: "yyyy-mm-dd hh:mm", 11: "yyyy-mm-dd hh:mm"},
    )
    return xl.workbook_bytes(workbook)
