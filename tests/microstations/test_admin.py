"""The micro-station admin: .xlsx template, all-or-nothing import with a row report, export, scoping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from microstations.importing import station_columns, stations_import
from microstations.models import MicroStation, StationActivity
from organizations.roles import Role
from records import services as review
from records.models import ReviewStatus
from tests.factories import UserFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory

CHANGELIST = "/admin/microstations/microstation/"
IMPORT = "/admin/microstations/microstation/import/"
TEMPLATE = "/admin/microstations/microstation/import/template/"
ACTIVITY_CHANGELIST = "/admin/microstations/stationactivity/"


def station_row(name="民生计量科普宣传服务微站（甲地供水营业厅）", **overrides):
    """One row in template column order, as an office clerk fills it in."""
    row = {
        "微站名称": name,
        "牌匾编号": "",
        "承建单位/场所": "巫山县自来水有限公司甲地营业厅",
        "承建单位（名录）": "",
        "场所类型": "供水营业厅",
        "地址": "巫山县高唐街道广东中路",
        "乡镇/街道": "高唐街道",
        "纬度": "",
        "经度": "",
        "宣传重点区域": "社区",
        "联系人": "王经理",
        "联系电话": "023-57681234",
        "联系市场监管所": "甲地市场监管所",
        "建设进度": "",
        "揭牌日期": "",
        "备注": "",
        **overrides,
    }
    return [row[c.header] for c in station_columns()]


def workbook_upload(rows, headers=None, name="微站导入.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers if headers is not None else [c.header for c in station_columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def import_file(client, campaign, upload):
    return client.post(IMPORT, {"campaign": campaign.pk, "file": upload})


def row_errors(response) -> dict[int, list[str]]:
    return {error.row: error.messages for error in response.context["row_errors"]}


@pytest.fixture
def staff_office(unit_a):
    """An office clerk who has been given admin access but no right to add stations."""
    return UserFactory(username="staff_office", unit=unit_a, is_staff=True, roles=[Role.OFFICE])


# --- template -------------------------------------------------------------------------------------


def test_the_template_downloads_with_the_chinese_headers_and_notes(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"] == ["微站", "填写说明"]
    headers = [c.value for c in workbook["微站"][1]]
    assert headers == [c.header for c in station_columns()]
    assert headers[:3] == ["微站名称", "牌匾编号", "承建单位/场所"]
    notes = {row[0].value: row[1].value for row in workbook["填写说明"].iter_rows(min_row=2)}
    assert notes["联系市场监管所"] == "必填"
    assert notes["牌匾编号"] == "选填"


def test_the_changelist_links_to_the_template_and_the_import(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    html = client.get(CHANGELIST).content.decode()

    assert f'href="{TEMPLATE}"' in html
    assert f'href="{IMPORT}"' in html


# --- import ---------------------------------------------------------------------------------------


def test_a_valid_file_imports_every_row(client, bureau_admin, campaign, unit_a, unit_b):
    client.force_login(bureau_admin)
    upload = workbook_upload(
        [
            station_row(),
            station_row(
                "民生计量科普宣传服务微站（乙地加油站）",
                场所类型="加油站",
                联系市场监管所="乙地市场监管所",
                建设进度="已揭牌运行",
                揭牌日期="2025-05-20",
                牌匾编号="WS-JL-2025-01",
                纬度=31.075,
                经度=109.878,
            ),
        ]
    )

    response = import_file(client, campaign, upload)

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    stations = {s.name: s for s in MicroStation.objects.select_related("supervising_unit")}
    assert len(stations) == 2
    water = stations["民生计量科普宣传服务微站（甲地供水营业厅）"]
    assert (water.station_type, water.stage, water.supervising_unit) == ("water_hall", "planned", unit_a)
    gas = stations["民生计量科普宣传服务微站（乙地加油站）"]
    assert (gas.stage, str(gas.opened_on), gas.plaque_no) == ("opened", "2025-05-20", "WS-JL-2025-01")
    assert gas.history.get().history_user == bureau_admin
    messages = [str(m) for m in client.get(CHANGELIST).context["messages"]]
    assert "导入完成：新增 2 条，更新 0 条，0 条无变化。" in messages


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        (
            station_row("民生计量科普宣传服务微站（游乐场）", 场所类型="游乐场"),
            "场所类型：“游乐场”不是可选值",
        ),
        (
            station_row("民生计量科普宣传服务微站（无人管）", 联系市场监管所=""),
            "联系市场监管所：必填。",
        ),
        (
            station_row("民生计量科普宣传服务微站（外县所）", 联系市场监管所="奉节市场监管所"),
            "联系市场监管所：找不到“奉节市场监管所”。",
        ),
        (station_row(), "与第 2 行重复。"),
        (
            station_row("民生计量科普宣传服务微站（未填日期）", 建设进度="已揭牌运行"),
            "已揭牌运行的微站必须填写揭牌日期。",
        ),
    ],
    ids=["unknown-type", "missing-office", "unknown-office", "duplicate-name", "opened-without-date"],
)
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(
    client, bureau_admin, campaign, unit_a, bad_row, expected
):
    client.force_login(bureau_admin)
    good = station_row()
    also_good = station_row("民生计量科普宣传服务微站（甲地集贸市场）", 场所类型="集贸市场")

    response = import_file(client, campaign, workbook_upload([good, also_good, bad_row]))

    assert response.status_code == 200
    errors = row_errors(response)
    assert list(errors) == [4]
    assert any(expected in message for message in errors[4])
    html = response.content.decode()
    assert "有 1 行有误，未导入任何数据" in html
    assert expected in html
    assert not MicroStation.objects.exists()


def test_a_row_named_like_a_station_of_the_campaign_updates_it_instead_of_adding_one(
    client, bureau_admin, campaign, station_a
):
    client.force_login(bureau_admin)
    row = station_row(station_a.name, 建设进度="已揭牌运行", 揭牌日期="2025-05-16", 联系人="新联系人")

    response = import_file(client, campaign, workbook_upload([row]))

    assert response.status_code == 302
    assert MicroStation.objects.count() == 1
    station_a.refresh_from_db()
    assert (station_a.contact_name, station_a.stage) == ("新联系人", MicroStation.Stage.OPENED)


def test_every_bad_row_is_listed_at_once(client, bureau_admin, campaign, unit_a):
    client.force_login(bureau_admin)
    rows = [
        station_row(),
        station_row("甲", 场所类型="游乐场"),
        station_row("乙", 联系市场监管所=""),
    ]

    response = import_file(client, campaign, workbook_upload(rows))

    assert sorted(row_errors(response)) == [3, 4]
    assert not MicroStation.objects.exists()


def test_wrong_headers_get_a_clear_error(client, bureau_admin, campaign, unit_a):
    client.force_login(bureau_admin)
    headers = [c.header for c in station_columns()]
    headers[0] = "名称"

    response = import_file(client, campaign, workbook_upload([station_row()], headers=headers))

    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("表头与模板不一致。应为：微站名称、牌匾编号")
    assert not MicroStation.objects.exists()


def test_a_file_that_is_not_an_xlsx_gets_a_clear_error(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    upload = SimpleUploadedFile(
        "微站.csv", "微站名称,场所类型\n甲,加油站\n".encode(), content_type="text/csv"
    )

    response = import_file(client, campaign, upload)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["无法读取该文件，请使用下载的 .xlsx 模板填写。"]
    assert not MicroStation.objects.exists()


def test_an_office_clerk_without_the_add_permission_gets_403_on_the_import(
    client, staff_office, campaign, unit_a
):
    client.force_login(staff_office)

    assert client.get(IMPORT).status_code == 403
    assert import_file(client, campaign, workbook_upload([station_row()])).status_code == 403
    assert not MicroStation.objects.exists()


def test_an_office_clerk_without_admin_access_is_sent_to_the_admin_login(client, office_a, campaign):
    client.force_login(office_a)

    response = client.get(IMPORT)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- export and scoping ---------------------------------------------------------------------------


def test_the_export_action_writes_the_selected_stations_in_template_columns(
    client, bureau_admin, station_a, station_b
):
    client.force_login(bureau_admin)

    response = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [station_a.pk]})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [c.header for c in station_columns()]
    assert len(rows) == 2
    assert rows[1][0] == station_a.name
    assert rows[1][12] == "甲地市场监管所"
    assert rows[1][13] == "已揭牌运行"


def test_an_exported_file_imports_again_into_another_campaign(client, bureau_admin, station_a):
    from tests.factories import CampaignFactory

    client.force_login(bureau_admin)
    exported = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [station_a.pk]}).content
    next_year = CampaignFactory(year=2026)

    response = import_file(
        client, next_year, SimpleUploadedFile("再导入.xlsx", exported, content_type=XLSX_CONTENT_TYPE)
    )

    assert response.status_code == 302
    copy = MicroStation.objects.get(campaign=next_year)
    assert (copy.name, copy.stage, copy.opened_on) == (station_a.name, station_a.stage, station_a.opened_on)
    assert copy.supervising_unit == station_a.supervising_unit


def test_a_plaque_number_already_in_use_is_a_clear_row_error(client, bureau_admin, campaign, unit_a):
    from tests.factories import CampaignFactory

    # In another campaign: within the import's campaign the plaque number would name the station to update.
    MicroStationFactory(
        campaign=CampaignFactory(year=2024), supervising_unit=unit_a, opened=True, plaque_no="WS-JL-2025-01"
    )
    client.force_login(bureau_admin)

    response = import_file(client, campaign, workbook_upload([station_row(牌匾编号="WS-JL-2025-01")]))

    assert response.status_code == 200
    assert row_errors(response) == {2: ["牌匾编号已被其他微站使用。"]}
    assert MicroStation.objects.count() == 1


def test_a_staff_office_clerk_sees_only_its_units_stations_in_the_admin(
    client, staff_office, station_a, station_b
):
    client.force_login(staff_office)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [station_a]
    assert client.get(f"{CHANGELIST}{station_b.pk}/change/").status_code == 302  # "does not exist" redirect


# --- the activity admin ---------------------------------------------------------------------------


def test_bulk_approval_approves_submitted_activities_and_skips_the_rest(
    client, bureau_admin, office_a, station_a
):
    draft = StationActivityFactory(station=station_a)
    submitted = StationActivityFactory(station=station_a)
    review.record_submit(actor=office_a, record=submitted)
    client.force_login(bureau_admin)

    response = client.post(
        ACTIVITY_CHANGELIST,
        {"action": "approve_selected", "_selected_action": [draft.pk, submitted.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert "已审核通过 1 条。另有 1 条不是“已提交”状态，未处理。" in messages
    statuses = dict(StationActivity.objects.values_list("pk", "review_status"))
    assert statuses == {draft.pk: ReviewStatus.DRAFT, submitted.pk: ReviewStatus.APPROVED}


def test_the_leader_has_no_bulk_approval(client, leader, station_a):
    leader.is_staff = True
    leader.save()
    StationActivityFactory(station=station_a)
    client.force_login(leader)

    response = client.get(ACTIVITY_CHANGELIST)

    assert response.status_code == 200
    assert "approve_selected" not in response.content.decode()


def test_saving_an_activity_in_the_admin_takes_the_unit_from_the_station(
    client, bureau_admin, activity_a, station_b
):
    client.force_login(bureau_admin)
    url = f"{ACTIVITY_CHANGELIST}{activity_a.pk}/change/"
    data = {
        "station": station_b.pk,
        "date": "2025-05-21",
        "topic": "science",
        "title": "改到乙地",
        "people_reached": 10,
        "materials_distributed": 0,
        "volunteers_present": 0,
        "summary": "",
        "evidence-photo-content_type-object_id-TOTAL_FORMS": 0,
        "evidence-photo-content_type-object_id-INITIAL_FORMS": 0,
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = StationActivity.objects.get(pk=activity_a.pk)
    assert (stored.station, stored.unit, stored.title) == (station_b, station_b.supervising_unit, "改到乙地")


def test_the_station_admin_lists_the_stations(client, bureau_admin, campaign):
    MicroStationFactory.create_batch(3)
    client.force_login(bureau_admin)

    assert client.get(CHANGELIST).context["cl"].result_count == 3


def test_a_staff_office_clerk_cannot_log_an_activity_at_another_units_station_in_the_admin(
    client, staff_office, station_a, station_b
):
    client.force_login(staff_office)
    data = {
        "date": "2025-05-21",
        "topic": "science",
        "title": "计量科普进社区",
        "people_reached": 10,
        "materials_distributed": 0,
        "volunteers_present": 0,
        "summary": "",
        "evidence-photo-content_type-object_id-TOTAL_FORMS": 0,
        "evidence-photo-content_type-object_id-INITIAL_FORMS": 0,
    }

    refused = client.post(f"{ACTIVITY_CHANGELIST}add/", {**data, "station": station_b.pk})

    assert refused.status_code == 200
    assert "station" in refused.context["adminform"].form.errors
    assert not StationActivity.objects.exists()


# --- the activity admin saves through record_save -------------------------------------------------


def admin_activity_data(station, **overrides):
    return {
        "station": station.pk,
        "date": "2025-05-21",
        "topic": "science",
        "title": "计量科普进社区",
        "people_reached": 10,
        "materials_distributed": 0,
        "volunteers_present": 0,
        "summary": "",
        "evidence-photo-content_type-object_id-TOTAL_FORMS": 0,
        "evidence-photo-content_type-object_id-INITIAL_FORMS": 0,
        **overrides,
    }


@pytest.mark.parametrize("day", ["2025-04-24", "2025-07-01"])
def test_the_admin_refuses_an_activity_dated_outside_the_campaign(client, staff_office, station_a, day):
    client.force_login(staff_office)

    response = client.post(f"{ACTIVITY_CHANGELIST}add/", admin_activity_data(station_a, date=day))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "日期须在活动期间（2025-04-25 至 2025-06-30）内。"
    ]
    assert not StationActivity.objects.exists()


def test_the_admin_refuses_moving_an_activity_outside_the_campaign(client, bureau_admin, activity_a):
    client.force_login(bureau_admin)

    response = client.post(
        f"{ACTIVITY_CHANGELIST}{activity_a.pk}/change/",
        admin_activity_data(activity_a.station, date="2025-07-01", title="改过的标题"),
    )

    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    stored = StationActivity.objects.get(pk=activity_a.pk)
    assert (stored.date.isoformat(), stored.title) == ("2025-05-20", "甲地计量科普进社区")


def test_the_admin_refuses_more_volunteers_than_people_reached(client, staff_office, station_a):
    client.force_login(staff_office)

    response = client.post(
        f"{ACTIVITY_CHANGELIST}add/", admin_activity_data(station_a, people_reached=1, volunteers_present=3)
    )

    assert response.context["adminform"].form.errors["volunteers_present"] == [
        "参加的宣传员人数不能多于覆盖人数。"
    ]
    assert not StationActivity.objects.exists()


def test_an_admin_save_is_in_the_history_under_the_clerks_name_with_the_stations_unit(
    client, staff_office, station_a
):
    client.force_login(staff_office)

    response = client.post(f"{ACTIVITY_CHANGELIST}add/", admin_activity_data(station_a))

    assert response.status_code == 302
    activity = StationActivity.objects.get()
    assert (activity.unit, activity.campaign, activity.created_by) == (
        station_a.supervising_unit,
        station_a.campaign,
        staff_office,
    )
    assert activity.review_status == ReviewStatus.DRAFT
    assert activity.history.get().history_user == staff_office


def test_an_approved_activity_cannot_be_changed_in_the_admin(client, bureau_admin, office_a, activity_a):
    review.record_submit(actor=office_a, record=activity_a)
    review.record_approve(actor=bureau_admin, record=activity_a)
    client.force_login(bureau_admin)

    response = client.post(
        f"{ACTIVITY_CHANGELIST}{activity_a.pk}/change/",
        admin_activity_data(activity_a.station, title="改过的标题"),
    )

    assert response.status_code == 403
    assert StationActivity.objects.get(pk=activity_a.pk).title == "甲地计量科普进社区"


def test_the_admin_form_offers_only_allow_listed_fields(client, bureau_admin, activity_a):
    client.force_login(bureau_admin)

    form = client.get(f"{ACTIVITY_CHANGELIST}{activity_a.pk}/change/").context["adminform"].form

    assert set(form.fields) == set(StationActivity.record_fields)


@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_the_import_service_itself_refuses_those_who_may_not_add_stations(request, campaign, actor):
    with pytest.raises(PermissionDenied):
        stations_import(
            actor=request.getfixturevalue(actor), campaign=campaign, upload=workbook_upload([station_row()])
        )

    assert not MicroStation.objects.exists()


def test_an_import_refuses_an_opening_date_in_the_future(client, bureau_admin, campaign, unit_a):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(bureau_admin)

    response = import_file(
        client, campaign, workbook_upload([station_row(建设进度="已揭牌运行", 揭牌日期=tomorrow)])
    )

    assert response.status_code == 200
    assert row_errors(response) == {2: ["揭牌日期：揭牌日期不能晚于今天。"]}
    assert not MicroStation.objects.exists()


def test_the_station_admin_refuses_moving_a_station_back(client, bureau_admin, station_a):
    client.force_login(bureau_admin)
    response = client.get(f"{CHANGELIST}{station_a.pk}/change/")
    form = response.context["adminform"].form
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    data.update(
        {
            "stage": MicroStation.Stage.PLANNED,
            "evidence-photo-content_type-object_id-TOTAL_FORMS": 0,
            "evidence-photo-content_type-object_id-INITIAL_FORMS": 0,
        }
    )

    refused = client.post(f"{CHANGELIST}{station_a.pk}/change/", data)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"stage": ["微站已是“已揭牌运行”，不能退回“规划”。"]}
    assert MicroStation.objects.get(pk=station_a.pk).stage == MicroStation.Stage.OPENED
    kept = client.post(
        f"{CHANGELIST}{station_a.pk}/change/", {**data, "stage": MicroStation.Stage.OPENED, "note": "已核对"}
    )
    assert kept.status_code == 302
    assert MicroStation.objects.get(pk=station_a.pk).note == "已核对"


# --- the station admin writes through microstations.services -------------------------------------


def station_change_data(client, station, **overrides):
    """The change form as the admin shows it, with `overrides` typed in."""
    form = client.get(f"{CHANGELIST}{station.pk}/change/").context["adminform"].form
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    return {
        **data,
        "evidence-photo-content_type-object_id-TOTAL_FORMS": 0,
        "evidence-photo-content_type-object_id-INITIAL_FORMS": 0,
        **overrides,
    }


def test_an_admin_change_is_saved_by_the_service_under_the_admins_name(client, bureau_admin, station_a):
    client.force_login(bureau_admin)
    data = station_change_data(client, station_a, contact_phone="023-57680000", opening_hours="周一至周五")

    response = client.post(f"{CHANGELIST}{station_a.pk}/change/", data)

    assert response.status_code == 302
    latest = MicroStation.history.filter(id=station_a.pk).latest("history_date")
    assert (latest.history_user, latest.history_type) == (bureau_admin, "~")
    assert (latest.contact_phone, latest.opening_hours) == ("023-57680000", "周一至周五")
    # The campaign a station was entered under is not the admin's to change (stations carry over).
    assert "campaign" not in data


def test_the_admin_adds_a_station_through_the_service(client, bureau_admin, campaign, unit_a):
    client.force_login(bureau_admin)
    data = {
        "campaign": campaign.pk,
        "name": "民生计量科普宣传服务微站（甲地加油站）",
        "host_name": "中石化甲地加油站",
        "station_type": MicroStation.StationType.GAS_STATION,
        "address": "巫山县甲地镇",
        "township": "甲地镇",
        "focus_area": MicroStation.FocusArea.COMMUNITY,
        "contact_name": "陈站长",
        "contact_phone": "023-57680001",
        "supervising_unit": unit_a.pk,
        "stage": MicroStation.Stage.PLANNED,
        "is_public": "on",
        "evidence-photo-content_type-object_id-TOTAL_FORMS": 0,
        "evidence-photo-content_type-object_id-INITIAL_FORMS": 0,
    }

    response = client.post(f"{CHANGELIST}add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    station = MicroStation.objects.get(name="民生计量科普宣传服务微站（甲地加油站）")
    assert (station.campaign, station.supervising_unit, station.stage) == (campaign, unit_a, "planned")
    assert station.history.get().history_user == bureau_admin


def test_the_admin_keeps_a_station_the_service_would_not_delete(client, bureau_admin, station_a, unit_a):
    planned_with_volunteer = MicroStationFactory(supervising_unit=unit_a)
    VolunteerFactory(station=planned_with_volunteer)
    client.force_login(bureau_admin)

    for station in (station_a, planned_with_volunteer):
        page = client.get(f"{CHANGELIST}{station.pk}/delete/")
        posted = client.post(f"{CHANGELIST}{station.pk}/delete/", {"post": "yes"})
        assert (page.status_code, posted.status_code) == (403, 403)
    bulk = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [station_a.pk, planned_with_volunteer.pk],
            "post": "yes",
        },
    )

    assert bulk.status_code == 200
    assert bulk.context["perms_lacking"]  # the confirmation page names what may not be deleted
    assert MicroStation.objects.filter(pk__in=[station_a.pk, planned_with_volunteer.pk]).count() == 2


def test_the_admin_deletes_a_planned_station_with_nothing_logged_through_the_service(
    client, bureau_admin, unit_a
):
    mistake = MicroStationFactory(supervising_unit=unit_a)
    client.force_login(bureau_admin)

    response = client.post(f"{CHANGELIST}{mistake.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not MicroStation.objects.filter(pk=mistake.pk).exists()
    deleted = MicroStation.history.filter(id=mistake.pk).latest("history_date")
    assert (deleted.history_type, deleted.history_user) == ("-", bureau_admin)
