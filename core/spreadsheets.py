"""Excel in and out, shared by every app: safe cells, Chinese headers, all-or-nothing imports.

Three openpyxl pitfalls are handled here once: user text starting with = + - @ would be written as a
live formula (it is forced to a plain string cell), time-zone-aware datetimes are refused (they are
converted to Asia/Shanghai and written without tzinfo), and a control character makes the whole
workbook fail (new text is refused at the boundary, core/text.py; legacy text is stripped here).

Imports read no more than they need: a size limit, a data-row limit, and the end of the table at the
first run of blank rows (settings IMPORT_MAX_ROWS and IMPORT_MAX_BLANK_ROWS).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple
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
from openpyxl.worksheet.datavalidation import DataValidation

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
    options: dict[int, Sequence[str]] | None = None,
) -> None:
    """A write-only sheet with a frozen, styled header row.

    `options` gives, by column index, the values a drop-down offers for that column (a list validation
    over the data rows an import reads; see add_drop_downs).
    """
    sheet = workbook.create_sheet(title=title)
    if options:
        add_drop_downs(workbook, sheet, options)
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


OPTIONS_SHEET = "选项"


def add_drop_downs(workbook: Workbook, sheet: Any, options: dict[int, Sequence[str]]) -> None:
    """Drop-down lists for choice columns: Excel offers the values and refuses others as they are typed.

    The values live in a hidden sheet (a list typed into the rule itself is cut at 255 characters,
    which the longer choice lists exceed); the rule covers every row an import would read.
    """
    # One hidden sheet per data sheet (a write-only sheet cannot be added to once written).
    name = f"{OPTIONS_SHEET}{len(workbook.sheetnames)}"
    lists = workbook.create_sheet(title=name)
    lists.sheet_state = "hidden"
    columns = sorted(options)
    longest = max((len(options[index]) for index in columns), default=0)
    for row in range(longest):
        lists.append([options[index][row] if row < len(options[index]) else None for index in columns])
    last_row = max_import_rows() + 1
    for offset, index in enumerate(columns):
        source = get_column_letter(offset + 1)
        rule = DataValidation(
            type="list",
            formula1=f"'{name}'!${source}$1:${source}${len(options[index])}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("不是可选值"),
            error=_("请从下拉列表中选择。"),
        )
        letter = get_column_letter(index + 1)
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.data_validations.append(rule)


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    # Hidden sheets (drop-down lists) go last, after the sheets people read.
    # (move_sheet cannot find a write-only sheet, so the order is set on the list it keeps; stable.)
    workbook._sheets.sort(key=lambda sheet: sheet.sheet_state == "hidden")
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


YES_NO_OPTIONS = ("是", "否")


class choice:  # noqa: N801 (used like the parse functions beside it)
    """Reads a choice by its Chinese label (or its code); its labels are the column's drop-down."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.choices = choices
        self.by_label = {str(label): value for value, label in choices.choices}

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(self.by_label)

    def __call__(self, value: Any) -> str:
        raw = text(value)
        if raw == "":
            return ""
        if raw in self.by_label:
            return self.by_label[raw]
        if raw in self.choices.values:
            return raw
        raise ValidationError(
            _("“%(value)s”不是可选值（可选：%(options)s）。")
            % {"value": raw, "options": "、".join(self.by_label)}
        )


def column_options(columns: Sequence[Column]) -> dict[int, Sequence[str]]:
    """The drop-down of each choice or 是/否 column, by column index (for add_sheet's `options`)."""
    found: dict[int, Sequence[str]] = {}
    for index, column in enumerate(columns):
        if column.parse is yes_no:
            found[index] = YES_NO_OPTIONS
        elif isinstance(column.parse, choice | by_name) and (options := column.parse.options):
            found[index] = options
    return found


class by_name:  # noqa: N801 (used like the parse functions beside it)
    """Reads a related row by its name, within `queryset` (already scoped to what may be referenced).

    With `offer`, the names (at most MAX_OFFERED) become the column's drop-down: only for lists anyone
    filling in the file may see, such as the offices.
    """

    MAX_OFFERED = 200

    def __init__(
        self, queryset: models.QuerySet[Any], attribute: str = "name", *, offer: bool = False
    ) -> None:
        self.queryset, self.attribute, self.offer = queryset, attribute, offer

    @property
    def options(self) -> tuple[str, ...]:
        if not self.offer:
            return ()
        names = self.queryset.order_by(self.attribute).values_list(self.attribute, flat=True)
        return tuple(str(name) for name in names[: self.MAX_OFFERED])

    def __call__(self, value: Any) -> Any:
        raw = text(value)
        if raw == "":
            return None
        found = self.queryset.filter(**{self.attribute: raw}).first()
        if found is None:
            raise ValidationError(_("找不到“%(value)s”。") % {"value": raw})
        return found


def template_bytes(title: str, columns: Sequence[Column], example: Sequence[Any] = ()) -> bytes:
    """The downloadable import template: the headers with drop-downs, and a sheet of notes.

    The example is shown on the notes sheet, one value beside each column's note, never as a data row
    that could be imported as a real one (read_table also skips a row equal to it, from older templates).
    """
    workbook = new_workbook()
    add_sheet(workbook, title, [c.header for c in columns], [], options=column_options(columns))
    examples = list(example) + [""] * (len(columns) - len(example))
    add_sheet(
        workbook,
        _("填写说明"),
        [_("列"), _("是否必填"), _("说明"), _("示例")],
        [
            (c.header, _("必填") if c.required else _("选填"), c.note, examples[index])
            for index, c in enumerate(columns)
        ],
        widths=[20, 10, 70, 40],
    )
    return workbook_bytes(workbook)


def export_bytes(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    extra_headers: Sequence[str] = (),
    number_formats: dict[int, str] | None = None,
) -> bytes:
    """An export that is also an import file: the template's headers and drop-downs, then the rows.

    Columns in `extra_headers` (derived, read-only) come after the template's; an import ignores them.
    """
    workbook = new_workbook()
    add_sheet(
        workbook,
        title,
        [c.header for c in columns] + list(extra_headers),
        rows,
        number_formats=number_formats,
        options=column_options(columns),
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


Rows = list[tuple[int, dict[str, Any]]]


def read_rows(upload: Any, columns: Sequence[Column], *, example: Sequence[Any] = ()) -> Rows:
    """read_table, raising ImportFailed when any cell cannot be read (for callers with no model rules)."""
    rows, errors = read_table(upload, columns, example=example)
    if errors:
        raise ImportFailed(errors)
    return rows


def read_table(
    upload: Any, columns: Sequence[Column], *, example: Sequence[Any] = ()
) -> tuple[Rows, list[RowError]]:
    """Rows of the first sheet as {field: parsed value}, keyed by their Excel row number, and the
    problems of every row whose cells cannot be read (the caller adds the model's rules to them, so
    that every problem of the file is reported in one pass).

    A row equal to the template's `example` is skipped: older templates carried it as a data row.

    The table ends at the first run of IMPORT_MAX_BLANK_ROWS blank rows (shorter gaps are skipped):
    what follows is not read, so a sheet of a million empty rows costs no more than fifty. The
    sheet's declared size (`max_row`) is not used to refuse a file: Excel counts formatted empty rows.

    Raises ValidationError for a file that is too large, not a readable .xlsx, whose headers do not
    match, with more than IMPORT_MAX_ROWS data rows, or with no data before the first blank run;
    unreadable cells are returned as row errors.
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
        parsed: Rows = []
        errors: list[RowError] = []
        blank_run = 0
        skipped = _texts(example, len(columns)) if example else None
        for number, values in enumerate(rows, start=2):
            if skipped is not None and values is not None and _texts(values, len(columns)) == skipped:
                continue
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
    if not parsed and not errors and blank_run >= blank_limit:
        raise ValidationError(
            _("表头下连续 %(blank)d 行都是空行，没有读到数据。请从第 2 行起逐行填写，中间不要留空行。")
            % {"blank": blank_limit}
        )
    return parsed, errors


def _texts(values: Sequence[Any], width: int) -> list[str]:
    cells = [text(v) for v in values[:width]]
    return cells + [""] * (width - len(cells))


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


@dataclass
class Upsert:
    """What one import row does: create a row, or update `existing` with `data`.

    `instance` is what the model's rules validate: a new, unsaved row, or a copy of `existing` with
    `data` applied; `changed` names the fields whose value the row changes (an update with none is
    left alone, so re-importing an unedited export writes nothing).
    """

    instance: models.Model
    data: dict[str, Any]
    existing: models.Model | None = None
    changed: list[str] = dataclasses.field(default_factory=list)


class RowKey(NamedTuple):
    """What identifies a row's record (a field and its value): two rows of one file may not share it."""

    field: str
    value: Any


class ImportOutcome(list[models.Model]):
    """The rows an import wrote (created or updated), with how many of each, and those left unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.created = self.updated = self.unchanged = 0


def apply_changes(instance: models.Model, data: dict[str, Any]) -> list[str]:
    """Set `data` on `instance` and name the fields whose value changed (a related row by its pk)."""
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        current = getattr(instance, getattr(field, "attname", name))
        new = value.pk if isinstance(value, models.Model) else value
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def update_of(existing: models.Model, data: dict[str, Any], *, allowed: bool, refused: str) -> Upsert:
    """The Upsert of a row that names `existing`: `data` applied to a copy (the loaded row stays as the
    database has it); a change the actor may not make (`allowed` false) is the row's error `refused`."""
    changed_copy = copy.copy(existing)
    changed = apply_changes(changed_copy, data)
    if changed and not allowed:
        raise ValidationError(refused)
    return Upsert(instance=changed_copy, data=data, existing=existing, changed=changed)


def import_upserts(
    model: type[models.Model],
    rows: Rows,
    plan: Callable[[dict[str, Any]], Upsert],
    write: Callable[[Upsert], models.Model],
    *,
    key: Callable[[dict[str, Any]], Any] | None = None,
    progress: Callable[[int], None] = no_progress,
    errors: Sequence[RowError] = (),
) -> ImportOutcome:
    """Plan and validate every row first; write them all in one transaction only if none failed.

    `plan(row)` says what the row does (and may raise ValidationError); its instance is then checked
    with `full_clean()`. Two rows with the same `key(row)` (not None) are an error of the second.
    `errors` are the problems already found reading the file (read_table): every problem of the file
    is reported in one ImportFailed, in row order. `write` goes through the app's service.

    `progress(percent)` is told every PROGRESS_EVERY rows while validating (up to 90) and 100 once
    written; it is never called inside the writing transaction, whose writes nobody else could see.
    """
    found = list(errors)
    planned: list[Upsert] = []
    seen: dict[Any, int] = {}
    for index, (number, row) in enumerate(rows):
        if index and index % PROGRESS_EVERY == 0:
            progress(index * VALIDATED_PERCENT // len(rows))
        try:
            upsert = plan(row)
            upsert.instance.full_clean()
        except ValidationError as exc:
            found.append(RowError(number, _flatten(model, exc)))
            continue
        row_key = key(row) if key else None
        if row_key is not None:
            if row_key in seen:
                found.append(RowError(number, [_duplicate_message(model, row_key, seen[row_key])]))
                continue
            seen[row_key] = number
        planned.append(upsert)
    if found:
        raise ImportFailed(sorted(found, key=lambda error: error.row))
    progress(VALIDATED_PERCENT)
    outcome = ImportOutcome()
    with transaction.atomic():
        for upsert in planned:
            if upsert.existing is not None and not upsert.changed:
                outcome.unchanged += 1
                continue
            outcome.append(write(upsert))
            if upsert.existing is None:
                outcome.created += 1
            else:
                outcome.updated += 1
    progress(100)
    return outcome


def _duplicate_message(model: type[models.Model], key: Any, first: int) -> str:
    if not isinstance(key, RowKey):
        return _("与第 %(row)d 行重复。") % {"row": first}
    label = str(getattr(model._meta.get_field(key.field), "verbose_name", key.field))
    return _("%(label)s：“%(value)s”与第 %(row)d 行重复。") % {
        "label": label,
        "value": key.value,
        "row": first,
    }


def import_all_or_nothing(
    model: type[models.Model],
    rows: Rows,
    build: Callable[[dict[str, Any]], models.Model],
    save: Callable[[models.Model], None],
    *,
    unique_together: Sequence[str] = (),
    progress: Callable[[int], None] = no_progress,
    errors: Sequence[RowError] = (),
) -> list[models.Model]:
    """import_upserts for files whose every row is new: `build` makes the row, `save` stores it."""

    def write(upsert: Upsert) -> models.Model:
        save(upsert.instance)
        return upsert.instance

    return import_upserts(
        model,
        rows,
        lambda row: Upsert(instance=build(row), data=row),
        write,
        key=(lambda row: tuple(row.get(name) for name in unique_together)) if unique_together else None,
        progress=progress,
        errors=errors,
    )


# --- Error receipts --------------------------------------------------------------------------------


def error_receipt_bytes(errors: Iterable[RowError | dict[str, Any]]) -> bytes:
    """The rows an import refused and why, as a workbook to fix the file by (row errors or their JSON)."""
    rows: list[list[Any]] = []
    for error in errors:
        row, messages = (
            (error.row, error.messages)
            if isinstance(error, RowError)
            else (
                error["row"],
                error["messages"],
            )
        )
        rows.extend([row, message] for message in messages)
    workbook = new_workbook()
    add_sheet(workbook, _("导入错误"), [_("行号"), _("问题")], rows, widths=[10, 90])
    return workbook_bytes(workbook)


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
