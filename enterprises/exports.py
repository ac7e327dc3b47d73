"""The summary workbook's sheets of workstream 4, registered with core.exporters from the AppConfig."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from core.exporters import SheetContext, SheetExporter, register
from enterprises.importing import VISIT_FORMATS, VISIT_HEADERS, visit_rows
from enterprises.selectors import visits_counted


@register
class VisitSheet(SheetExporter):
    """服务中小企业: one row per approved visit in the report's period (and unit), the same columns as
    the admin's visit export. Only approved visits are listed, so every row is an official one."""

    identifier = "enterprises.visits"
    title = "服务中小企业"
    order = 90
    headers: ClassVar[list[str]] = VISIT_HEADERS
    number_formats: ClassVar[dict[int, str]] = VISIT_FORMATS

    def rows(self, context: SheetContext) -> Iterable[list[Any]]:
        unit = context.unit
        return visit_rows(
            visits_counted(
                campaign=context.campaign,
                date_from=context.date_from,
                date_to=context.date_to,
                unit_id=unit.pk if unit is not None else None,
            )
        )
