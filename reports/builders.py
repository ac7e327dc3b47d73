"""The summary workbook: every sheet registered in core.exporters, in order, in the official layout.

The builder knows no workstream. Each app registers its sheets from its AppConfig.ready() (campaigns
the task timeliness, reports the overview, each workstream its own in `<app>/exports.py`), and their
figures come from the same selectors as the pages and the dashboard, so the numbers agree. The
layout every sheet shares (title, 填报单位 lines, print setup) is core.exporters.write_sheet's.

The workbook is streamed to a file: openpyxl's write-only sheets go to temporary files and the rows
come from `.iterator()`, so memory stays flat however many rows there are.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from campaigns.models import Campaign
from core import exporters
from core import spreadsheets as xl
from core.exporters import SheetContext
from organizations.models import Unit

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Period:
    """The dates a report covers; an open end means "from the start" / "until now".

    `week_from` marks a weekly report: its figures are 本周新增 (from that day) beside 累计.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    week_from: dt.date | None = None


def report_context(
    campaign: Campaign, *, period: Period | None = None, unit: Unit | None = None, preparer: str = ""
) -> SheetContext:
    """What every sheet and the 工作总结 are asked for: the same scope, so their figures agree."""
    period = period or Period()
    return SheetContext(
        campaign=campaign,
        date_from=period.date_from,
        date_to=period.date_to,
        unit=unit,
        today=timezone.localdate(),
        week_from=period.week_from,
        preparer=preparer,
        reporting_unit=campaign.notice_issuer,
    )


def write_workbook(
    campaign: Campaign,
    out: IO[bytes],
    *,
    period: Period | None = None,
    progress: Progress | None = None,
    unit: Unit | None = None,
    preparer: str = "",
) -> None:
    """Write the .xlsx every report kind shares to `out` (write-only: memory stays flat)."""
    context = report_context(campaign, period=period, unit=unit, preparer=preparer)
    report = progress or (lambda percent: None)
    workbook: Workbook = xl.new_workbook()
    styles = exporters.Styles(workbook)
    listed = exporters.registered()
    for index, sheet in enumerate(listed):
        exporters.write_sheet(workbook, styles, sheet, context)
        if settings.REPORTS_TEST_DELAY_SECONDS:
            # Test-only (0 in every real deployment): the worker integration tests slow each sheet
            # down so that they can kill the worker while it is in the middle of a report.
            time.sleep(settings.REPORTS_TEST_DELAY_SECONDS)
        report(round(90 * (index + 1) / len(listed)))
    workbook.save(out)
    report(100)


def build_workbook(
    campaign: Campaign,
    *,
    period: Period | None = None,
    progress: Progress | None = None,
    unit: Unit | None = None,
    preparer: str = "",
) -> bytes:
    """The workbook as bytes (for small uses and tests; reports stream to a file)."""
    buffer = io.BytesIO()
    write_workbook(campaign, buffer, period=period, progress=progress, unit=unit, preparer=preparer)
    return buffer.getvalue()
