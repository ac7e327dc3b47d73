"""core.spreadsheets: formula-safe cells, local times, reading rows and all-or-nothing imports."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from campaigns.models import Campaign
from core import spreadsheets as xl
from microstations.models import MicroStation
from organizations.models import Unit
from tests.factories import UnitFactory


def written(*rows, headers=("值",)):
    """Rows written through add_sheet and read back with a plain openpyxl load: the sheet's cells."""
    workbook = xl.new_workbook()
    xl.add_sheet(workbook, "测试", list(headers), rows)
    return load_workbook(io.BytesIO(xl.workbook_bytes(workbook)))["测试"]


def xlsx_upload(rows, name="导入.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=xl.XLSX_CONTENT_TYPE)


# --- writing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-1+2", "@SUM(A1:A2)", '=HYPERLINK("http://x")'])
def test_text_that_looks_like_a_formula_is_written_as_a_literal_string(value):
    sheet = written([value])

    cell = sheet["A2"]
    assert cell.value == value
    assert cell.data_type == "s"


def test_a_formula_like_header_is_a_literal_string_too():
    sheet = written(headers=["=cmd|' /C calc'!A0"])

    assert sheet["A1"].value == "=cmd|' /C calc'!A0"
    assert sheet["A1"].data_type == "s"


def test_cell_marks_a_formula_like_value_as_text_and_leaves_numbers_alone():
    workbook = xl.new_workbook()
    sheet = workbook.create_sheet("测试")

    assert xl.cell(sheet, "=1+1").data_type == "s"
    number = xl.cell(sheet, -5)
    assert number.value == -5
    assert number.data_type == "n"


def test_an_aware_datetime_is_written_in_shanghai_time_without_tzinfo():
    moment = dt.datetime(2025, 5, 20, 1, 30, tzinfo=dt.UTC)

    cell = written([moment])["A2"]

    assert cell.value == dt.datetime(2025, 5, 20, 9, 30)  # noqa: DTZ001 (Excel cells have no time zone)
    assert cell.value.tzinfo is None


def test_a_datetime_in_another_zone_is_converted_to_shanghai_time():
    moment = dt.datetime(2025, 5, 20, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))

    assert written([moment])["A2"].value == dt.datetime(2025, 5, 20, 18, 0)  # noqa: DTZ001 (as above)


def test_dates_numbers_booleans_and_none_are_written_as_excel_expects():
    sheet = written([dt.date(2025, 5, 20), 12, True, False, None], headers=["a", "b", "c", "d", "e"])

    assert sheet["A2"].value == dt.datetime(2025, 5, 20, 0, 0)  # noqa: DTZ001 (Excel dates read back as naive)
    assert sheet["B2"].value == 12
    assert (sheet["C2"].value, sheet["D2"].value) == ("是", "否")
    assert sheet["E2"].value is None


def test_the_template_has_the_headers_and_a_sheet_of_notes_with_the_example_beside_them():
    columns = [
        xl.Column("姓名", "name", xl.text, note="全名"),
        xl.Column("备注", "note", xl.text, required=False),
    ]

    workbook = load_workbook(io.BytesIO(xl.template_bytes("名单", columns, ["张三", "=无"])))

    assert workbook.sheetnames == ["名单", "填写说明"]
    # The example is not a data row: a template filled in below it cannot import it (issue 15).
    assert [[c.value for c in row] for row in workbook["名单"].iter_rows()] == [["姓名", "备注"]]
    notes = [[c.value for c in row] for row in workbook["填写说明"].iter_rows(min_row=2)]
    assert notes == [["姓名", "必填", "全名", "张三"], ["备注", "选填", None, "=无"]]
    assert workbook["填写说明"]["D3"].data_type == "s"  # text, never a formula


def test_the_response_is_an_xlsx_attachment_with_a_chinese_file_name():
    response = xl.xlsx_response(b"PK", "微站导出.xlsx")

    assert response["Content-Type"] == xl.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E5%BE%AE%E7%AB%99%E5%AF%BC%E5%87%BA.xlsx"
    )


# --- parsing cells --------------------------------------------------------------------------------


def test_text_reads_numbers_typed_into_excel_without_a_decimal_point():
    assert xl.text(13800000001.0) == "13800000001"
    assert xl.text("  高唐  ") == "高唐"
    assert xl.text(None) == ""


def test_integer_rejects_fractions_and_words():
    assert xl.integer("12") == 12
    assert xl.integer(12.0) == 12
    assert xl.integer("") is None
    with pytest.raises(ValidationError, match=re.escape("“1.5”不是整数")):
        xl.integer("1.5")
    with pytest.raises(ValidationError, match="“很多”不是整数"):
        xl.integer("很多")


def test_date_reads_dates_datetimes_and_common_spellings():
    assert xl.date(dt.datetime(2025, 5, 20, 8, 0)) == dt.date(2025, 5, 20)  # noqa: DTZ001 (a cell's value)
    assert xl.date("2025/05/20") == dt.date(2025, 5, 20)
    assert xl.date("2025.05.20") == dt.date(2025, 5, 20)
    assert xl.date("") is None
    with pytest.raises(ValidationError, match="不是有效日期"):
        xl.date("五月二十日")


def test_yes_no_accepts_chinese_and_rejects_anything_else():
    assert xl.yes_no("是") is True
    assert xl.yes_no("否") is False
    assert xl.yes_no(None) is False
    with pytest.raises(ValidationError, match="应填“是”或“否”"):
        xl.yes_no("可能")


def test_choice_reads_the_chinese_label_or_the_code_and_lists_the_options_otherwise():
    parse = xl.choice(MicroStation.Stage)

    assert parse("已揭牌运行") == MicroStation.Stage.OPENED
    assert parse("opened") == MicroStation.Stage.OPENED
    with pytest.raises(
        ValidationError, match="“开业”不是可选值（可选：规划、已落实承建单位、已布置、已揭牌运行）"
    ):
        parse("开业")


def test_by_name_finds_only_rows_within_the_queryset_it_was_given(db):
    gaotang = UnitFactory(name="高唐市场监管所")
    UnitFactory(name="价监科", kind=Unit.Kind.SECTION)
    parse = xl.by_name(Unit.objects.filter(kind=Unit.Kind.OFFICE))

    assert parse("高唐市场监管所") == gaotang
    assert parse("") is None
    with pytest.raises(ValidationError, match="找不到“价监科”"):
        parse("价监科")


# --- reading rows ---------------------------------------------------------------------------------

COLUMNS = [
    xl.Column("姓名", "name", xl.text),
    xl.Column("人数", "count", xl.integer),
    xl.Column("备注", "note", xl.text, required=False),
]


def test_read_rows_returns_parsed_rows_keyed_by_excel_row_number_and_skips_blank_rows():
    upload = xlsx_upload([["姓名", "人数", "备注"], ["张三", 3, ""], [None, None, None], ["李四", "4", "好"]])

    assert xl.read_rows(upload, COLUMNS) == [
        (2, {"name": "张三", "count": 3, "note": ""}),
        (4, {"name": "李四", "count": 4, "note": "好"}),
    ]


def test_read_rows_reports_every_bad_row_with_its_number_and_column():
    upload = xlsx_upload([["姓名", "人数", "备注"], ["张三", "三", ""], ["李四", 4, ""], ["", 5, ""]])

    with pytest.raises(xl.ImportFailed) as excinfo:
        xl.read_rows(upload, COLUMNS)

    assert [(e.row, e.messages) for e in excinfo.value.errors] == [
        (2, ["人数：“三”不是整数。"]),
        (4, ["姓名：必填。"]),
    ]


def test_read_rows_refuses_headers_that_do_not_match_the_template():
    upload = xlsx_upload([["名字", "人数", "备注"], ["张三", 3, ""]])

    with pytest.raises(ValidationError, match="表头与模板不一致。应为：姓名、人数、备注"):
        xl.read_rows(upload, COLUMNS)


def test_read_rows_refuses_a_file_that_is_not_an_xlsx_workbook():
    upload = SimpleUploadedFile("名单.xlsx", b"name,count\n", content_type="text/csv")

    with pytest.raises(ValidationError, match=re.escape("无法读取该文件，请使用下载的 .xlsx 模板填写。")):
        xl.read_rows(upload, COLUMNS)


def test_read_rows_refuses_a_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(xl, "MAX_IMPORT_BYTES", 10)
    upload = xlsx_upload([["姓名", "人数", "备注"]])

    with pytest.raises(ValidationError, match="文件超过 5 MB"):
        xl.read_rows(upload, COLUMNS)


# --- all or nothing -------------------------------------------------------------------------------


def campaign_rows(*years):
    return [(n, {"year": year}) for n, year in enumerate(years, start=2)]


def build_campaign(row):
    return Campaign(
        year=row["year"],
        name=f"{row['year']}年活动",
        theme="主题",
        metrology_day=dt.date(row["year"], 5, 20),
        notice_title="通知",
        notice_issuer="巫山县市场监督管理局",
        notice_text="正文",
    )


def test_import_all_or_nothing_saves_every_row_when_all_are_valid(db):
    saved = xl.import_all_or_nothing(Campaign, campaign_rows(2030, 2031), build_campaign, lambda c: c.save())

    assert [c.year for c in saved] == [2030, 2031]
    assert set(Campaign.objects.values_list("year", flat=True)) >= {2030, 2031}


def test_import_all_or_nothing_saves_nothing_when_one_row_fails_validation(db):
    def build(row):
        campaign = build_campaign(row)
        if row["year"] == 2032:
            campaign.name = ""
        return campaign

    before = Campaign.objects.count()
    with pytest.raises(xl.ImportFailed) as excinfo:
        xl.import_all_or_nothing(Campaign, campaign_rows(2030, 2032, 2031), build, lambda c: c.save())

    assert [(e.row, e.messages) for e in excinfo.value.errors] == [(3, ["活动名称：此字段不能为空。"])]
    assert Campaign.objects.count() == before


def test_import_all_or_nothing_names_the_earlier_row_a_duplicate_repeats(db):
    before = Campaign.objects.count()
    with pytest.raises(xl.ImportFailed) as excinfo:
        xl.import_all_or_nothing(
            Campaign,
            campaign_rows(2030, 2031, 2030),
            build_campaign,
            lambda c: c.save(),
            unique_together=["year"],
        )

    assert [(e.row, e.messages) for e in excinfo.value.errors] == [(4, ["与第 2 行重复。"])]
    assert Campaign.objects.count() == before
