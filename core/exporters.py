"""The registry of workbook sheets (pretix's register_data_exporters, without signals), and the one
place that lays a sheet out in the official form.

Each workstream app defines its sheets in `exports.py` and registers them from its AppConfig.ready();
the report builder only lists what is registered, in `order`, so it never needs to know a workstream.
A sheet's figures come from the workstream's own selectors, so they agree with its pages and the
dashboard; statistics are passed around as named fields, never by column index.

An exporter only declares its table (headers, formats, choice columns) and yields rows; `write_sheet`
adds what every official table carries: a title row, 填报单位 / 统计期间 / 填表人 / 审核人 / 填报日期
lines, A4 landscape print setup one page wide with the header row repeated and page numbers, frozen
panes and column widths that fit Chinese text.

Writing is built for 100,000-row sheets: styles are named styles registered once per workbook, each
column's style and choice labels are resolved once per sheet (never per cell), and plain values are
appended as they are, so that openpyxl's write-only mode does nearly all the work.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from core import spreadsheets as xl

# Rows above the table: the title, then the two lines of who reports what for when.
TITLE_ROW, HEADER_ROW = 1, 4
FIRST_DATA_ROW = HEADER_ROW + 1
A4 = "9"  # the paper-size code Excel uses for A4

DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
RATE = "0.0"
MONEY = "#,##0.00"
WAN = "0.0000"


@dataclass(frozen=True)
class SheetContext:
    """What a report asks of every sheet: the campaign, the period and (optionally) one unit.

    `week_from` is set on weekly reports: the first day of 本周, whose new figures stand beside the
    cumulative ones. `preparer` is the 填表人 printed on every sheet (the requester, or blank).
    """

    campaign: Any
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit: Any = None
    today: dt.date = field(default_factory=dt.date.today)
    week_from: dt.date | None = None
    preparer: str = ""
    reporting_unit: str = ""

    @property
    def period_text(self) -> str:
        start = self.date_from or self.campaign.start_date
        end = self.date_to or self.today
        return _("%(start)s 至 %(end)s") % {"start": start or _("活动开始"), "end": end}


class SheetExporter:
    """One sheet of the summary workbook.

    Subclasses set `identifier` (stable, ASCII), `title` (the sheet's Chinese name), `order` (its
    place in the workbook), `headers`, and optionally `heading` (the printed title, default the
    campaign name and `title`), `number_formats` ({column index: format}), `labels` ({column index:
    TextChoices or {value: label}}: the row gives the stored value, the label is looked up once per
    column), `widths` and `freeze_columns`; `rows(context)` yields the data rows.
    """

    identifier: ClassVar[str]
    title: ClassVar[str]
    heading: ClassVar[str] = ""
    order: ClassVar[int] = 100
    headers: ClassVar[list[str]] = []
    number_formats: ClassVar[dict[int, str]] = {}
    labels: ClassVar[Mapping[int, Any]] = {}
    widths: ClassVar[list[int] | None] = None
    freeze_columns: ClassVar[int] = 0

    def headers_for(self, context: SheetContext) -> list[str]:
        """The header row (a weekly report may name its columns differently)."""
        return list(self.headers)

    def rows(self, context: SheetContext) -> Iterable[Sequence[Any]]:
        raise NotImplementedError


_registry: dict[str, type[SheetExporter]] = {}


def register(exporter: type[SheetExporter]) -> type[SheetExporter]:
    """Register a sheet (usable as a class decorator); registering the same identifier twice replaces it."""
    _registry[exporter.identifier] = exporter
    return exporter


def registered() -> list[SheetExporter]:
    """Every registered sheet, in workbook order."""
    return [cls() for cls in sorted(_registry.values(), key=lambda cls: (cls.order, cls.identifier))]


# --- Styles ------------------------------------------------------------------------------------------

THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {DATE: "date", DATETIME: "datetime", RATE: "rate", MONEY: "money", WAN: "wan"}


class Styles:
    """The workbook's named styles, registered once; cells refer to them by name."""

    TITLE, LINE, HEADER, TEXT = "official_title", "official_line", "official_header", "official_text"

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._add(
            NamedStyle(
                name=self.TITLE,
                font=Font(name="宋体", size=16, bold=True),
                alignment=Alignment(horizontal="center", vertical="center"),
            )
        )
        self._add(NamedStyle(name=self.LINE, font=Font(name="宋体", size=10)))
        self._add(
            NamedStyle(
                name=self.HEADER,
                font=Font(name="宋体", size=10, bold=True, color="FFFFFF"),
                fill=PatternFill("solid", fgColor="1F4E79"),
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                border=GRID,
            )
        )
        for number_format in FORMATS:
            self.number_style(number_format)

    def _add(self, style: NamedStyle) -> str:
        if style.name not in self.workbook.named_styles:
            self.workbook.add_named_style(style)
        return style.name

    def number_style(self, number_format: str) -> str:
        name = FORMATS.get(number_format) or f"format_{abs(hash(number_format))}"
        return self._add(NamedStyle(name=f"official_{name}", number_format=number_format))


def display_width(text: str) -> int:
    """Columns a text takes in Excel: Chinese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(headers: Sequence[str], declared: Sequence[int] | None) -> list[int]:
    """Declared widths (or what fits the header's Chinese text on one line, up to 24), never narrower
    than the header wrapped onto two lines: a 22-column table still fits one page wide."""
    widths = []
    for index, header in enumerate(headers):
        need = display_width(header)
        two_lines = (need + 1) // 2 + 2
        wanted = declared[index] if declared and index < len(declared) else min(24, need + 2)
        widths.append(max(8, two_lines, wanted))
    return widths


def _labels(choices: Any) -> dict[Any, str]:
    if isinstance(choices, type) and issubclass(choices, models.Choices):
        return {value: str(label) for value, label in choices.choices}
    return {value: str(label) for value, label in dict(choices).items()}


# Values openpyxl writes as they are; anything else goes through core.spreadsheets' excel_value
# (aware datetimes to Shanghai wall-clock time, booleans as 是/否, control characters stripped).
PLAIN_TYPES = frozenset({int, float, Decimal, dt.date})


def with_labels(rows: Iterable[Sequence[Any]], labels: Mapping[int, Any]) -> Iterable[list[Any]]:
    """Rows with their choice columns' stored values replaced by labels (resolved once, not per cell),
    for exports that do not go through write_table (the admin's)."""
    resolved = {index: _labels(choices) for index, choices in labels.items()}
    for row in rows:
        values = list(row)
        for index, names in resolved.items():
            values[index] = names.get(values[index], values[index])
        yield values


class _Column:
    """What is resolved once per column: the label lookup, and the style as a prototype cell's style
    array (copied into each cell: looking a named style up per cell costs more than writing it)."""

    __slots__ = ("labels", "style")

    def __init__(self, labels: dict[Any, str] | None, style: Any) -> None:
        self.labels, self.style = labels, style


def _styled(sheet: Any, value: Any, style_name: str) -> WriteOnlyCell:
    written = WriteOnlyCell(sheet, value=xl.excel_value(value))
    written.style = style_name
    return written


def _style_array(sheet: Any, style_name: str) -> Any:
    return _styled(sheet, None, style_name)._style


def write_table(
    workbook: Workbook,
    styles: Styles,
    *,
    title: str,
    heading: str,
    lines: Sequence[Sequence[str]],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    number_formats: Mapping[int, str] | None = None,
    labels: Mapping[int, Any] | None = None,
    widths: Sequence[int] | None = None,
    freeze_columns: int = 0,
) -> int:
    """One sheet in the official layout; returns the number of data rows written."""
    sheet = workbook.create_sheet(title=title[:31])
    columns = max(len(headers), 1)
    last = get_column_letter(columns)
    # Everything below is written at the top of the sheet's XML, so it must be set before any row.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")
    sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{FIRST_DATA_ROW}"
    for index, width in enumerate(column_widths(headers, widths), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merged_cells.add(f"A{TITLE_ROW}:{last}{TITLE_ROW}")

    sheet.append([_styled(sheet, heading, styles.TITLE)])
    step = max(columns // 3, 1)
    for line in lines:
        spaced: list[Any] = [None] * columns
        for position, text in enumerate(line):
            spaced[min(position * step, columns - 1)] = _styled(sheet, text, styles.LINE)
        sheet.append(spaced)
    sheet.append([_styled(sheet, header, styles.HEADER) for header in headers])

    formats = number_formats or {}
    choice_labels = labels or {}
    resolved = [
        _Column(
            _labels(choice_labels[index]) if index in choice_labels else None,
            _style_array(sheet, styles.number_style(formats[index])) if index in formats else None,
        )
        for index in range(columns)
    ]
    yes, no = _("是"), _("否")  # translated once per sheet, not per cell
    illegal = ILLEGAL_CHARACTERS_RE
    prefixes = xl.FORMULA_PREFIXES
    count = 0
    append = sheet.append
    for row in rows:
        cells: list[Any] = []
        for index, value in enumerate(row):
            column = resolved[index] if index < columns else None
            if column is not None and column.labels is not None:
                value = column.labels.get(value, value)
            kind = type(value)
            if kind is str:
                if illegal.search(value):
                    value = illegal.sub("", value)  # legacy rows saved before control characters were refused
                if value.startswith(prefixes):
                    text = WriteOnlyCell(sheet, value=value)
                    text.data_type = "s"  # text, never a formula
                    cells.append(text)
                    continue
            elif kind is bool:
                value = yes if value else no
            elif value is not None and kind not in PLAIN_TYPES:
                value = xl.excel_value(value)
            if value is not None and column is not None and column.style is not None:
                styled = WriteOnlyCell(sheet, value=value)
                styled._style = copy(column.style)
                cells.append(styled)
            else:
                cells.append(value)
        append(cells)
        count += 1
    return count


def official_lines(context: SheetContext) -> list[list[str]]:
    """填报单位 and 统计期间; 填表人, 审核人 (left for a signature) and 填报日期."""
    reporting = context.unit.name if context.unit is not None else context.reporting_unit
    return [
        [
            _("填报单位：%(unit)s") % {"unit": reporting},
            _("统计期间：%(period)s") % {"period": context.period_text},
        ],
        [
            _("填表人：%(name)s") % {"name": context.preparer},
            _("审核人："),
            _("填报日期：%(day)s") % {"day": context.today},
        ],
    ]


def write_sheet(workbook: Workbook, styles: Styles, sheet: SheetExporter, context: SheetContext) -> int:
    """A registered sheet of the report's scope, in the official layout."""
    return write_table(
        workbook,
        styles,
        title=sheet.title,
        heading=sheet.heading or f"{context.campaign.name} {sheet.title}",
        lines=official_lines(context),
        headers=sheet.headers_for(context),
        rows=sheet.rows(context),
        number_formats=sheet.number_formats,
        labels=sheet.labels,
        widths=sheet.widths,
        freeze_columns=sheet.freeze_columns,
    )
