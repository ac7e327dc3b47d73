"""The campaign's own sheet of the summary workbook: task timeliness by responsible unit.

Registered from CampaignsConfig.ready(); it reads nothing below campaigns, so the layers hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from campaigns import reporting
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
        # As the tasks stood at the end of the report's period (never later than today).
        as_of = min(context.date_to or context.today, context.today)
        for row in timeliness_by_unit(campaign=context.campaign, today=as_of):
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


@register
class ReportingTimelinessSheet(SheetExporter):
    """报送及时率: each unit's expected, on-time, late and missing reports over the reporting windows."""

    identifier = "campaigns.reporting"
    title = "报送及时率"
    order = 95  # after the workstreams: the timeliness of what they reported
    headers: ClassVar[list[str]] = [
        "报送单位",
        "应报（期）",
        "按时报送",
        "迟报",
        "未报",
        "报送率",
        "及时率",
        "未报的报送期",
    ]
    number_formats: ClassVar[dict[int, str]] = {5: "0%", 6: "0%"}

    def rows(self, context: SheetContext) -> Iterator[list[Any]]:
        grid = reporting.reporting_grid(campaign=context.campaign, today=context.today)
        for row in grid.rows:
            if context.unit is not None and row.unit.pk != context.unit.pk:
                continue
            yield [
                row.unit.name,
                row.expected,
                row.on_time,
                row.late,
                row.missing,
                _fraction(row.rate),
                _fraction(row.timely_rate),
                "、".join(str(cell.window) for cell in row.cells if cell.status == reporting.MISSING),
            ]


def _fraction(percent: int | None) -> float | str:
    """A rate as a fraction for the 0% format; "—" when nothing was expected (never 0% or 100%)."""
    return "—" if percent is None else percent / 100
