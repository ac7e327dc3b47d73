"""Excel exports of 舆情 incidents: the admin's export action and the summary workbook's "舆情" sheet.

Incidents are not reviewed records, so the sheet lists all of them (filtered by the report's period
and unit), with their handling status and whether each deadline was met.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from core import spreadsheets as xl
from core.exporters import SheetContext, SheetExporter, register
from opinion.models import DeadlineState, OpinionIncident
from opinion.selectors import incidents_in_period, with_deadlines

DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

INCIDENT_HEADERS = [
    "发现时间",
    "舆情标题",
    "舆情来源",
    "发布平台",
    "涉及领域",
    "涉事主体",
    "传播量",
    "情感倾向",
    "舆情级别",
    "处置单位",
    "处置状态",
    "报告县局时限",
    "向县局报告时间",
    "报告是否按时",
    "回应时限",
    "回应时间",
    "回应是否按时",
    "办结日期",
]
INCIDENT_FORMATS = {0: DATETIME, 11: DATETIME, 12: DATETIME, 14: DATETIME, 15: DATETIME, 17: DATE}


def incident_rows(incidents: QuerySet[OpinionIncident]) -> Iterator[list[object]]:
    """One row per incident, streamed (the admin export and the workbook sheet share it)."""
    now = timezone.now()
    return (
        [
            i.discovered_at,
            i.title,
            i.get_source_display(),
            i.platform,
            i.get_domain_display(),
            i.involved_party,
            i.reach,
            i.get_sentiment_display(),
            i.level.name,
            i.handling_unit.name,
            i.get_status_display(),
            i.report_deadline,
            i.reported_to_county_at,
            DeadlineState(i.report_state(now)).label,
            i.response_deadline,
            i.responded_at,
            DeadlineState(i.response_state(now)).label,
            i.closed_on,
        ]
        for i in with_deadlines(incidents).select_related("level", "handling_unit").iterator(chunk_size=500)
    )


def incidents_export(incidents: QuerySet[OpinionIncident]) -> bytes:
    workbook = xl.new_workbook()
    xl.add_sheet(
        workbook, "舆情", INCIDENT_HEADERS, incident_rows(incidents), number_formats=INCIDENT_FORMATS
    )
    return xl.workbook_bytes(workbook)


@register
class IncidentSheet(SheetExporter):
    """Every incident of the campaign discovered in the period (not reviewed records: all of them)."""

    identifier = "opinion.incidents"
    title = "舆情"
    order = 80
    headers = INCIDENT_HEADERS
    number_formats = INCIDENT_FORMATS

    def rows(self, context: SheetContext) -> Iterator[list[object]]:
        incidents = incidents_in_period(
            campaign=context.campaign, date_from=context.date_from, date_to=context.date_to, unit=context.unit
        )
        return incident_rows(incidents.order_by("discovered_at", "pk"))
