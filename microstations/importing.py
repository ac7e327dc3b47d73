"""Bulk import and export of micro-stations (.xlsx, Chinese headers; the export is also an import file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from microstations import services
from microstations.exports import ACTIVITY_CELL_HEADERS, activity_cells
from microstations.models import MicroStation, StationActivity
from organizations.access import scope_to_user
from organizations.models import Unit
from records.services import may_add, may_change


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
            xl.by_name(offices, offer=True),
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
) -> xl.ImportOutcome:
    """All rows or none: raises ValidationError (unreadable file) or ImportFailed (every row's errors).

    A row updates the campaign's station with its 牌匾编号 or, before a plaque is given, with its name,
    so an edited export re-imports as changes; other rows are new stations. Writes go through
    station_create / station_update (scope, permission, the stage never moving back).
    """
    if not may_add(actor, MicroStation):
        raise PermissionDenied(_("您没有新增微站的权限。"))
    rows, errors = xl.read_table(upload, station_columns(), example=EXAMPLE)
    stations = scope_to_user(
        MicroStation.objects.filter(campaign=campaign), actor, unit_field=MicroStation.unit_scope_field
    )
    plaques = {row["plaque_no"] for _n, row in rows if row["plaque_no"]}
    by_plaque = {s.plaque_no: s for s in stations.filter(plaque_no__in=plaques)}
    by_name = {s.name: s for s in stations.filter(name__in={row["name"] for _n, row in rows})}

    def plan(row: dict[str, Any]) -> xl.Upsert:
        data = {**row, "stage": row["stage"] or None}
        existing = by_plaque.get(row["plaque_no"]) if row["plaque_no"] else None
        existing = existing or by_name.get(row["name"])
        if existing is None:
            data["stage"] = data["stage"] or MicroStation.Stage.PLANNED
            return xl.Upsert(instance=MicroStation(campaign=campaign, **data), data=data)
        if data["stage"] is None:
            del data["stage"]  # left blank: the station stays where it is
        error = existing.stage_change_error(data["stage"]) if "stage" in data else None
        if error:
            raise ValidationError({"stage": error})
        return xl.update_of(
            existing,
            data,
            allowed=may_change(actor, MicroStation),
            refused=_("该微站已存在，您没有修改微站的权限。"),
        )

    def write(upsert: xl.Upsert) -> MicroStation:
        if upsert.existing is None:
            return services.station_create(actor=actor, campaign=campaign, data=upsert.data)
        return services.station_update(actor=actor, station=upsert.existing, data=upsert.data)  # type: ignore[arg-type]

    def key(row: dict[str, Any]) -> xl.RowKey:
        return (
            xl.RowKey("plaque_no", row["plaque_no"]) if row["plaque_no"] else xl.RowKey("name", row["name"])
        )

    return xl.import_upserts(MicroStation, rows, plan, write, key=key, progress=progress, errors=errors)


def stations_export(stations: QuerySet[MicroStation]) -> bytes:
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
    return xl.export_bytes("微站", station_columns(), rows, number_formats={14: "yyyy-mm-dd"})


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
