"""The campaign's own sheet of the summary workbook: task timeliness by responsible unit.

Registered from CampaignsConfig.ready(); it reads nothing below campaigns, so the layers hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from campaigns.selectors import timeliness_by_unit
from core.exporters import SheetContext, SheetExporter, register


@register
class TimelinessSheet(SheetExporter):
    identifier = "campaigns.timeliness"
    title = "任务完成情况"
    order = 15
    headers: ClassVar[list[str]] = [
        "责任单位",
        "任务数",
        "按时完成",
        "逾期完成",
        "逾期未完成",
        "未到期未完成",
        "尚未签收",
    ]

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        for row in timeliness_by_unit(campaign=context.campaign, today=context.today):
            if context.unit is not None and row["unit_id"] != context.unit.pk:
                continue
            yield [
                row["unit__name"],
                row["total"],
                row["done_on_time"],
                row["done_late"],
                row["overdue"],
                row["open"],
                row["unacknowledged"],
            ]
