"""The summary workbook's volunteer sheet (registered from VolunteersConfig.ready()). Phones are
masked: a workbook travels further than the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.db.models import QuerySet

from core.exporters import SheetContext, SheetExporter, register
from organizations.privacy import mask_phone
from volunteers.models import Volunteer


@register
class VolunteerSheet(SheetExporter):
    """Every volunteer registered in the campaign (volunteers are registered, not reviewed)."""

    identifier = "volunteers.volunteers"
    title = "宣传员"
    order = 50
    headers: ClassVar[list[str]] = [
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
    number_formats: ClassVar[dict[int, str]] = {7: "yyyy-mm-dd"}

    def queryset(self, context: SheetContext) -> QuerySet[Volunteer]:
        volunteers = Volunteer.objects.filter(campaign=context.campaign)
        if context.unit is not None:
            volunteers = volunteers.filter(station__supervising_unit=context.unit)
        return volunteers.select_related("station").order_by("station__name", "name", "pk")

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        for v in self.queryset(context).iterator(chunk_size=1000):
            yield [
                v.number,
                v.name,
                v.get_kind_display(),
                v.get_group_display(),
                mask_phone(v.phone),
                v.work_unit,
                v.station.name,
                v.recruited_on,
                v.is_active,
            ]
