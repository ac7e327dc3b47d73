"""The ledger in and out of Excel in e-CQS column order, round-tripped, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core import spreadsheets as xl
from instruments.importing import instrument_columns, instruments_export, instruments_import
from instruments.models import ECQS_FIELDS, RegisteredInstrument

pytestmark = pytest.mark.django_db

ECQS_HEADERS = [
    "名称",
    "项别",
    "种别",
    "型号规格",
    "测量范围",
    "准确度等级",
    "出厂编号",
    "生产厂家",
    "产地",
    "安装/使用地点",
    "数量",
    "用途",
    "送检方式",
]


def upload(rows, headers=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or [c.header for c in instrument_columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def sheet_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def a_row(**overrides):
    values = {
        "名称": "电子计价秤",
        "项别": "衡器",
        "种别": "电子秤",
        "型号规格": "ACS-30",
        "测量范围": "(0~30)kg",
        "准确度等级": "Ⅲ级",
        "出厂编号": "A0001",
        "生产厂家": "某衡器厂",
        "产地": "重庆",
        "安装/使用地点": "神女市场 8 号摊位",
        "数量": 1,
        "用途": "贸易结算",
        "送检方式": "送检",
        "器具类型": "电子计价秤",
        "器具码": "",
        "检定日期": dt.date(2025, 3, 1),
        "有效期至": dt.date(2026, 2, 28),
        "检定结果": "合格",
        "检定证书号": "JD-1",
        "识别编码": "",
        "经度": 109.878,
        "纬度": 31.074,
        **overrides,
    }
    return [values[c.header] for c in instrument_columns()]


def test_the_first_columns_are_e_cqs_in_its_order():
    columns = instrument_columns()
    assert [c.header for c in columns[:13]] == ECQS_HEADERS
    assert [c.field for c in columns[:13]] == list(ECQS_FIELDS)


def test_an_export_reimports_unchanged_and_an_edited_export_updates_in_place(office_a, instrument_a):
    exported = instruments_export(RegisteredInstrument.objects.all())
    rows = sheet_rows(exported)
    assert rows[0][:13] == ECQS_HEADERS
    assert rows[1][:13] == [
        "电子计价秤", "衡器", "电子秤", "ACS-15", "(0~15)kg", "Ⅲ级", instrument_a.serial_no,
        "上海友声衡器有限公司", "上海", "神女市场 12 号摊位", 1, "贸易结算", None,
    ]  # fmt: skip
    assert rows[1][14] == instrument_a.code

    again = instruments_import(
        actor=office_a, upload=SimpleUploadedFile("x.xlsx", exported), owner=instrument_a.owner
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    rows[1][9] = "神女市场 13 号摊位"
    edited = upload([rows[1]], headers=rows[0])
    outcome = instruments_import(actor=office_a, upload=edited, owner=instrument_a.owner)
    assert (outcome.created, outcome.updated) == (0, 1)
    instrument_a.refresh_from_db()
    assert instrument_a.location == "神女市场 13 号摊位"
    assert RegisteredInstrument.objects.count() == 1
    assert sheet_rows(instruments_export(RegisteredInstrument.objects.all()))[1][:22] == rows[1][:22]


def test_new_rows_are_registered_for_the_owner_under_the_office(office_a, owner):
    outcome = instruments_import(
        actor=office_a, upload=upload([a_row(), a_row(出厂编号="A0002")]), owner=owner
    )
    assert outcome.created == 2
    lines = RegisteredInstrument.objects.order_by("serial_no")
    assert [(i.owner, i.unit, i.serial_no, i.valid_until) for i in lines] == [
        (owner, office_a.unit, "A0001", dt.date(2026, 2, 28)),
        (owner, office_a.unit, "A0002", dt.date(2026, 2, 28)),
    ]
    assert len({line.code for line in lines}) == 2


def test_one_bad_row_imports_nothing_and_every_problem_is_named(office_a, owner, instrument_b):
    bad = upload(
        [
            a_row(),
            a_row(数量=0, 用途="自用"),
            a_row(器具码=instrument_b.code),
            a_row(器具类型="不存在的秤", 经度=None),
        ]
    )
    with pytest.raises(xl.ImportFailed) as exc:
        instruments_import(actor=office_a, upload=bad, owner=owner)
    errors = {error.row: error.messages for error in exc.value.errors}
    assert set(errors) == {3, 4, 5}
    assert any("不是可选值" in message for message in errors[3])
    assert any("不是该使用单位台账中的器具" in message for message in errors[4])
    assert any("找不到“不存在的秤”" in message for message in errors[5])
    assert RegisteredInstrument.objects.count() == 1  # instrument_b only


def test_leadership_cannot_import(leader, owner):
    with pytest.raises(PermissionDenied):
        instruments_import(actor=leader, upload=upload([a_row()]), owner=owner)
