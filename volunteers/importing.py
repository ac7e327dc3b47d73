"""Bulk import and export of volunteers. Exports mask every phone number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import spreadsheets as xl
from microstations.models import MicroStation
from organizations.access import scope_to_user
from organizations.privacy import mask_phone
from records.services import may_add
from volunteers.models import Volunteer


def volunteer_columns(campaign: Campaign | None = None, user: Any = None) -> list[xl.Column]:
    """The template's columns; with a `user`, a station is found only within that user's scope."""
    stations = MicroStation.objects.filter(campaign=campaign) if campaign else MicroStation.objects.all()
    if user is not None:
        stations = scope_to_user(stations, user, unit_field=MicroStation.unit_scope_field)
    return [
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
        xl.Column("聘书编号", "certificate_no", xl.text, required=False, note="不得重复"),
        xl.Column("在岗", "is_active", xl.yes_no, required=False, note="是/否，留空为否"),
        xl.Column("监护人姓名", "guardian_name", xl.text, required=False, note="小小宣传员必填"),
        xl.Column("监护人电话", "guardian_phone", xl.text, required=False, note="小小宣传员必填"),
        xl.Column("监护人已同意", "guardian_consent", xl.yes_no, required=False, note="小小宣传员须填“是”"),
    ]


EXAMPLE = [
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
) -> list[Volunteer]:
    """All rows or none; a station is found only within the actor's scope (another unit's is unknown)."""
    if not may_add(actor, Volunteer):
        raise PermissionDenied(_("您没有登记宣传员的权限。"))
    rows = xl.read_rows(upload, volunteer_columns(campaign, actor))

    def build(row: dict[str, Any]) -> Volunteer:
        # import_all_or_nothing runs full_clean(), so Volunteer.clean()'s rules apply to every row.
        return Volunteer(campaign=campaign, created_by=actor, **row)

    def save(volunteer: Any) -> None:
        volunteer._history_user = actor
        volunteer.save()

    return xl.import_all_or_nothing(  # type: ignore[return-value]
        Volunteer, rows, build, save, unique_together=["name", "phone"], progress=progress
    )


def volunteers_export(volunteers: QuerySet[Volunteer]) -> bytes:
    columns = volunteer_columns()
    workbook = xl.new_workbook()
    rows = (
        [
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
    xl.add_sheet(workbook, "宣传员", [c.header for c in columns], rows, number_formats={7: "yyyy-mm-dd"})
    return xl.workbook_bytes(workbook)
