"""The enterprise admin: .xlsx template, all-or-nothing import with a row report, exports, scoping."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from enterprises.importing import enterprise_columns
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from organizations.roles import Role
from tests.enterprises.factories import EnterpriseFactory, credit_code
from tests.factories import UserFactory

CHANGELIST = "/admin/enterprises/enterprise/"
IMPORT = "/admin/enterprises/enterprise/import/"
TEMPLATE = "/admin/enterprises/enterprise/import/template/"
VISITS = "/admin/enterprises/enterprisevisit/"
PROBLEMS = "/admin/enterprises/metrologyproblem/"
PARTNERSHIPS = "/admin/enterprises/partnership/"


def enterprise_row(name="巫山县官渡镇农副产品加工厂", code=None, **overrides):
    """One row in template column order, as a clerk fills it in."""
    row = {
        "企业名称": name,
        "统一社会信用代码": credit_code(601) if code is None else code,
        "主体类型": "企业",
        "所属行业": "农副食品及食品加工业",
        "企业规模": "微型",
        "地址": "巫山县官渡镇官渡街 3 号",
        "乡镇/街道": "官渡镇",
        "联系人": "褚厂长",
        "联系电话": "13900001111",
        "备注": "",
        "经度": "",
        "纬度": "",
        **overrides,
    }
    return [row[c.header] for c in enterprise_columns()]


def workbook_upload(rows, headers=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers if headers is not None else [c.header for c in enterprise_columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("企业导入.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def import_file(client, campaign, upload):
    return client.post(IMPORT, {"campaign": campaign.pk, "file": upload})


def row_errors(response) -> dict[int, list[str]]:
    return {error.row: error.messages for error in response.context["row_errors"]}


@pytest.fixture
def staff_office_a(unit_a):
    return UserFactory(username="staff_office_a", unit=unit_a, is_staff=True, roles=[Role.OFFICE])


# --- template and import -----------------------------------------------------------------------------


def test_the_template_has_the_chinese_headers_a_valid_example_and_notes(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"] == ["企业名录", "填写说明"]
    headers = [c.value for c in workbook["企业名录"][1]]
    assert headers[:3] == ["企业名称", "统一社会信用代码", "主体类型"]
    assert workbook["企业名录"].max_row == 1  # no example row that could be imported as a real one
    from enterprises import uscc

    notes = {row[0].value: row for row in workbook["填写说明"].iter_rows(min_row=2)}
    assert notes["统一社会信用代码"][1].value == "选填"
    assert uscc.is_valid(notes["统一社会信用代码"][3].value)  # the example, beside the note


def test_a_valid_file_imports_every_row_normalising_codes(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    code = credit_code(602)
    rows = [
        enterprise_row(),
        enterprise_row("巫山县巫峡镇老腊肉加工坊", code=f" {code.lower()} ", 主体类型="个体工商户"),
        enterprise_row("神女市场 A-12 号摊", code="", 主体类型="市场摊位", 所属行业="批发和零售业"),
        enterprise_row("平湖市场 B-03 号摊", code="", 主体类型="市场摊位", 所属行业="批发和零售业"),
    ]

    response = import_file(client, campaign, workbook_upload(rows))

    assert response.status_code == 302
    assert Enterprise.objects.count() == 4
    imported = Enterprise.objects.get(name="巫山县巫峡镇老腊肉加工坊")
    assert (imported.credit_code, imported.kind, imported.region_code) == (code, "individual", "500237")
    assert imported.created_by == bureau_admin
    assert imported.history.get().history_user == bureau_admin


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        (
            enterprise_row("坏代码公司", code="91350100M000100Y4Z"),
            "统一社会信用代码：统一社会信用代码含有不允许的字符“Z”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        (
            enterprise_row("抄错公司", code="91350100M000100Y44"),
            "统一社会信用代码：统一社会信用代码校验不通过，请核对是否抄错。",
        ),
        (enterprise_row("重复公司"), f"统一社会信用代码：“{credit_code(601)}”与第 2 行重复。"),
        (enterprise_row("无代码公司", code=""), "统一社会信用代码：除市场摊位外，须填写统一社会信用代码。"),
        (enterprise_row("怪规模公司", code=credit_code(603), 企业规模="巨型"), "企业规模：“巨型”不是可选值"),
        (enterprise_row("无名", code=credit_code(604), 企业名称=""), "企业名称：必填。"),
    ],
    ids=["bad-character", "bad-check", "duplicate-in-file", "missing-code", "unknown-size", "missing-name"],
)
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(
    client, bureau_admin, campaign, bad_row, expected
):
    client.force_login(bureau_admin)
    good = enterprise_row()
    also_good = enterprise_row("巫山县福田建材有限公司", code=credit_code(605))

    response = import_file(client, campaign, workbook_upload([good, also_good, bad_row]))

    assert response.status_code == 200
    errors = row_errors(response)
    assert list(errors) == [4]
    assert any(expected in message for message in errors[4]), errors
    html = response.content.decode()
    assert "有 1 行有误，未导入任何数据" in html
    assert not Enterprise.objects.exists()


def test_a_code_already_registered_updates_that_enterprise_instead_of_adding_one(
    client, bureau_admin, campaign, enterprise
):
    client.force_login(bureau_admin)
    row = enterprise_row("巫山县三峡红脆李食品有限公司（更名）", code=enterprise.credit_code)

    response = import_file(client, campaign, workbook_upload([row]))

    assert response.status_code == 302
    assert Enterprise.objects.count() == 1
    enterprise.refresh_from_db()
    assert enterprise.name == "巫山县三峡红脆李食品有限公司（更名）"


def test_every_bad_row_is_listed_at_once(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    rows = [
        enterprise_row(),
        enterprise_row("甲", code="91350100M000100Y44"),
        enterprise_row("乙"),
        enterprise_row("丙", code="123"),
    ]

    response = import_file(client, campaign, workbook_upload(rows))

    assert sorted(row_errors(response)) == [3, 4, 5]
    assert not Enterprise.objects.exists()


def test_wrong_headers_are_refused(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = import_file(client, campaign, workbook_upload([enterprise_row()], headers=["名称", "代码"]))

    assert "表头与模板不一致" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_an_office_clerk_with_admin_access_imports_into_the_shared_registry(client, staff_office_a, campaign):
    client.force_login(staff_office_a)

    response = import_file(client, campaign, workbook_upload([enterprise_row()]))

    assert response.status_code == 302
    assert Enterprise.objects.get().created_by == staff_office_a


def test_the_import_columns_are_the_registrys_allow_list_and_the_import_checks_permission(leader, campaign):
    from enterprises.importing import enterprises_import

    assert [c.field for c in enterprise_columns()] == list(Enterprise.registry_fields)
    with pytest.raises(PermissionDenied):
        enterprises_import(actor=leader, upload=workbook_upload([enterprise_row()]))
    assert not Enterprise.objects.exists()


# --- export -------------------------------------------------------------------------------------------


def test_the_export_reimports_and_carries_the_derived_columns(client, bureau_admin, campaign, enterprise):
    EnterpriseFactory(name='=HYPERLINK("http://x")公司')
    client.force_login(bureau_admin)

    response = client.post(
        CHANGELIST,
        {"action": "export_xlsx", "_selected_action": list(Enterprise.objects.values_list("pk", flat=True))},
    )

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content))["企业名录"]
    headers = [c.value for c in sheet[1]]
    assert headers[-4:] == ["登记管理部门", "机构类别", "登记地行政区划码", "登记时间"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["巫山县三峡红脆李食品有限公司"][1].value == enterprise.credit_code
    assert rows["巫山县三峡红脆李食品有限公司"][headers.index("登记地行政区划码")].value == "500237"
    formula_like = rows['=HYPERLINK("http://x")公司'][0]
    assert formula_like.data_type == "s"


def test_the_visit_export_lists_problem_counts(client, bureau_admin, visit_a, problem_a):
    client.force_login(bureau_admin)

    response = client.post(VISITS, {"action": "export_xlsx", "_selected_action": [visit_a.pk]})

    sheet = load_workbook(io.BytesIO(response.content))["企业服务记录"]
    row = [c.value for c in sheet[2]]
    assert row[1] == "巫山县三峡红脆李食品有限公司"
    assert row[17:19] == [1, 0]


def test_the_problem_export_works(client, bureau_admin, problem_a):
    client.force_login(bureau_admin)

    response = client.post(PROBLEMS, {"action": "export_xlsx", "_selected_action": [problem_a.pk]})

    sheet = load_workbook(io.BytesIO(response.content))["企业计量问题"]
    assert sheet[2][4].value == "3 台电子计价秤超期未检"


def admin_visit_form(enterprise, **overrides):
    """The admin's visit form as posted, with its two (empty) inlines."""
    return {
        "enterprise": enterprise.pk,
        "date": "2025-05-23",
        "visit_types": ["forum"],
        "programme": "sme_service",
        "staff": "王科长",
        "instruments_serviced": "0",
        "fees_waived": "0",
        "estimated_saving": "0",
        "standards_guided": "0",
        "trainees": "0",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "evidence-photo-content_type-object_id-TOTAL_FORMS": "0",
        "evidence-photo-content_type-object_id-INITIAL_FORMS": "0",
        **overrides,
    }


# --- scoping and forms -------------------------------------------------------------------------------


def test_an_office_clerk_sees_only_its_own_units_visits_and_problems(
    client, staff_office_a, visit_a, visit_b, problem_a, problem_b
):
    client.force_login(staff_office_a)

    assert list(client.get(VISITS).context["cl"].result_list) == [visit_a]
    assert list(client.get(PROBLEMS).context["cl"].result_list) == [problem_a]
    assert client.get(f"{VISITS}{visit_b.pk}/change/").status_code == 302  # admin's "does not exist" redirect
    assert set(client.get(CHANGELIST).context["cl"].result_list) == {visit_a.enterprise, visit_b.enterprise}


def test_the_bureau_admin_adds_a_visit_in_the_admin_under_its_own_unit(
    client, bureau_admin, campaign, enterprise, testing_unit, jianjianke
):
    client.force_login(bureau_admin)

    response = client.post(
        f"{VISITS}add/",
        admin_visit_form(
            enterprise, date="2025-05-23", staff="价监科 王科长", technical_partner=testing_unit.pk
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = EnterpriseVisit.objects.get()
    assert (visit.unit, visit.campaign, visit.created_by, visit.technical_partner) == (
        jianjianke,
        campaign,
        bureau_admin,
        testing_unit,
    )
    assert visit.history.get().history_user == bureau_admin


def test_the_admin_visit_form_refuses_a_date_outside_the_campaign(client, bureau_admin, campaign, enterprise):
    client.force_login(bureau_admin)

    response = client.post(
        f"{VISITS}add/",
        admin_visit_form(enterprise, date="2025-08-01"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "日期须在活动期间（2025-04-25 至 2025-06-30）内。"
    ]
    assert not EnterpriseVisit.objects.exists()


def admin_visit_data(visit, **overrides):
    stored = {
        "date": visit.date.isoformat(),
        "visit_types": visit.visit_types,
        "staff": visit.staff,
        "instruments_serviced": str(visit.instruments_serviced),
    }
    return admin_visit_form(visit.enterprise, **{**stored, **overrides})


def test_an_admin_change_goes_through_the_service_with_its_rules_and_history(client, bureau_admin, visit_a):
    client.force_login(bureau_admin)

    outside = client.post(f"{VISITS}{visit_a.pk}/change/", admin_visit_data(visit_a, date="2025-07-01"))
    saved = client.post(f"{VISITS}{visit_a.pk}/change/", admin_visit_data(visit_a, staff="价监科改的"))

    assert outside.status_code == 200
    assert outside.context["adminform"].form.errors["date"] == [
        "日期须在活动期间（2025-04-25 至 2025-06-30）内。"
    ]
    assert saved.status_code == 302
    stored = EnterpriseVisit.objects.get(pk=visit_a.pk)
    assert (stored.staff, stored.date, stored.unit) == ("价监科改的", visit_a.date, visit_a.unit)
    assert stored.history.latest().history_user == bureau_admin


def test_an_approved_visit_is_read_only_in_the_admin(client, office_a, bureau_admin, visit_a, problem_a):
    from records import services as review

    review.record_submit(actor=office_a, record=visit_a)
    review.record_approve(actor=bureau_admin, record=visit_a)
    client.force_login(bureau_admin)

    response = client.post(f"{VISITS}{visit_a.pk}/change/", admin_visit_data(visit_a, staff="批准后改的"))
    problem = client.post(f"{PROBLEMS}{problem_a.pk}/change/", {"category": "other", "description": "改了"})

    assert response.status_code == 403
    assert problem.status_code == 403
    assert EnterpriseVisit.objects.get(pk=visit_a.pk).staff == "甲所张伟"
    assert MetrologyProblem.objects.get(pk=problem_a.pk).description == "3 台电子计价秤超期未检"


def test_admin_forms_set_only_allow_listed_fields(client, bureau_admin, visit_a, unit_b):
    from enterprises.admin import EnterpriseVisitAdminForm

    client.force_login(bureau_admin)

    response = client.post(
        f"{VISITS}{visit_a.pk}/change/",
        admin_visit_data(visit_a, review_status="approved", unit=unit_b.pk, campaign="999"),
    )

    assert set(EnterpriseVisitAdminForm.base_fields) <= set(EnterpriseVisit.record_fields)
    assert response.status_code == 302
    stored = EnterpriseVisit.objects.get(pk=visit_a.pk)
    assert (stored.review_status, stored.unit, stored.campaign) == ("draft", visit_a.unit, visit_a.campaign)


def test_an_admin_problem_correction_goes_through_the_service(client, bureau_admin, problem_a):
    client.force_login(bureau_admin)

    response = client.post(
        f"{PROBLEMS}{problem_a.pk}/change/", {"category": "other", "description": "改了描述"}
    )

    assert response.status_code == 302
    stored = MetrologyProblem.objects.get(pk=problem_a.pk)
    assert (stored.category, stored.description) == ("other", "改了描述")
    assert stored.history.latest().history_user == bureau_admin


def test_an_admin_enterprise_change_goes_through_the_service(client, bureau_admin, enterprise):
    client.force_login(bureau_admin)
    data = {
        "name": "巫山县三峡红脆李食品有限公司（改）",
        "credit_code": enterprise.credit_code,
        "kind": enterprise.kind,
        "industry": enterprise.industry,
        "size": enterprise.size,
        "address": enterprise.address,
        "township": enterprise.township,
        "contact_name": "",
        "contact_phone": "",
        "note": "",
    }

    response = client.post(f"{CHANGELIST}{enterprise.pk}/change/", data)

    assert response.status_code == 302
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert stored.name == "巫山县三峡红脆李食品有限公司（改）"
    assert stored.history.latest().history_user == bureau_admin


def test_the_bureau_admin_pairs_enterprises_and_large_partners_are_refused(client, bureau_admin, campaign):
    lead = EnterpriseFactory(size=Enterprise.Size.LARGE)
    small, large = EnterpriseFactory(), EnterpriseFactory(size=Enterprise.Size.LARGE, name="大型伙伴")
    client.force_login(bureau_admin)
    data = {"campaign": campaign.pk, "name": "供电伙伴结对", "lead": lead.pk}

    refused = client.post(f"{PARTNERSHIPS}add/", {**data, "partners": [small.pk, large.pk]})
    saved = client.post(f"{PARTNERSHIPS}add/", {**data, "partners": [small.pk]})

    assert "结对企业应为中小微企业：大型伙伴 为大型企业。" in refused.content.decode()
    assert saved.status_code == 302
    partnership = Partnership.objects.get()
    assert list(partnership.partners.all()) == [small]
    assert partnership.history.latest().history_user == bureau_admin


def test_problems_are_not_added_in_the_admin(client, bureau_admin, problem_a):
    client.force_login(bureau_admin)

    assert client.get(f"{PROBLEMS}add/").status_code == 403
    assert client.get(f"{PROBLEMS}{problem_a.pk}/change/").status_code == 200
    assert MetrologyProblem.objects.count() == 1
