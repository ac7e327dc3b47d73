"""The Excel round trip (issue 15): an admin export, edited in Excel and imported again, updates the
records it lists by their natural key (credit code, plaque number, 聘书编号) and adds nothing twice;
masked phones stay as stored; the template's example is never imported; choice columns carry
drop-downs; every row's problems come in one pass with a downloadable receipt."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from campaigns.models import ImportJob
from core import spreadsheets as xl
from core.spreadsheets import XLSX_CONTENT_TYPE
from enterprises.importing import EXAMPLE as ENTERPRISE_EXAMPLE
from enterprises.importing import enterprise_columns
from enterprises.models import Enterprise
from microstations.models import MicroStation
from organizations.roles import Role
from tests.celery_fixtures import eager_tasks
from tests.enterprises.factories import EnterpriseFactory, credit_code
from tests.factories import UserFactory
from tests.microstations.factories import MicroStationFactory, VolunteerFactory, campaign_2025
from volunteers.importing import volunteer_columns
from volunteers.models import Volunteer

__all__ = ["eager_tasks"]

ENTERPRISES = "/admin/enterprises/enterprise/"
STATIONS = "/admin/microstations/microstation/"
VOLUNTEERS = "/admin/volunteers/volunteer/"


@pytest.fixture
def campaign(db):
    return campaign_2025()


@pytest.fixture
def station(campaign, unit_a):
    return MicroStationFactory(
        campaign=campaign,
        name="民生计量科普宣传服务微站（甲地供电营业厅）",
        supervising_unit=unit_a,
        opened=True,
        plaque_no="WS-2025-01",
    )


def export(client, changelist: str, pks) -> Workbook:
    response = client.post(changelist, {"action": "export_xlsx", "_selected_action": list(pks)})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def as_upload(workbook: Workbook, name: str = "导出修改.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def reimport(client, changelist: str, campaign, workbook: Workbook):
    return client.post(f"{changelist}import/", {"campaign": campaign.pk, "file": as_upload(workbook)})


def filled(columns, *rows) -> Workbook:
    """A workbook as someone fills in the template by hand: the headers, then `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append(list(row))
    return workbook


def company(name: str, code: str, size: str = "微型") -> list[str]:
    """An enterprise row: a food company in 巫峡镇."""
    return [name, code, "企业", "农副食品及食品加工业", size, f"巫山县巫峡镇{name}路 1 号", "巫峡镇"]


def volunteer(name: str, phone: str, station, number: str = "", volunteer_number: str = "") -> list[str]:
    """A volunteer row: `number` the 聘书编号, `volunteer_number` the system's 志愿者编号."""
    return [
        volunteer_number,
        name,
        "计量科普义务宣传员",
        "外卖小哥",
        "男",
        phone,
        "",
        station.name,
        "2025-05-10",
        number,
    ]


def rows_by_first_cell(sheet, header: str | None = None) -> dict[str, list]:
    index = column(sheet, header) if header else 0
    return {row[index].value: row for row in sheet.iter_rows(min_row=2)}


def column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header)


def messages_of(client, response) -> list[str]:
    """The messages the import left for the changelist it redirected to."""
    return [str(m) for m in client.get(response.url).context["messages"]]


def row_errors(response) -> dict[int, list[str]]:
    return {error.row: error.messages for error in response.context["row_errors"]}


# --- Round trips --------------------------------------------------------------------------------------


def test_an_edited_enterprise_export_updates_by_credit_code_and_adds_only_new_rows(
    client, bureau_admin, campaign
):
    kept = EnterpriseFactory(name="巫山县甲食品有限公司", credit_code=credit_code(801))
    edited = EnterpriseFactory(name="巫山县乙建材有限公司", credit_code=credit_code(802), contact_name="张某")
    client.force_login(bureau_admin)
    workbook = export(client, ENTERPRISES, [kept.pk, edited.pk])
    sheet = workbook.worksheets[0]
    rows = rows_by_first_cell(sheet)
    rows["巫山县乙建材有限公司"][column(sheet, "联系人")].value = "李某"
    rows["巫山县乙建材有限公司"][0].value = "巫山县乙建材有限责任公司"  # renamed: the code still finds it
    sheet.append(
        [
            "巫山县丙商贸有限公司",
            credit_code(803),
            "企业",
            "批发和零售业",
            "小型",
            "巫山县巫峡镇 2 号",
            "巫峡镇",
        ]
    )

    response = reimport(client, ENTERPRISES, campaign, workbook)

    assert response.status_code == 302
    assert messages_of(client, response) == ["导入完成：新增 1 条，更新 1 条，1 条无变化。"]
    assert Enterprise.objects.count() == 3
    edited.refresh_from_db()
    assert (edited.name, edited.contact_name) == ("巫山县乙建材有限责任公司", "李某")
    assert edited.history.count() == 2  # created, then the one update through the service
    assert kept.history.count() == 1  # unchanged rows are not written


def test_reimporting_an_unedited_export_twice_changes_nothing(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = export(client, STATIONS, [station.pk])
    before = MicroStation.objects.values().get(pk=station.pk)

    for _ in range(2):
        response = reimport(client, STATIONS, campaign, workbook)
        assert response.status_code == 302
        assert messages_of(client, response)[-1] == "导入完成：新增 0 条，更新 0 条，1 条无变化。"

    assert MicroStation.objects.count() == 1
    assert MicroStation.objects.values().get(pk=station.pk) == before


def test_an_edited_station_export_updates_by_plaque_number(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = export(client, STATIONS, [station.pk])
    sheet = workbook.worksheets[0]
    row = rows_by_first_cell(sheet)[station.name]
    row[0].value = "民生计量科普宣传服务微站（甲地供电营业厅二号）"
    row[column(sheet, "联系人")].value = "新站长"

    response = reimport(client, STATIONS, campaign, workbook)

    assert response.status_code == 302
    station.refresh_from_db()
    assert (station.name, station.contact_name) == (
        "民生计量科普宣传服务微站（甲地供电营业厅二号）",
        "新站长",
    )
    assert MicroStation.objects.count() == 1


def test_a_station_cannot_be_moved_back_a_stage_by_import(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = export(client, STATIONS, [station.pk])
    sheet = workbook.worksheets[0]
    rows_by_first_cell(sheet)[station.name][column(sheet, "建设进度")].value = "规划"

    response = reimport(client, STATIONS, campaign, workbook)

    assert response.status_code == 200
    assert row_errors(response) == {2: ["建设进度：微站已是“已揭牌运行”，不能退回“规划”。"]}
    station.refresh_from_db()
    assert station.stage == MicroStation.Stage.OPENED


def test_an_edited_volunteer_export_keeps_masked_phones_and_updates_by_number(
    client, bureau_admin, campaign, station
):
    numbered = VolunteerFactory(station=station, name="谭明华", phone="13800000001", certificate_no="ZY-001")
    junior = VolunteerFactory(
        station=station,
        junior=True,
        name="李思琪",
        phone="13800000005",
        guardian_phone="13900000006",
    )
    client.force_login(bureau_admin)
    workbook = export(client, VOLUNTEERS, [numbered.pk, junior.pk])
    sheet = workbook.worksheets[0]
    rows = rows_by_first_cell(sheet, "姓名")
    assert rows["谭明华"][column(sheet, "志愿者编号")].value == numbered.number
    assert rows["李思琪"][column(sheet, "联系电话")].value == "138****0005"
    rows["谭明华"][
        column(sheet, "姓名")
    ].value = "谭明桦"  # a corrected name: the 聘书编号 still finds the volunteer
    rows["李思琪"][column(sheet, "工作单位/学校")].value = "巫山县实验小学"
    rows["李思琪"][column(sheet, "监护人电话")].value = "13900000009"  # typed whole: changed

    response = reimport(client, VOLUNTEERS, campaign, workbook)

    assert response.status_code == 302, response.context and response.context.get("row_errors")
    assert Volunteer.objects.count() == 2
    numbered.refresh_from_db()
    junior.refresh_from_db()
    assert (numbered.name, numbered.phone) == ("谭明桦", "13800000001")
    assert (junior.phone, junior.guardian_phone, junior.work_unit) == (
        "13800000005",  # masked in the file, kept as stored
        "13900000009",
        "巫山县实验小学",
    )


def test_an_edited_volunteer_export_updates_by_volunteer_number_without_a_certificate(
    client, bureau_admin, campaign, station
):
    first = VolunteerFactory(station=station, name="冉小川", phone="13800000011")
    VolunteerFactory(station=station, name="冉小川", phone="13800000012")
    client.force_login(bureau_admin)
    workbook = export(client, VOLUNTEERS, [first.pk])
    sheet = workbook.worksheets[0]
    row = rows_by_first_cell(sheet)[first.number]
    row[column(sheet, "姓名")].value = "冉晓川"
    row[column(sheet, "联系电话")].value = "13800000013"  # a new phone: the number still finds them

    response = reimport(client, VOLUNTEERS, campaign, workbook)

    assert response.status_code == 302, response.context and response.context.get("row_errors")
    assert Volunteer.objects.count() == 2
    first.refresh_from_db()
    assert (first.name, first.phone) == ("冉晓川", "13800000013")


def test_an_unknown_volunteer_number_is_a_row_error(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = filled(
        volunteer_columns(), volunteer("周敏", "13800000021", station, volunteer_number="2025-0999")
    )

    response = reimport(client, VOLUNTEERS, campaign, workbook)

    assert response.status_code == 200
    assert row_errors(response) == {
        2: ["志愿者编号“2025-0999”不在本活动您所辖的宣传员中；新宣传员请留空编号。"]
    }
    assert not Volunteer.objects.exists()


def test_a_masked_phone_on_a_new_volunteer_is_a_row_error(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = filled(volunteer_columns(), volunteer("周敏", "138****0005", station))

    response = reimport(client, VOLUNTEERS, campaign, workbook)

    assert response.status_code == 200
    assert list(row_errors(response)) == [2]
    assert row_errors(response)[2][0].startswith("联系电话：请输入有效的手机号")
    assert not Volunteer.objects.exists()


def test_an_office_clerk_cannot_update_another_units_volunteer_by_its_number(
    client, campaign, station, unit_b
):
    other_station = MicroStationFactory(campaign=campaign, supervising_unit=unit_b)
    theirs = VolunteerFactory(station=other_station, name="向德军", certificate_no="ZY-009")
    clerk = UserFactory(
        username="staff_office_a", unit=station.supervising_unit, is_staff=True, roles=[Role.OFFICE]
    )
    client.force_login(clerk)
    workbook = filled(volunteer_columns(), volunteer("改名", "13800000002", station, "ZY-009"))

    response = reimport(client, VOLUNTEERS, campaign, workbook)

    # Out of the clerk's scope the number names nobody: the row is a new volunteer, refused as a
    # duplicate number; the other unit's volunteer is untouched.
    assert response.status_code == 200
    assert row_errors(response) == {2: ["聘书编号已被其他宣传员使用。"]}
    theirs.refresh_from_db()
    assert theirs.name == "向德军"
    assert Volunteer.objects.count() == 1


# --- Templates: no importable example, drop-downs --------------------------------------------------


def test_the_example_row_of_an_old_template_is_never_imported(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    # The example left in place by whoever filled in an older template.
    workbook = filled(enterprise_columns(), ENTERPRISE_EXAMPLE, company("巫山县丁食品厂", credit_code(811)))

    response = reimport(client, ENTERPRISES, campaign, workbook)

    assert response.status_code == 302
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["巫山县丁食品厂"]


@pytest.mark.parametrize(
    ("changelist", "header", "options"),
    [
        (ENTERPRISES, "企业规模", ["大型", "中型", "小型", "微型"]),
        (STATIONS, "建设进度", ["规划", "已落实承建单位", "已布置", "已揭牌运行"]),
        (VOLUNTEERS, "在岗", ["是", "否"]),
    ],
)
def test_templates_and_exports_offer_drop_downs_for_choice_columns(
    client, bureau_admin, campaign, station, changelist, header, options
):
    client.force_login(bureau_admin)
    VolunteerFactory(station=station)
    EnterpriseFactory()
    template = load_workbook(io.BytesIO(client.get(f"{changelist}import/template/").content))
    exported = export(client, changelist, changelist_pks(changelist))

    for workbook in (template, exported):
        sheet = workbook.worksheets[0]
        letter = sheet.cell(row=1, column=column(sheet, header) + 1).column_letter
        rules = [
            v for v in sheet.data_validations.dataValidation if f"{letter}2" in str(v.sqref).split(":")[0]
        ]
        assert len(rules) == 1, [str(v.sqref) for v in sheet.data_validations.dataValidation]
        assert rules[0].type == "list"
        source_sheet, cells = rules[0].formula1.split("!")
        source = workbook[source_sheet.strip("'")]
        assert source.sheet_state == "hidden"
        assert [c.value for row in source[cells.replace("$", "")] for c in row] == options


def changelist_pks(changelist: str) -> list[int]:
    model = {ENTERPRISES: Enterprise, STATIONS: MicroStation, VOLUNTEERS: Volunteer}[changelist]
    return list(model.objects.values_list("pk", flat=True))


# --- Every error in one pass, with a receipt ---------------------------------------------------------


def test_unreadable_cells_and_model_rules_are_reported_together_with_a_receipt(
    client, bureau_admin, campaign
):
    client.force_login(bureau_admin)
    good = company("巫山县戊食品厂", credit_code(821))
    workbook = filled(
        enterprise_columns(),
        good,
        company("巫山县己食品厂", credit_code(822), size="巨型"),
        company("巫山县庚食品厂", ""),
        good,
    )

    response = reimport(client, ENTERPRISES, campaign, workbook)

    assert response.status_code == 200
    errors = row_errors(response)
    assert sorted(errors) == [3, 4, 5]  # a cell (3), a model rule (4) and a repeat (5), in one pass
    assert errors[3][0].startswith("企业规模：“巨型”不是可选值")
    assert errors[4] == ["统一社会信用代码：除市场摊位外，须填写统一社会信用代码。"]
    assert errors[5] == [f"统一社会信用代码：“{credit_code(821)}”与第 2 行重复。"]
    assert not Enterprise.objects.exists()
    receipt_url = f"{ENTERPRISES}import/errors.xlsx"
    assert receipt_url in response.content.decode()
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200
    lines = [list(row) for row in load_workbook(io.BytesIO(receipt.content)).worksheets[0].values]
    assert lines[0] == ["行号", "问题"]
    assert [line[0] for line in lines[1:]] == [3, 4, 5]
    assert lines[2][1] == "统一社会信用代码：除市场摊位外，须填写统一社会信用代码。"


def test_the_receipt_is_the_users_own_and_404_without_a_failed_import(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    assert client.get(f"{ENTERPRISES}import/errors.xlsx").status_code == 404


@pytest.mark.usefixtures("eager_tasks")
def test_a_large_keyed_import_runs_as_a_job_and_its_errors_download_as_a_receipt(
    client, bureau_admin, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    existing = EnterpriseFactory(name="巫山县辛食品厂", credit_code=credit_code(831))
    client.force_login(bureau_admin)
    workbook = filled(
        enterprise_columns(),
        company("巫山县辛食品厂（新名）", credit_code(831)),
        company("巫山县壬食品厂", credit_code(832)),
        company("巫山县癸食品厂", credit_code(833)),
    )
    sheet = workbook.active

    with django_capture_on_commit_callbacks(execute=True):
        response = reimport(client, ENTERPRISES, campaign, workbook)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.imported_count, job.progress) == (ImportJob.Status.DONE, 3, 100)
    existing.refresh_from_db()
    assert existing.name == "巫山县辛食品厂（新名）"
    assert Enterprise.objects.count() == 3

    sheet.cell(row=3, column=5).value = "巨型"
    with django_capture_on_commit_callbacks(execute=True):
        reimport(client, ENTERPRISES, campaign, workbook)
    failed = ImportJob.objects.exclude(pk=job.pk).get()
    assert failed.status == ImportJob.Status.FAILED
    receipt = client.get(f"{ENTERPRISES}import/jobs/{failed.pk}/errors.xlsx")
    assert receipt.status_code == 200
    lines = list(load_workbook(io.BytesIO(receipt.content)).worksheets[0].values)
    assert [line[0] for line in lines[1:]] == [3]
    assert client.get(f"{ENTERPRISES}import/jobs/{job.pk}/errors.xlsx").status_code == 404  # no errors
    other_admin = UserFactory(username="other_admin", is_staff=True, roles=[Role.BUREAU_ADMIN])
    client.force_login(other_admin)
    assert client.get(f"{ENTERPRISES}import/jobs/{failed.pk}/errors.xlsx").status_code == 404


def test_a_read_only_leader_with_admin_access_gets_403_on_the_import_and_nothing_is_saved(client, campaign):
    leader = UserFactory(username="staff_leader", is_staff=True, roles=[Role.LEADER])
    client.force_login(leader)
    workbook = filled(enterprise_columns(), company("巫山县子食品厂", credit_code(841)))

    response = reimport(client, ENTERPRISES, campaign, workbook)

    assert response.status_code == 403
    assert not Enterprise.objects.exists()


def test_error_receipt_lists_one_line_per_message():
    content = xl.error_receipt_bytes(
        [xl.RowError(2, ["甲：错", "乙：错"]), {"row": 7, "messages": ["=公式"]}]
    )

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert list(sheet.values) == [("行号", "问题"), (2, "甲：错"), (2, "乙：错"), (7, "=公式")]
    assert sheet["B4"].data_type == "s"


def test_a_preview_runs_the_whole_import_and_saves_nothing(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = export(client, STATIONS, [station.pk])
    sheet = workbook.worksheets[0]
    rows_by_first_cell(sheet)[station.name][column(sheet, "联系人")].value = "预检联系人"
    sheet.append([station.name.replace("甲地", "乙地"), *[c.value for c in sheet[2][1:]]])
    sheet.cell(row=3, column=2).value = ""  # the new station has no plaque yet

    response = client.post(
        f"{STATIONS}import/", {"campaign": campaign.pk, "file": as_upload(workbook), "preview": "on"}
    )

    assert response.status_code == 200
    assert response.context["preview"] == "检查通过，尚未导入：将新增 1 条，更新 1 条，0 条无变化。"
    assert "将新增 1 条，更新 1 条" in response.content.decode()
    assert MicroStation.objects.count() == 1
    station.refresh_from_db()
    assert station.contact_name != "预检联系人"
    assert station.history.count() == 1


def test_a_preview_reports_every_row_error_like_the_import(client, bureau_admin, campaign, station):
    client.force_login(bureau_admin)
    workbook = export(client, STATIONS, [station.pk])
    sheet = workbook.worksheets[0]
    rows_by_first_cell(sheet)[station.name][column(sheet, "建设进度")].value = "规划"

    response = client.post(
        f"{STATIONS}import/", {"campaign": campaign.pk, "file": as_upload(workbook), "preview": "on"}
    )

    assert row_errors(response) == {2: ["建设进度：微站已是“已揭牌运行”，不能退回“规划”。"]}
    assert response.context["preview"] == ""


def test_the_station_template_offers_the_active_offices_as_a_drop_down(
    client, bureau_admin, campaign, unit_a, unit_b
):
    client.force_login(bureau_admin)

    workbook = load_workbook(io.BytesIO(client.get(f"{STATIONS}import/template/").content))

    sheet = workbook.worksheets[0]
    letter = sheet.cell(row=1, column=column(sheet, "联系市场监管所") + 1).column_letter
    (rule,) = [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(f"{letter}2:")]
    source_sheet, cells = rule.formula1.split("!")
    offered = [c.value for row in workbook[source_sheet.strip("'")][cells.replace("$", "")] for c in row]
    assert set(offered) >= {unit_a.name, unit_b.name}
    # Units in general (承建单位) are not offered: only the offices are a list to choose from.
    host = sheet.cell(row=1, column=column(sheet, "承建单位（名录）") + 1).column_letter
    assert not [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(f"{host}2:")]
