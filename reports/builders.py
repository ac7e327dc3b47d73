"""The summary workbook: every sheet registered in core.exporters, in order.

The builder knows no workstream. Each app registers its sheets from its AppConfig.ready() (campaigns
the task timeliness, reports the overview, each workstream its own in `<app>/exports.py`), and their
figures come from the same selectors as the pages and the dashboard, so the numbers agree.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

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
    """The dates a report covers; an open end means "from the start" / "until now"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None


def build_workbook(
    campaign: Campaign,
    *,
    period: Period | None = None,
    progress: Progress | None = None,
    unit: Unit | None = None,
) -> bytes:
    """The .xlsx every report kind shares (write-only: memory stays flat whatever the row count)."""
    period = period or Period()
    context = SheetContext(
        campaign=campaign,
        date_from=period.date_from,
        date_to=period.date_to,
        unit=unit,
        today=timezone.localdate(),
    )
    report = progress or (lambda percent: None)
    workbook: Workbook = xl.new_workbook()
    listed = exporters.registered()
    for index, sheet in enumerate(listed):
        xl.add_sheet(
            workbook,
            sheet.title,
            sheet.headers,
            sheet.rows(context),
            number_formats=sheet.number_formats,
            widths=sheet.widths,
        )
        if settings.REPORTS_TEST_DELAY_SECONDS:
            # Test-only (0 in every real deployment): the worker integration tests slow each sheet
            # down so that they can kill the worker while it is in the middle of a report.
            time.sleep(settings.REPORTS_TEST_DELAY_SECONDS)
        report(round(90 * (index + 1) / len(listed)))
    content = xl.workbook_bytes(workbook)
    report(100)
    return content
