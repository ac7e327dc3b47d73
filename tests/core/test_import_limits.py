"""Imports read no more than they need: a sheet of a million blank rows ends in a second or two with a
clear message, and more data rows than the limit are refused as soon as the limit is passed."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core import spreadsheets as xl
from enterprises.importing import enterprise_columns
from enterprises.models import Enterprise

COLUMNS = [xl.Column("名称", "name", xl.text), xl.Column("数量", "count", xl.integer, required=False)]
BLANK_FILE_ROWS = 1_000_000

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)


def inline(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def blank_rows_xlsx(headers: list[str], blank_rows: int) -> bytes:
    """A valid .xlsx whose header row is followed by `blank_rows` rows of one formatted empty cell,
    as Excel saves a sheet formatted far down. Written as XML directly: openpyxl would take minutes."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:A{blank_rows + 1}"/><sheetData>'
        f'<row r="1">{"".join(inline(h) for h in headers)}</row>'
        + '<row><c s="0"/></row>' * blank_rows
        + "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def upload_of(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("导入.xlsx", content, content_type=xl.XLSX_CONTENT_TYPE)


def xlsx_upload(rows: list[list[Any]], headers: list[str] | None = None) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or [c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return upload_of(buffer.getvalue())


@pytest.fixture(scope="module")
def million_blank_rows() -> bytes:
    return blank_rows_xlsx([c.header for c in COLUMNS], BLANK_FILE_ROWS)


def test_a_million_blank_rows_end_within_seconds_with_a_clear_message(million_blank_rows):
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        xl.read_rows(upload_of(million_blank_rows), COLUMNS)
    elapsed = time.monotonic() - started

    assert caught.value.messages == [
        "表头下连续 50 行都是空行，没有读到数据。请从第 2 行起逐行填写，中间不要留空行。"
    ]
    assert elapsed < 3  # reading all of it takes about 40 s on these machines


def test_the_admin_import_answers_a_million_blank_rows_on_the_form(client, bureau_admin, settings):
    from tests.enterprises.factories import campaign_2025

    content = blank_rows_xlsx([c.header for c in enterprise_columns()], BLANK_FILE_ROWS)
    client.force_login(bureau_admin)

    started = time.monotonic()
    response = client.post(
        "/admin/enterprises/enterprise/import/", {"campaign": campaign_2025().pk, "file": upload_of(content)}
    )

    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "表头下连续 50 行都是空行，没有读到数据。请从第 2 行起逐行填写，中间不要留空行。"
    ]
    assert not Enterprise.objects.exists()


def test_rows_after_a_short_gap_are_read_and_the_table_ends_at_the_first_long_blank_run(settings):
    settings.IMPORT_MAX_BLANK_ROWS = 3
    rows = [["甲", 1], [None, None], ["", "  "], ["乙", 2], [None], [None], [None], ["丙（表格之外）", 3]]

    parsed = xl.read_rows(xlsx_upload(rows), COLUMNS)

    assert parsed == [(2, {"name": "甲", "count": 1}), (5, {"name": "乙", "count": 2})]


def test_more_data_rows_than_the_limit_are_refused_without_reading_the_rest(settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 20
    parsed_rows: list[Any] = []
    real_parse = xl._parse_row
    monkeypatch.setattr(xl, "_parse_row", lambda *a: parsed_rows.append(a) or real_parse(*a))

    with pytest.raises(ValidationError) as caught:
        xl.read_rows(xlsx_upload([[f"第{n}行", n] for n in range(500)]), COLUMNS)

    assert caught.value.messages == ["一次最多导入 20 行数据，请分批导入。"]
    assert len(parsed_rows) == 20


def test_exactly_the_limit_is_accepted(settings):
    settings.IMPORT_MAX_ROWS = 20

    assert len(xl.read_rows(xlsx_upload([[f"第{n}行", n] for n in range(20)]), COLUMNS)) == 20


def test_a_file_that_would_unpack_to_far_more_than_any_import_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(xl, "MAX_IMPORT_UNPACKED_BYTES", 1024 * 1024)
    monkeypatch.setattr(xl, "load_workbook", lambda *a, **k: pytest.fail("the file was parsed"))

    with pytest.raises(ValidationError) as caught:
        xl.read_rows(upload_of(blank_rows_xlsx(["名称"], 100_000)), COLUMNS)

    assert caught.value.messages == ["文件内容过大（解压后超过 1 MB），请分批导入。"]


def test_an_empty_template_still_imports_nothing_without_complaint():
    assert xl.read_rows(xlsx_upload([]), COLUMNS) == []
