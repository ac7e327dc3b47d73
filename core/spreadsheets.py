"""Excel in and out, shared by every app: safe cells, Chinese headers, all-or-nothing imports.

Three openpyxl pitfalls are handled here once: user text starting with = + - @ would be written as a
live formula (it is forced to a plain string cell), time-zone-aware datetimes are refused (they are
converted to Asia/Shanghai and written without tzinfo), and a control character makes the whole
workbook fail (new text is refused at the boundary, core/text.py; legacy text is stripped here).

Imports read no more than they need: a size limit, a data-row limit, and the end of the table at the
first run of blank rows (settings IMPORT_MAX_ROWS and IMPORT_MAX_BLANK_ROWS).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.text import validate_no_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# What the parts of an import may unpack to: a template of the largest allowed size is a few MB; a
# zip bomb or a sheet of millions of rows is far above.
MAX_IMPORT_UNPACKED_BYTES = 100 * 1024 * 1024

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


# --- Writing ---------------------------------------------------------------------------------------


def excel_value(value: Any) -> Any:
    """A value openpyxl writes faithfully: aware datetimes in Shanghai time without tzinfo, choices as text."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, dt.date)):
        return value
    # Rows saved before control characters were refused would otherwise fail the whole workbook.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def cell(
    worksheet: Any, value: Any, *, number_format: str | None = None, font: Font | None = None
) -> WriteOnlyCell:
    written = WriteOnlyCell(worksheet, value=excel_value(value))
    if isinstance(written.value, str) and written.value.startswith(FORMULA_PREFIXES):
        written.data_type = "s"  # text, never a formula
    if number_format:
        written.number_format = number_format
    if font:
        written.font = font
    return written


def add_sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    number_formats: dict[int, str] | None = None,
) -> None:
    """A write-only sheet with a frozen, styled header row."""
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(10, min(40, len(header) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_cells = []
    for header in headers:
        header_cell = cell(sheet, header, font=HEADER_FONT)
        header_cell.fill = HEADER_FILL
        header_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(header_cell)
    sheet.append(header_cells)
    formats = number_formats or {}
    for row in rows:
        sheet.append([cell(sheet, value, number_format=formats.get(i)) for i, value in enumerate(row)])


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import template: its Chinese header, the model field, and how to read a cell."""

    header: str
    field: str
    parse: Callable[[Any], Any] = dataclasses.field(default=lambda value: value)
    required: bool = True
    note: str = ""


@dataclass
class RowError:
    row: int
    messages: list[str]


class ImportFailed(Exception):  # noqa: N818 (reads as the outcome it reports)
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} rows failed")
        self.errors = errors


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers and codes typed as numbers
    return str(value).strip()


def integer(value: Any) -> int | None:
    raw = text(value)
    if raw == "":
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s”不是整数。") % {"value": raw}) from exc
    if number != number.to_integral_value():
        raise ValidationError(_("“%(value)s”不是整数。") % {"value": raw})
    return int(number)


def decimal(value: Any) -> Decimal | None:
    raw = text(value)
    if raw == "":
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s”不是数字。") % {"value": raw}) from exc


def date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value).replace("/", "-").replace(".", "-")
    if raw == "":
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s”不是有效日期（应为 2025-05-20 格式）。") % {"value": raw}
        ) from exc


def yes_no(value: Any) -> bool:
    raw = text(value)
    if raw in ("是", "Y", "y", "1", "TRUE", "True", "true"):
        return True
    if raw in ("否", "N", "n", "0", "FALSE", "False", "false", ""):
        return False
    raise ValidationError(_("“%(value)s”应填“是”或“否”。") % {"value": raw})


def choice(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """Reads a choice by its Chinese label (or its code)."""
    by_label = {str(label): value for value, label in choices.choices}

    def parse(value: Any) -> str:
        raw = text(value)
        if raw == "":
            return ""
        if raw in by_label:
            return by_label[raw]
        if raw in choices.values:
            return raw
        raise ValidationError(
            _("“%(value)s”不是可选值（可选：%(options)s）。") % {"value": raw, "options": "、".join(by_label)}
        )

    return parse


def by_name(queryset: models.QuerySet[Any], attribute: str = "name") -> Callable[[Any], Any]:
    """Reads a related row by its name, within `queryset` (already scoped to what may be referenced)."""

    def parse(value: Any) -> Any:
        raw = text(value)
        if raw == "":
            return None
        found = queryset.filter(**{attribute: raw}).first()
        if found is None:
            raise ValidationError(_("找不到“%(value)s”。") % {"value": raw})
        return found

    return parse


def template_bytes(title: str, columns: Sequence[Column], example: Sequence[Any] = ()) -> bytes:
    """The downloadable import template: headers, one example row and a sheet of notes."""
    workbook = new_workbook()
    add_sheet(workbook, title, [c.header for c in columns], [example] if example else [])
    add_sheet(
        workbook,
        _("填写说明"),
        [_("列"), _("是否必填"), _("说明")],
        [(c.header, _("必填") if c.required else _("选填"), c.note) for c in columns],
        widths=[20, 10, 70],
    )
    return workbook_bytes(workbook)


def max_import_rows() -> int:
    return int(settings.IMPORT_MAX_ROWS)


def max_blank_rows() -> int:
    return int(settings.IMPORT_MAX_BLANK_ROWS)


def _check_unpacked_size(upload: Any) -> None:
    """Refuse before parsing what would unpack to far more than any real import (a zip bomb)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写。")) from exc
    finally:
        upload.seek(0)
    if unpacked > MAX_IMPORT_UNPACKED_BYTES:
        raise ValidationError(
            _("文件内容过大（解压后超过 %(size)d MB），请分批导入。")
            % {"size": MAX_IMPORT_UNPACKED_BYTES // (1024 * 1024)}
        )


def _is_blank(values: Sequence[Any]) -> bool:
    return all(text(v) == "" for v in values)


def read_rows(upload: Any, columns: Sequence[Column]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as {field: parsed value}, keyed by their Excel row number.

    The table ends at the first run of IMPORT_MAX_BLANK_ROWS blank rows (shorter gaps are skipped):
    what follows is not read, so a sheet of a million empty rows costs no more than fifty. The
    sheet's declared size (`max_row`) is not used to refuse a file: Excel counts formatted empty rows.

    Raises ValidationError for a file that is too large, not a readable .xlsx, whose headers do not
    match, with more than IMPORT_MAX_ROWS data rows, or with no data before the first blank run;
    raises ImportFailed with every row's problems when any cell cannot be read.
    """
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("文件超过 5 MB，请分批导入。"))
    _check_unpacked_size(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写。")) from exc
    limit, blank_limit = max_import_rows(), max_blank_rows()
    try:
        sheet = workbook.worksheets[0]
        # Cells right of the template's columns are never read (a sheet may declare 16,384 columns).
        rows = sheet.iter_rows(values_only=True, max_col=max(len(columns), 1))
        headers = [text(h) for h in next(rows, ())]
        expected = [c.header for c in columns]
        if headers[: len(expected)] != expected:
            raise ValidationError(
                _("表头与模板不一致。应为：%(expected)s") % {"expected": "、".join(expected)}
            )
        parsed: list[tuple[int, dict[str, Any]]] = []
        errors: list[RowError] = []
        blank_run = 0
        for number, values in enumerate(rows, start=2):
            if values is None or _is_blank(values):
                blank_run += 1
                if blank_run >= blank_limit:
                    break
                continue
            blank_run = 0
            if len(parsed) + len(errors) >= limit:
                raise ValidationError(_("一次最多导入 %(max)d 行数据，请分批导入。") % {"max": limit})
            row, problems = _parse_row(values, columns)
            if problems:
                errors.append(RowError(number, problems))
            else:
                parsed.append((number, row))
    finally:
        workbook.close()
    if errors:
        raise ImportFailed(errors)
    if not parsed and blank_run >= blank_limit:
        raise ValidationError(
            _("表头下连续 %(blank)d 行都是空行，没有读到数据。请从第 2 行起逐行填写，中间不要留空行。")
            % {"blank": blank_limit}
        )
    return parsed


def count_data_rows(upload: Any, *, stop_after: int) -> int:
    """The data rows of the first sheet, counted as read_rows would reach them, stopping past `stop_after`.

    Cheap (only the first columns are read) and used to decide where an import runs (the request or a
    job); an unreadable file raises ValidationError, as read_rows would.
    """
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("文件超过 5 MB，请分批导入。"))
    _check_unpacked_size(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(_("无法读取该文件，请使用下载的 .xlsx 模板填写。")) from exc
    blank_limit, count, blank_run = max_blank_rows(), 0, 0
    try:
        # Every template's first columns are required: a data row has a value in one of them.
        for values in workbook.worksheets[0].iter_rows(min_row=2, max_col=3, values_only=True):
            if values is None or _is_blank(values):
                blank_run += 1
                if blank_run >= blank_limit:
                    break
                continue
            blank_run = 0
            count += 1
            if count > stop_after:
                break
    finally:
        workbook.close()
        upload.seek(0)
    return count


def _parse_row(values: Sequence[Any], columns: Sequence[Column]) -> tuple[dict[str, Any], list[str]]:
    row: dict[str, Any] = {}
    problems: list[str] = []
    for index, column in enumerate(columns):
        value = values[index] if index < len(values) else None
        try:
            # Also for columns that never reach a model field (a name looked up, a choice label).
            validate_no_control_characters(value)
            row[column.field] = column.parse(value)
        except ValidationError as exc:
            problems.extend(f"{column.header}：{message}" for message in exc.messages)
            continue
        if column.required and row[column.field] in (None, ""):
            problems.append(_("%(header)s：必填。") % {"header": column.header})
    return row, problems


def no_progress(percent: int) -> None:
    """The default progress callback: an import in the request has nobody to tell."""


# How often an import reports progress (import jobs, campaigns/imports.py): every this many rows.
PROGRESS_EVERY = 100
# Validating is most of an import's time; the share left is the saving, in one transaction.
VALIDATED_PERCENT = 90


def import_all_or_nothing(
    model: type[models.Model],
    rows: list[tuple[int, dict[str, Any]]],
    build: Callable[[dict[str, Any]], models.Model],
    save: Callable[[models.Model], None],
    *,
    unique_together: Sequence[str] = (),
    progress: Callable[[int], None] = no_progress,
) -> list[models.Model]:
    """Build and validate every row first; save them all in one transaction only if none failed.

    `progress(percent)` is told every PROGRESS_EVERY rows while validating (up to 90) and 100 once
    saved; it is never called inside the saving transaction, whose writes nobody else could see.
    """
    errors: list[RowError] = []
    built: list[models.Model] = []
    seen: dict[tuple[Any, ...], int] = {}
    for index, (number, row) in enumerate(rows):
        if index and index % PROGRESS_EVERY == 0:
            progress(index * VALIDATED_PERCENT // len(rows))
        try:
            obj = build(row)
            obj.full_clean()
        except ValidationError as exc:
            errors.append(RowError(number, _flatten(model, exc)))
            continue
        if unique_together:
            key = tuple(row.get(name) for name in unique_together)
            if key in seen:
                errors.append(RowError(number, [_("与第 %(row)d 行重复。") % {"row": seen[key]}]))
                continue
            seen[key] = number
        built.append(obj)
    if errors:
        raise ImportFailed(errors)
    progress(VALIDATED_PERCENT)
    with transaction.atomic():
        for obj in built:
            save(obj)
    progress(100)
    return built


def _flatten(model: type[models.Model], exc: ValidationError) -> list[str]:
    """Messages prefixed with the Chinese name of the field they concern."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    flat: list[str] = []
    for name, messages in exc.message_dict.items():
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", ""))
        except FieldDoesNotExist:
            label = ""
        flat.extend(f"{label}：{message}" if label else message for message in messages)
    return flat
