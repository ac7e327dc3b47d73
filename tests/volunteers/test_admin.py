"""The volunteer admin: template, all-or-nothing import with a row report, masked export, scoping."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from organizations.roles import Role
from tests.factories import UserFactory
from tests.microstations.factories import VolunteerFactory
from volunteers.importing import volunteer_columns, volunteers_import
from volunteers.models import Volunteer

CHANGELIST = "/admin/volunteers/volunteer/"
IMPORT = "/admin/volunteers/volunteer/import/"
TEMPLATE = "/admin/volunteers/volunteer/import/template/"


def volunteer_row(station, name="谭明华", **overrides):
    row = {
        "志愿者编号": "",
        "姓名": name,
        "类别": "计量科普义务宣传员",
        "群体": "街道社区居委会代表",
        "性别": "女",
        "联系电话": "13800000001",
        "工作单位/学校": "高唐街道南陵社区居委会",
        "所属微站": station.name,
        "招募日期": "2025-05-10",
        "聘书编号": "",
        "在岗": "是",
        "监护人姓名": "",
        "监护人电话": "",
        "监护人已同意": "",
        **overrides,
    }
    return [row[c.header] for c in volunteer_columns()]


def junior_row(station, name="李思琪", **overrides):
    return volunteer_row(
        station,
        name,
        **{
            "类别": "小小宣传员",
            "群体": "中小学生",
            "联系电话": "13800000003",
            "工作单位/学校": "巫山县实验小学",
            "监护人姓名": "李建国",
            "监护人电话": "13900000003",
            "监护人已同意": "是",
            **overrides,
        },
    )


def workbook_upload(rows, headers=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers if headers is not None else [c.header for c in volunteer_columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("宣传员导入.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def import_file(client, campaign, upload):
    return client.post(IMPORT, {"campaign": campaign.pk, "file": upload})


def row_errors(response) -> dict[int, list[str]]:
    return {error.row: error.messages for error in response.context["row_errors"]}


def test_the_template_downloads_with_the_chinese_headers_and_notes(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"] == ["宣传员", "填写说明"]
    headers = [c.value for c in workbook["宣传员"][1]]
    assert headers == [c.header for c in volunteer_columns()]
    assert {"姓名", "类别", "联系电话", "所属微站", "监护人姓名", "监护人电话", "监护人已同意"} <= set(
        headers
    )
    notes = {row[0].value: row[2].value for row in workbook["填写说明"].iter_rows(min_row=2)}
    assert notes["监护人已同意"] == "小小宣传员须填“是”"


def test_a_valid_file_imports_every_row(client, bureau_admin, campaign, station_a, station_b):
    client.force_login(bureau_admin)
    upload = workbook_upload(
        [
            volunteer_row(station_a),
            junior_row(station_b),
            volunteer_row(station_b, "向德军", 联系电话=13800000002),
        ]
    )

    response = import_file(client, campaign, upload)

    assert response.status_code == 302
    volunteers = {v.name: v for v in Volunteer.objects.all()}
    assert set(volunteers) == {"谭明华", "李思琪", "向德军"}
    junior = volunteers["李思琪"]
    assert (junior.kind, junior.station, junior.guardian_consent) == ("junior", station_b, True)
    # A phone typed as a number in Excel arrives as text without ".0".
    assert volunteers["向德军"].phone == "13800000002"
    assert all(v.created_by == bureau_admin for v in volunteers.values())


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (lambda s: junior_row(s, 监护人已同意="否"), "监护人已同意：小小宣传员须取得监护人同意。"),
        (lambda s: junior_row(s, 监护人姓名=""), "监护人姓名：小小宣传员须填写监护人姓名。"),
        (lambda s: volunteer_row(s, "周敏", 类别="大宣传员"), "类别：“大宣传员”不是可选值"),
        (lambda s: volunteer_row(s, "周敏", 所属微站="不存在的微站"), "所属微站：找不到“不存在的微站”。"),
        (lambda s: volunteer_row(s, "周敏", 联系电话="12345"), "联系电话：请输入有效的手机号"),
        (lambda s: volunteer_row(s), "姓名：“谭明华（13800000001）”与第 2 行重复。"),
    ],
    ids=[
        "junior-without-consent",
        "junior-without-guardian",
        "unknown-kind",
        "unknown-station",
        "bad-phone",
        "duplicate",
    ],
)
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(
    client, bureau_admin, campaign, station_a, bad, expected
):
    client.force_login(bureau_admin)
    rows = [volunteer_row(station_a), junior_row(station_a, "王子涵"), bad(station_a)]

    response = import_file(client, campaign, workbook_upload(rows))

    assert response.status_code == 200
    errors = row_errors(response)
    assert list(errors) == [4]
    assert any(message.startswith(expected) for message in errors[4]), errors
    assert expected in response.content.decode()
    assert not Volunteer.objects.exists()


def test_wrong_headers_get_a_clear_error(client, bureau_admin, campaign, station_a):
    client.force_login(bureau_admin)

    response = import_file(
        client, campaign, workbook_upload([volunteer_row(station_a)], headers=["姓名", "电话"])
    )

    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("表头与模板不一致。应为：志愿者编号、姓名、类别、群体")
    )
    assert not Volunteer.objects.exists()


def test_a_file_that_is_not_an_xlsx_gets_a_clear_error(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    upload = SimpleUploadedFile(
        "宣传员.xlsx", b"\x89PNG\r\n\x1a\nnot a workbook", content_type=XLSX_CONTENT_TYPE
    )

    response = import_file(client, campaign, upload)

    assert response.context["form"].errors["file"] == ["无法读取该文件，请使用下载的 .xlsx 模板填写。"]


def test_the_leader_gets_403_on_the_import(client, leader, campaign, station_a):
    leader.is_staff = True
    leader.save()
    client.force_login(leader)

    assert client.get(IMPORT).status_code == 403
    assert import_file(client, campaign, workbook_upload([volunteer_row(station_a)])).status_code == 403
    assert not Volunteer.objects.exists()


def test_a_staff_office_clerk_cannot_import_volunteers_into_another_units_station(
    client, unit_a, campaign, station_a, station_b
):
    clerk = UserFactory(username="staff_office", unit=unit_a, is_staff=True, roles=[Role.OFFICE])
    client.force_login(clerk)

    response = import_file(
        client, campaign, workbook_upload([volunteer_row(station_a), volunteer_row(station_b, "向德军")])
    )

    assert row_errors(response) == {3: [f"所属微站：找不到“{station_b.name}”。"]}
    assert not Volunteer.objects.exists()


def test_the_export_masks_every_phone_number(client, bureau_admin, station_a):
    junior = VolunteerFactory(
        station=station_a, junior=True, name="李思琪", phone="13800000005", guardian_phone="13900000006"
    )
    adult = VolunteerFactory(station=station_a, name="谭明华", phone="023-57681234")
    client.force_login(bureau_admin)

    response = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [junior.pk, adult.pk]})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in volunteer_columns()]
    rows = {
        row[1]: dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["李思琪"]["联系电话"] == "138****0005"
    assert rows["李思琪"]["监护人电话"] == "139****0006"
    assert rows["李思琪"]["监护人已同意"] == "是"
    assert rows["谭明华"]["联系电话"] == "023****1234"
    flat = str(rows)
    for whole in ("13800000005", "13900000006", "57681234"):
        assert whole not in flat


def test_the_changelist_masks_phones(client, bureau_admin, station_a):
    VolunteerFactory(station=station_a, phone="13800000005")
    client.force_login(bureau_admin)

    html = client.get(CHANGELIST).content.decode()

    assert "138****0005" in html
    assert "13800000005" not in html


def test_a_staff_office_clerk_cannot_register_a_volunteer_at_another_units_station_in_the_admin(
    client, unit_a, station_a, station_b
):
    clerk = UserFactory(username="staff_office", unit=unit_a, is_staff=True, roles=[Role.OFFICE])
    client.force_login(clerk)
    data = {
        "name": "向德军",
        "kind": Volunteer.Kind.PUBLICIST,
        "group": Volunteer.Group.OTHER,
        "phone": "13800000002",
        "recruited_on": "2025-05-10",
        "is_active": "on",
    }

    refused = client.post(f"{CHANGELIST}add/", {**data, "station": station_b.pk})
    accepted = client.post(f"{CHANGELIST}add/", {**data, "station": station_a.pk})

    assert refused.status_code == 200
    assert "station" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    assert list(Volunteer.objects.values_list("station", flat=True)) == [station_a.pk]


def test_an_admin_save_goes_through_the_service_with_history_and_the_models_rules(client, unit_a, station_a):
    clerk = UserFactory(username="staff_office", unit=unit_a, is_staff=True, roles=[Role.OFFICE])
    client.force_login(clerk)
    data = {
        "station": station_a.pk,
        "name": "李思琪",
        "kind": Volunteer.Kind.JUNIOR,
        "group": Volunteer.Group.STUDENT,
        "phone": "13800000002",
        "recruited_on": "2025-05-10",
        "is_active": "on",
    }

    refused = client.post(f"{CHANGELIST}add/", data)
    accepted = client.post(
        f"{CHANGELIST}add/",
        {**data, "guardian_name": "李建国", "guardian_phone": "13900000001", "guardian_consent": "on"},
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["guardian_consent"] == ["小小宣传员须取得监护人同意。"]
    assert accepted.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.campaign, volunteer.created_by) == (station_a.campaign, clerk)
    assert volunteer.history.get().history_user == clerk


@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_the_import_service_itself_refuses_those_who_may_not_register_volunteers(
    request, campaign, station_a, actor
):
    user = request.getfixturevalue(actor)
    if actor == "office_a":
        # An office may register volunteers on its pages: take the right away to test the service's own check.
        user.groups.clear()

    with pytest.raises(PermissionDenied):
        volunteers_import(actor=user, campaign=campaign, upload=workbook_upload([volunteer_row(station_a)]))

    assert not Volunteer.objects.exists()
