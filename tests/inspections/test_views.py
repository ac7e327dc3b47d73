"""The office workbench pages: list, form with instrument rows, detail with follow-up, statistics.

Three actors per scoped page: the record's office works, another office gets 404, leadership reads
but gets 403 on every write.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import TaskAssignment
from inspections.models import Domain, FollowUpStatus, InspectedInstrument, InspectionRecord
from inspections.verification import Result
from records.models import ReviewStatus
from tests.factories import UnitFactory, UserFactory
from tests.inspections.factories import (
    EnterpriseFactory,
    InspectionFactory,
    InstrumentFactory,
    instrument_type,
)

LIST = "/workbench/inspections/"
NEW = "/workbench/inspections/new/"
STATS = "/workbench/inspections/statistics/"
STATS_EXPORT = "/workbench/inspections/statistics/export/"

INSTRUMENT_FIELDS = [
    "instrument_type",
    "serial_no",
    "certificate_no",
    "verified_on",
    "valid_until",
    "verifying_body",
    "result",
    "mark_present",
    "seal_intact",
    "service_life_end",
]


def payload(party, *, instruments=(), action="submit", **overrides):
    """The POST an office's browser sends: every record field, the instrument rows' management form."""
    data = {
        "domain": Domain.FUEL,
        "inspected_party": party.pk,
        "market": "",
        "date": "2025-05-20",
        "inspectors": "王五、赵六",
        "staff_turnout": "3",
        "joint_unit": "",
        "dispensers": "2",
        "nozzles": "4",
        "fair_scale_present": "unknown",
        "instruments_registered": "unknown",
        "ledger_present": "unknown",
        "instruments_checked": "0",
        "mandatory_count": "4",
        "unverified_count": "0",
        "overdue_count": "0",
        "failed_count": "0",
        "life_expired_count": "0",
        "broken_seal_count": "1",
        "cheating_device_count": "0",
        "problems_found": "1",
        "problem_types": ["seal"],
        "findings": "1号机铅封损坏。",
        "rectification_notice_no": "",
        "rectification_ordered_on": "",
        "rectification_deadline": "",
        "rectified_on": "",
        "case_no": "",
        "case_filed_on": "",
        "case_closed_on": "",
        "fine_amount": "0",
        "confiscated_income": "0",
        "confiscated_devices": "0",
        "confiscated_items": "",
        "action": action,
        "instruments-TOTAL_FORMS": str(len(instruments) + 1),
        "instruments-INITIAL_FORMS": "0",
        "instruments-MIN_NUM_FORMS": "0",
        "instruments-MAX_NUM_FORMS": "1000",
        # The empty extra row, as the browser posts it (checkboxes checked by default).
        f"instruments-{len(instruments)}-mark_present": "on",
        f"instruments-{len(instruments)}-seal_intact": "on",
        f"instruments-{len(instruments)}-result": Result.PASSED,
    }
    for index, row in enumerate(instruments):
        for name, value in row.items():
            if value is not None:
                data[f"instruments-{index}-{name}"] = value
    data.update(overrides)
    return data


def nozzle_row(serial, seal=True):
    row = {
        "instrument_type": str(instrument_type("fuel_nozzle").pk),
        "serial_no": serial,
        "certificate_no": f"JD-{serial}",
        "verified_on": "2024-11-01",
        "valid_until": "",
        "verifying_body": "巫山检测所",
        "result": Result.PASSED,
        "mark_present": "on",
    }
    if seal:
        row["seal_intact"] = "on"
    return row


# --- list and detail: three actors ----------------------------------------------------------------


def test_an_office_lists_only_its_own_units_inspections(client, office_a, inspection_a, inspection_b):
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [r.pk for r in response.context["inspections"]] == [inspection_a.pk]
    assert "乙地农贸市场摊位" not in response.content.decode()


def test_leadership_lists_every_units_inspections_and_filters_them(
    client, leader, inspection_a, inspection_b
):
    client.force_login(leader)

    assert {r.pk for r in client.get(LIST).context["inspections"]} == {inspection_a.pk, inspection_b.pk}
    filtered = client.get(LIST, {"unit": inspection_b.unit_id})
    assert [r.pk for r in filtered.context["inspections"]] == [inspection_b.pk]
    assert list(client.get(LIST, {"domain": Domain.FUEL}).context["inspections"]) == []
    assert [r.pk for r in client.get(LIST, {"q": "永辉"}).context["inspections"]] == [inspection_a.pk]


def test_the_list_filters_by_date_follow_up_and_review_status(client, office_a, inspection_a):
    client.force_login(office_a)

    assert list(client.get(LIST, {"date_from": "2025-05-21"}).context["inspections"]) == []
    assert len(client.get(LIST, {"date_to": "2025-05-20"}).context["inspections"]) == 1
    assert (
        list(client.get(LIST, {"follow_up_status": FollowUpStatus.RECTIFYING}).context["inspections"]) == []
    )
    assert len(client.get(LIST, {"review_status": ReviewStatus.DRAFT}).context["inspections"]) == 1


def test_the_detail_page_answers_the_three_actors(client, office_a, office_b, leader, inspection_a):
    url = inspection_a.get_absolute_url()

    client.force_login(office_a)
    assert client.get(url).status_code == 200
    client.force_login(office_b)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["follow_up_forms"] == {}
    assert not response.context["can_edit"]


def test_the_detail_page_shows_each_instruments_computed_status(client, office_a, inspection_a):
    InstrumentFactory(
        inspection=inspection_a, valid_until=dt.date(2025, 5, 19), verified_on=dt.date(2024, 5, 20)
    )
    InstrumentFactory(inspection=inspection_a, seal_intact=False)
    client.force_login(office_a)

    response = client.get(inspection_a.get_absolute_url())

    html = response.content.decode()
    assert "超期未检" in html
    assert "合格有效" in html
    figures = response.context["figures"]
    assert (figures.instruments, figures.overdue, figures.broken_seals) == (2, 1, 1)


# --- the form -------------------------------------------------------------------------------------


def test_the_form_offers_every_instrument_type_tagged_with_its_domain(client, office_a, campaign):
    client.force_login(office_a)

    response = client.get(NEW)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-domain="fuel"' in html
    assert "<template data-instrument-template>" in html
    assert 'src="/static/js/inspections.js"' in html
    assert "<script>" not in html  # no inline scripts (CSP)


def test_an_office_records_a_fuel_inspection_with_listed_nozzles(client, office_a, campaign, gas_station):
    client.force_login(office_a)
    rows = [
        nozzle_row("1号机1枪"),
        nozzle_row("1号机2枪", seal=False),
        nozzle_row("2号机1枪"),
        nozzle_row("2号机2枪"),
    ]

    response = client.post(NEW, payload(gas_station, instruments=rows))

    record = InspectionRecord.objects.get()
    assert response.status_code == 302
    assert response.url == record.get_absolute_url()
    assert (record.unit, record.review_status) == (office_a.unit, ReviewStatus.SUBMITTED)
    assert (record.dispensers, record.nozzles, record.broken_seal_count) == (2, 4, 0)
    assert record.instruments.count() == 4
    assert record.instruments.get(serial_no="1号机2枪").seal_intact is False
    assert record.instruments.get(serial_no="2号机1枪").valid_until == dt.date(2025, 10, 31)
    assert record.figures.broken_seals == 1


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client, office_a, campaign, gas_station):
    client.force_login(office_a)

    response = client.post(NEW, payload(gas_station, dispensers="0", fine_amount="-5", problems_found="9"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["fine_amount"] == ["金额不能为负数。"]
    html = response.content.decode()
    assert "王五、赵六" in html  # what was typed is kept
    assert InspectionRecord.objects.count() == 0


def test_service_errors_land_on_their_fields(client, office_a, campaign, gas_station):
    client.force_login(office_a)

    response = client.post(NEW, payload(gas_station, dispensers="0", problems_found="9"))

    errors = response.context["form"].errors
    assert errors["nozzles"] == ["填写了加油枪，须同时填写加油机台数。"]
    assert errors["problems_found"] == ["发现问题（9 个）不能多于检查器具数（4 台件）。"]
    assert InspectionRecord.objects.count() == 0


def test_a_bad_instrument_row_is_shown_and_nothing_is_saved(client, office_a, campaign, gas_station):
    client.force_login(office_a)
    bad = {**nozzle_row("1号机1枪"), "verified_on": "2025-05-01", "valid_until": "2025-04-01"}

    response = client.post(NEW, payload(gas_station, nozzles="1", dispensers="1", instruments=[bad]))

    assert response.status_code == 200
    assert "有效期不能早于检定日期。" in response.content.decode()
    assert (InspectionRecord.objects.count(), InspectedInstrument.objects.count()) == (0, 0)


def test_leadership_may_not_open_the_form(client, leader, campaign):
    client.force_login(leader)

    assert client.get(NEW).status_code == 403


def test_the_edit_page_answers_the_three_actors(client, office_a, office_b, leader, inspection_a):
    url = reverse("inspections:inspection_edit", args=[inspection_a.pk])

    client.force_login(office_b)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(office_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["inspectors"] == "张三、李四"


def test_an_edit_keeps_the_listed_instruments_in_the_rows(client, office_a, inspection_a):
    InstrumentFactory(inspection=inspection_a, serial_no="SC-001")
    client.force_login(office_a)

    response = client.get(reverse("inspections:inspection_edit", args=[inspection_a.pk]))

    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    assert formset.forms[0].initial["serial_no"] == "SC-001"


def test_an_approved_record_cannot_be_edited(client, office_a, inspection_a):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    client.force_login(office_a)

    response = client.get(reverse("inspections:inspection_edit", args=[inspection_a.pk]))

    assert response.status_code == 302


# --- review and follow-up buttons -----------------------------------------------------------------


def test_review_buttons_answer_the_three_actors(client, office_a, office_b, leader, inspection_a):
    url = reverse("inspections:inspection_review", args=[inspection_a.pk, "submit"])

    client.force_login(office_b)
    assert client.post(url).status_code == 404
    client.force_login(leader)
    assert client.post(url).status_code == 403
    client.force_login(office_a)
    assert client.post(url).status_code == 302
    assert InspectionRecord.objects.get(pk=inspection_a.pk).review_status == ReviewStatus.SUBMITTED


def test_the_follow_up_buttons_answer_the_three_actors(
    client, office_a, office_b, leader, inspection_a, workstream
):
    url = reverse("inspections:inspection_follow_up", args=[inspection_a.pk, "order"])
    order = {"notice_no": "巫市监责改〔2025〕21号", "ordered_on": "2025-05-20", "deadline": "2025-06-05"}

    client.force_login(office_b)
    assert client.post(url, order).status_code == 404
    client.force_login(leader)
    assert client.post(url, order).status_code == 403
    assert InspectionRecord.objects.get(pk=inspection_a.pk).follow_up_status == FollowUpStatus.CHECKED

    client.force_login(office_a)
    response = client.post(url, order, follow=True)
    record = InspectionRecord.objects.get(pk=inspection_a.pk)
    assert record.follow_up_status == FollowUpStatus.RECTIFYING
    assert "已下达责令整改" in response.content.decode()
    assignment = TaskAssignment.objects.get(task=record.follow_up_task)
    assert response.context["follow_up_assignment"] == assignment

    rectified = reverse("inspections:inspection_follow_up", args=[inspection_a.pk, "rectified"])
    client.post(rectified, {"rectified_on": "2025-06-03"})
    assert InspectionRecord.objects.get(pk=inspection_a.pk).follow_up_status == FollowUpStatus.RECTIFIED
    assert TaskAssignment.objects.get(pk=assignment.pk).status == TaskAssignment.Status.DONE


def test_a_follow_up_with_bad_dates_shows_the_reason(client, office_a, inspection_a, workstream):
    client.force_login(office_a)
    url = reverse("inspections:inspection_follow_up", args=[inspection_a.pk, "order"])

    response = client.post(url, {"notice_no": "责改X", "deadline": "2025-05-01"}, follow=True)

    assert "整改期限不能早于责令整改日期。" in response.content.decode()
    assert InspectionRecord.objects.get(pk=inspection_a.pk).follow_up_status == FollowUpStatus.CHECKED


# --- statistics -----------------------------------------------------------------------------------


def test_an_office_sees_only_its_own_units_figures_whatever_it_asks(
    client, office_a, inspection_a, inspection_b
):
    InspectionRecord.objects.update(review_status=ReviewStatus.APPROVED)
    client.force_login(office_a)

    response = client.get(STATS, {"unit": inspection_b.unit_id, "by_unit": "on"})

    assert response.status_code == 200
    assert response.context["unit"] == office_a.unit
    assert "unit" not in response.context["filter_form"].fields
    total = response.context["rows"][-1]
    assert total.figures.instruments == 10  # inspection_a only


def test_leadership_sees_every_unit_and_may_split_by_unit(client, leader, inspection_a, inspection_b):
    InspectionRecord.objects.update(review_status=ReviewStatus.APPROVED)
    client.force_login(leader)

    assert client.get(STATS).context["rows"][-1].figures.instruments == 20
    assert client.get(STATS, {"unit": inspection_b.unit_id}).context["rows"][-1].parties == 1
    split = client.get(STATS, {"by_unit": "on"})
    assert len(split.context["rows"]) == 21
    assert "甲地市场监管所" in split.content.decode()


def test_an_account_without_a_unit_or_the_view_all_permission_sees_no_figures(client, campaign, inspection_a):
    from organizations.roles import Role

    stray = UserFactory(username="stray", unit=None, roles=[Role.OFFICE])
    client.force_login(stray)

    response = client.get(STATS)

    assert response.status_code == 200
    assert response.context["rows"] == []


def test_the_statistics_export_is_the_same_table_with_formula_safe_cells(client, leader, campaign):
    evil = UnitFactory(name='=HYPERLINK("http://x")所')
    InspectionFactory(unit=evil, review_status=ReviewStatus.APPROVED)
    InspectionFactory(unit=evil, review_status=ReviewStatus.SUBMITTED)
    client.force_login(leader)

    response = client.get(STATS_EXPORT, {"by_unit": "on"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("检查单位", "检查领域", "出动人次")
    assert len(rows[0]) == 23
    assert rows[1][0] == '=HYPERLINK("http://x")所'
    assert sheet.cell(row=2, column=1).data_type == "s"
    # The table, then an empty row and the footnote row with both formulas and what awaits review.
    *table, _blank, footnote = rows
    assert table[-1][1] == "合计"
    assert table[-1][4] == 10  # the approved record only
    assert "受检率 =（合格有效 + 检定不合格）÷ 强检器具" in footnote[0]
    assert "合格率 = 合格有效 ÷ 强检器具" in footnote[0]
    assert "另有待审核记录 1 条" in footnote[0]
    notes = dict(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert notes["待审核"] == "1 条，未计入本表"
    assert "强检器具" in notes["受检率%"]


def test_the_statistics_page_shows_pending_beside_the_figures_and_the_formulas(
    client, leader, inspection_a, inspection_b
):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    InspectionRecord.objects.filter(pk=inspection_b.pk).update(review_status=ReviewStatus.SUBMITTED)
    client.force_login(leader)

    response = client.get(STATS)

    assert response.context["rows"][-1].instruments == 10
    assert response.context["pending"] == 1
    html = response.content.decode()
    assert "待审核 1" in html
    assert "受检率 =（合格有效 + 检定不合格）÷ 强检器具 × 100%" in html
    assert "合格率 = 合格有效 ÷ 强检器具 × 100%" in html


def test_leadership_cannot_reach_the_pages_without_logging_in(client, campaign):
    assert client.get(STATS).status_code == 302
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("url", [LIST, NEW, STATS])
def test_every_page_renders_for_the_bureau_admin(client, bureau_admin, campaign, inspection_a, url):
    client.force_login(bureau_admin)

    assert client.get(url).status_code == 200


def test_the_nav_links_to_the_inspections(client, office_a, campaign):
    client.force_login(office_a)

    assert f'href="{LIST}"' in client.get("/workbench/").content.decode()
    _ = EnterpriseFactory  # the registry is shared: nothing to scope there


def test_the_edit_page_fills_the_date_pickers_with_iso_dates(client, office_a, inspection_a):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(
        rectification_notice_no="责改-ISO", rectification_deadline=dt.date(2025, 6, 5)
    )
    client.force_login(office_a)

    html = client.get(reverse("inspections:inspection_edit", args=[inspection_a.pk])).content.decode()

    assert 'name="date" value="2025-05-20"' in html
    assert 'name="rectification_deadline" value="2025-06-05"' in html


def test_the_inspection_metrics_are_registered_for_targets(campaign, inspection_a, inspection_b):
    from campaigns import metrics

    # Targets count approved records only; a submitted one waits.
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    InspectionRecord.objects.filter(pk=inspection_b.pk).update(review_status=ReviewStatus.SUBMITTED)

    assert metrics.get("inspections.inspections").count(campaign) == 1
    assert metrics.get("inspections.parties").count(campaign) == 1
    assert metrics.get("inspections.instruments").count(campaign) == 10
    assert metrics.get("inspections.cases").count(campaign) == 0


def test_saving_an_edit_keeps_the_untouched_instrument_rows(client, office_a, inspection_a):
    InstrumentFactory(inspection=inspection_a, serial_no="SC-KEEP")
    InstrumentFactory(inspection=inspection_a, serial_no="SC-DROP")
    client.force_login(office_a)
    # Each row exactly as the edit page shows it.
    rows = [
        {
            name: ("on" if value is True else value)
            for name, value in model_to_dict(i, INSTRUMENT_FIELDS).items()
        }
        for i in InspectedInstrument.objects.order_by("pk")
    ]
    data = payload(
        inspection_a.inspected_party,
        instruments=rows,
        action="save",
        domain=Domain.SCALES,
        fair_scale_present="true",
        instruments_registered="true",
        problems_found="0",
        problem_types=[],
        broken_seal_count="0",
        mandatory_count="0",
    )
    # Both rows were on the page already: the first is sent back untouched, the second deleted.
    data.update({"instruments-INITIAL_FORMS": "2", "instruments-1-DELETE": "on"})

    response = client.post(reverse("inspections:inspection_edit", args=[inspection_a.pk]), data)

    assert response.status_code == 302
    assert list(InspectedInstrument.objects.values_list("serial_no", flat=True)) == ["SC-KEEP"]


def test_a_double_submit_makes_one_record(client, office_a, campaign, gas_station):
    client.force_login(office_a)
    page = client.get(NEW)
    key = page.context["submission_key"]
    assert f'name="submission_key" value="{key}"' in page.content.decode()
    data = payload(gas_station, instruments=[nozzle_row("1号机1枪")], nozzles="1", dispensers="1")
    data["submission_key"] = key

    first = client.post(NEW, data)
    second = client.post(NEW, data)  # the second tap, 300 ms later

    record = InspectionRecord.objects.get()
    assert first.url == second.url == record.get_absolute_url()
    assert record.instruments.count() == 1


def test_a_new_render_gives_a_new_key(client, office_a, campaign):
    client.force_login(office_a)

    assert client.get(NEW).context["submission_key"] != client.get(NEW).context["submission_key"]


def test_the_list_page_filters_by_domain_and_campaign_through_the_shared_filter_set(
    client, leader, inspection_a, inspection_b
):
    InspectionRecord.objects.filter(pk=inspection_b.pk).update(domain=Domain.TAXI)
    client.force_login(leader)

    taxi = client.get(LIST, {"domain": Domain.TAXI})
    other_campaign = client.get(LIST, {"campaign": "999999"})

    assert [r.pk for r in taxi.context["inspections"]] == [inspection_b.pk]
    form = taxi.context["filter_form"]
    # The API-only filters are not rendered on the page.
    assert {"domain", "follow_up_status", "q", "unit"} <= set(form.fields)
    assert not {"inspected_party", "date"} & set(form.fields)
    # An unknown campaign is shown as an invalid filter and ignored.
    assert other_campaign.status_code == 200
