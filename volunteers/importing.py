"""Bulk import and export of volunteers. Exports mask every phone number; importing the export back
keeps the masked ones as they are stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from microstations.models import MicroStation
from organizations.access import scope_to_user
from organizations.privacy import mask_phone
from records.services import may_add, may_change
from volunteers import services
from volunteers.models import Volunteer


def volunteer_columns(campaign: Campaign | None = None, user: Any = None) -> list[xl.Column]:
    """The template's columns; with a `user`, a station is found only within that user's scope."""
    stations = MicroStation.objects.filter(campaign=campaign) if campaign else MicroStation.objects.all()
    if user is not None:
        stations = scope_to_user(stations, user, unit_field=MicroStation.unit_scope_field)
    return [
        xl.Column(
            "志愿者编号",
            "number",
            xl.text,
            required=False,
            note="系统生成，勿改；导入时有编号的宣传员按编号更新，新宣传员留空",
        ),
        xl.Column("姓名", "name", xl.text),
        xl.Column(
            "类别", "kind", xl.choice(Volunteer.Kind), note="、".join(str(x) for x in Volunteer.Kind.labels)
        ),
        xl.Column(
            "群体",
            "group",
            xl.choice(Volunteer.Group),
            note="、".join(str(x) for x in Volunteer.Group.labels),
        ),
        xl.Column("性别", "gender", xl.choice(Volunteer.Gender), required=False, note="男、女"),
        xl.Column("联系电话", "phone", xl.text),
        xl.Column("工作单位/学校", "work_unit", xl.text, required=False),
        xl.Column("所属微站", "station", xl.by_name(stations), note="微站全称"),
        xl.Column("招募日期", "recruited_on", xl.date, note="格式 2025-05-20"),
        xl.Column(
            "聘书编号",
            "certificate_no",
            xl.text,
            required=False,
            note="宣传员的编号，不得重复；导入时有此编号的宣传员按编号更新，没有的按姓名和电话更新",
        ),
        xl.Column("在岗", "is_active", xl.yes_no, required=False, note="是/否，留空为否"),
        xl.Column("监护人姓名", "guardian_name", xl.text, required=False, note="小小宣传员必填"),
        xl.Column("监护人电话", "guardian_phone", xl.text, required=False, note="小小宣传员必填"),
        xl.Column("监护人已同意", "guardian_consent", xl.yes_no, required=False, note="小小宣传员须填“是”"),
    ]


EXAMPLE = [
    "",
    "王某",
    "计量科普义务宣传员",
    "外卖小哥",
    "男",
    "13800000000",
    "某外卖站点",
    "民生计量科普宣传服务微站（高唐供电营业厅）",
    "2025-05-10",
    "",
    "是",
    "",
    "",
    "否",
]


def volunteers_template(campaign: Campaign) -> bytes:
    return xl.template_bytes("宣传员", volunteer_columns(campaign), EXAMPLE)


def volunteers_import(
    *, actor: Any, campaign: Campaign, upload: Any, progress: Callable[[int], None] = xl.no_progress
) -> xl.ImportOutcome:
    """All rows or none; a station is found only within the actor's scope (another unit's is unknown).

    A row updates the volunteer of the actor's scope in the campaign with its 志愿者编号 (an unknown
    number is the row's error), else with its 聘书编号, else with its name and phone, so an edited export re-imports as changes. A
    phone exported masked (138****5678) stands for the stored number and leaves it unchanged; typing a
    whole number changes it. Writes go through volunteer_create / volunteer_update.
    """
    if not may_add(actor, Volunteer):
        raise PermissionDenied(_("您没有登记宣传员的权限。"))
    rows, errors = xl.read_table(upload, volunteer_columns(campaign, actor), example=EXAMPLE)
    in_scope = scope_to_user(
        Volunteer.objects.filter(campaign=campaign), actor, unit_field=Volunteer.unit_scope_field
    )
    # The 志愿者编号 is the system's: it names the row to update and is never written.
    given = {row["number"] for _n, row in rows if row["number"]}
    by_volunteer_number = {v.number: v for v in in_scope.filter(number__in=given)}
    numbers = {row["certificate_no"] for _n, row in rows if row["certificate_no"] and not row["number"]}
    names = {row["name"] for _n, row in rows if not row["certificate_no"] and not row["number"]}
    by_number = {v.certificate_no: v for v in in_scope.filter(certificate_no__in=numbers)}
    by_name: dict[str, list[Volunteer]] = {}
    for volunteer in in_scope.filter(certificate_no="", name__in=names):
        by_name.setdefault(volunteer.name, []).append(volunteer)

    def find(row: dict[str, Any]) -> Volunteer | None:
        if row["number"]:
            found = by_volunteer_number.get(row["number"])
            if found is None:
                raise ValidationError(
                    _("志愿者编号“%(number)s”不在本活动您所辖的宣传员中；新宣传员请留空编号。")
                    % {"number": row["number"]}
                )
            return found
        if row["certificate_no"]:
            return by_number.get(row["certificate_no"])
        phone = row["phone"]
        return next(
            (v for v in by_name.get(row["name"], []) if phone in (v.phone, mask_phone(v.phone))), None
        )

    def plan(row: dict[str, Any]) -> xl.Upsert:
        existing = find(row)
        data = {name: value for name, value in row.items() if name != "number"}
        if existing is None:
            return xl.Upsert(instance=Volunteer(campaign=campaign, created_by=actor, **data), data=data)
        for field in ("phone", "guardian_phone"):
            # A masked number is the export's stand-in for the stored one: keep that.
            if data[field] and data[field] == mask_phone(getattr(existing, field)):
                data[field] = getattr(existing, field)
        return xl.update_of(
            existing,
            data,
            allowed=may_change(actor, Volunteer),
            refused=_("该宣传员已登记，您没有修改宣传员的权限。"),
        )

    def write(upsert: xl.Upsert) -> Volunteer:
        if upsert.existing is None:
            data = dict(upsert.data)
            return services.volunteer_create(actor=actor, station=data.pop("station"), data=data)
        return services.volunteer_update(actor=actor, volunteer=upsert.existing, data=upsert.data)  # type: ignore[arg-type]

    def key(row: dict[str, Any]) -> xl.RowKey:
        if row["number"]:
            return xl.RowKey("number", row["number"])
        if row["certificate_no"]:
            return xl.RowKey("certificate_no", row["certificate_no"])
        return xl.RowKey("name", f"{row['name']}（{row['phone']}）")

    return xl.import_upserts(Volunteer, rows, plan, write, key=key, progress=progress, errors=errors)


def volunteers_export(volunteers: QuerySet[Volunteer]) -> bytes:
    """Phones masked (a workbook travels further than the page); re-imported, a masked phone is kept."""
    rows = (
        [
            v.number,
            v.name,
            v.get_kind_display(),
            v.get_group_display(),
            v.get_gender_display(),
            mask_phone(v.phone),
            v.work_unit,
            v.station.name,
            v.recruited_on,
            v.certificate_no,
            v.is_active,
            v.guardian_name,
            mask_phone(v.guardian_phone),
            v.guardian_consent,
        ]
        for v in volunteers.select_related("station").iterator(chunk_size=500)
    )
    return xl.export_bytes("宣传员", volunteer_columns(), rows, number_formats={8: "yyyy-mm-dd"})
