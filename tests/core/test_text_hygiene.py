"""Control characters are refused where text comes in (forms, API, imports, reasons), and a workbook
still builds from rows saved before that."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from openpyxl import Workbook, load_workbook

from core import spreadsheets as xl
from core.text import CONTROL_CHARACTERS, is_project_model, validate_no_control_characters
from enterprises.importing import enterprise_columns, enterprises_import
from enterprises.models import Enterprise, EnterpriseVisit
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseFactory, EnterpriseVisitFactory, campaign_2025, credit_code

MESSAGE_BELL = "不能包含控制字符（如 \\x07）。"


def enterprise_data(**overrides):
    return {
        "name": "巫山县视康眼镜有限公司",
        "credit_code": credit_code(701),
        "kind": Enterprise.Kind.COMPANY,
        "industry": Enterprise.Industry.OPTICAL,
        "size": Enterprise.Size.SMALL,
        "address": "巫山县龙门街道龙门大道 8 号",
        "township": "龙门街道",
        "contact_name": "沈经理",
        "contact_phone": "13800001234",
        "note": "",
        **overrides,
    }


# --- the validator ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["铃\x07声", "\x1b[31m红", "\x00", "\x7f", "C1\x9b", "\x85"])
def test_control_characters_are_refused_and_named(value):
    with pytest.raises(ValidationError) as caught:
        validate_no_control_characters(value)

    found = CONTROL_CHARACTERS.search(value)
    assert found
    assert caught.value.messages == [f"不能包含控制字符（如 \\x{ord(found.group()):02x}）。"]


@pytest.mark.parametrize(
    "value", ["第一行\n第二行", "列1\t列2", "Windows\r\n换行", "全角　空格", "😀", "", None, 5]
)
def test_tab_newline_and_ordinary_text_pass(value):
    validate_no_control_characters(value)


def test_every_text_field_of_the_projects_models_has_the_validator_and_packages_are_left_alone():
    checked = 0
    for model in apps.get_models():
        for field in model._meta.local_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                assert (validate_no_control_characters in field.validators) == is_project_model(model), (
                    model,
                    field.name,
                )
                checked += is_project_model(model)
    assert checked > 100
    assert validate_no_control_characters not in Group._meta.get_field("name").validators


# --- the doors ----------------------------------------------------------------------------------------


def test_the_enterprise_form_refuses_a_control_character_and_saves_nothing(client, office_a):
    client.force_login(office_a)

    response = client.post("/workbench/enterprises/new/", enterprise_data(address="龙门大道\x07 8 号"))

    assert response.status_code == 200
    assert response.context["form"].errors["address"] == [MESSAGE_BELL]
    assert not Enterprise.objects.exists()


def test_the_form_still_takes_multi_line_text(client, office_a):
    client.force_login(office_a)

    client.post("/workbench/enterprises/new/", enterprise_data(note="第一行\r\n第二行\t备注"))

    assert Enterprise.objects.get().note == "第一行\r\n第二行\t备注"


@pytest.mark.parametrize("field", ["name", "address", "note"])
def test_the_api_answers_400_naming_the_field(api_client, office_a, field):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        "/api/v1/enterprises/", enterprise_data(**{field: "巫山\x1b[2J"}), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {field: ["不能包含控制字符（如 \\x1b）。"]}
    assert not Enterprise.objects.exists()


def test_a_return_reason_with_a_control_character_is_refused(api_client, office_a, bureau_admin):
    campaign_2025()
    visit = EnterpriseVisitFactory(
        enterprise=EnterpriseFactory(created_by=office_a),
        unit=office_a.unit,
        created_by=office_a,
        review_status=ReviewStatus.SUBMITTED,
    )
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(
        f"/api/v1/enterprise-visits/{visit.pk}/return/", {"reason": "请补\x07照片"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"reason": [MESSAGE_BELL]}
    assert EnterpriseVisit.objects.get(pk=visit.pk).review_status == ReviewStatus.SUBMITTED


def xlsx_upload(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in enterprise_columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("企业导入.xlsx", buffer.getvalue(), content_type=xl.XLSX_CONTENT_TYPE)


def test_an_import_refuses_a_control_character_with_its_row_and_column(db, bureau_admin):
    # XML cannot carry C0 characters; C1 ones (here CSI, \x9b) reach a cell through any tool.
    good = ["巫山县官渡镇农副产品加工厂", credit_code(601), "企业", "农副食品及食品加工业", "微型",
            "巫山县官渡镇官渡街 3 号", "官渡镇", "褚厂长", "13900001111", ""]  # fmt: skip
    bad = [*good[:5], "官渡街\x9b3 号", *good[6:]]
    bad[0], bad[1] = "巫山县另一家加工厂", credit_code(602)

    with pytest.raises(xl.ImportFailed) as caught:
        enterprises_import(actor=bureau_admin, upload=xlsx_upload([good, bad]))

    assert [(e.row, e.messages) for e in caught.value.errors] == [
        (3, ["地址：不能包含控制字符（如 \\x9b）。"])
    ]
    assert not Enterprise.objects.exists()


# --- legacy text on the way out -----------------------------------------------------------------------


def test_a_workbook_builds_from_legacy_text_with_control_characters():
    workbook = xl.new_workbook()
    xl.add_sheet(
        workbook, "旧数据", ["名称\x07", "备注"], [("铃\x07声", "转义\x1b[0m与\x00空"), ("=1+1\x07", 3)]
    )

    sheet = load_workbook(io.BytesIO(xl.workbook_bytes(workbook)))["旧数据"]

    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["名称", "备注"],
        ["铃声", "转义[0m与空"],
        ["=1+1", 3],
    ]
    assert sheet["A3"].data_type == "s"


def test_a_plain_serializer_feeding_a_service_ends_in_the_models_validation(api_client, office_a):
    # SolveSerializer is not a ModelSerializer: the refusal comes from the service's full_clean().
    from organizations.models import Unit
    from tests.factories import UnitFactory

    campaign_2025()
    visit = EnterpriseVisitFactory(
        enterprise=EnterpriseFactory(created_by=office_a), unit=office_a.unit, created_by=office_a
    )
    testing_unit = UnitFactory(name="巫山检测所", short_name="检测所", kind=Unit.Kind.TESTING)
    api_client.force_authenticate(office_a)
    created = api_client.post(
        "/api/v1/enterprise-problems/",
        {"visit": visit.pk, "category": "management", "description": "未建立台账"},
        format="json",
    )
    url = f"/api/v1/enterprise-problems/{created.json()['id']}/"
    assert (
        api_client.post(f"{url}assign/", {"assigned_unit": testing_unit.pk}, format="json").status_code == 200
    )

    response = api_client.post(f"{url}solve/", {"solution": "指导\x07建立台账"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"solution": [MESSAGE_BELL]}
    assert api_client.get(url).json()["solution"] == ""


def test_the_admin_export_of_legacy_rows_with_control_characters_is_a_workbook(client, bureau_admin):
    enterprise = EnterpriseFactory(name="巫山县旧数据商行")
    # Legacy rows cannot hold NUL on PostgreSQL (its text type refuses it), so the note has a backspace,
    # which openpyxl refuses just the same.
    Enterprise.objects.filter(pk=enterprise.pk).update(name="巫山县\x07旧数据\x1b商行", note="备\x08注")
    client.force_login(bureau_admin)

    response = client.post(
        "/admin/enterprises/enterprise/", {"action": "export_xlsx", "_selected_action": [enterprise.pk]}
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert {"巫山县旧数据商行", "备注"} <= values
