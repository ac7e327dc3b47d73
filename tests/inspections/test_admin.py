"""The admin: scoped changelists, adding a record with instruments (follow-up through the service),
Excel export, the instrument list and the editable instrument types."""

from __future__ import annotations

import io

import pytest
from django import forms
from openpyxl import load_workbook

from campaigns.models import TaskAssignment
from inspections.models import FollowUpStatus, InspectedInstrument, InspectionRecord, InstrumentType
from organizations.roles import Role
from records.models import ReviewStatus
from tests.factories import UserFactory
from tests.inspections.factories import (
    EnterpriseFactory,
    InspectionFactory,
    InstrumentFactory,
    instrument_type,
)

CHANGELIST = "/admin/inspections/inspectionrecord/"
ADD = "/admin/inspections/inspectionrecord/add/"
INSTRUMENTS = "/admin/inspections/inspectedinstrument/"
TYPES = "/admin/inspections/instrumenttype/"


@pytest.fixture
def staff_office(unit_a):
    """An office clerk who has been given admin access."""
    return UserFactory(username="staff_office", unit=unit_a, is_staff=True, roles=[Role.OFFICE])


def test_the_bureau_admin_sees_every_units_inspections(client, bureau_admin, inspection_a, inspection_b):
    client.force_login(bureau_admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_an_office_with_admin_access_sees_only_its_own(client, staff_office, inspection_a, inspection_b):
    InstrumentFactory(inspection=inspection_a)
    InstrumentFactory(inspection=inspection_b)
    client.force_login(staff_office)

    assert response_ids(client.get(CHANGELIST)) == {inspection_a.pk}
    assert client.get(f"{CHANGELIST}{inspection_b.pk}/change/").status_code == 302  # "does not exist"
    assert client.get(INSTRUMENTS).context["cl"].result_count == 1


def response_ids(response) -> set[int]:
    return {row.pk for row in response.context["cl"].result_list}


def admin_payload(response, **fields):
    """The add form as the browser would post it: every inline's management form, then the fields."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name, field in management.fields.items():
            data[f"{inline.formset.prefix}-{name}"] = management.initial.get(name, field.initial) or 0
    data.update(fields)
    return data


def test_the_bureau_admin_adds_an_inspection_with_instruments_and_the_follow_up_task_follows(
    client, bureau_admin, campaign, workstream
):
    party = EnterpriseFactory(name="巫山县佳惠超市有限公司")
    client.force_login(bureau_admin)
    page = client.get(ADD)
    data = admin_payload(
        page,
        campaign=campaign.pk,
        domain="scales",
        inspected_party=party.pk,
        date="2025-05-20",
        inspectors="价监科 张三",
        staff_turnout=2,
        fair_scale_present="true",
        instruments_registered="true",
        instruments_checked=0,
        mandatory_count=0,
        unverified_count=0,
        overdue_count=0,
        failed_count=0,
        life_expired_count=0,
        broken_seal_count=0,
        cheating_device_count=0,
        dispensers=0,
        nozzles=0,
        problems_found=1,
        problem_types='["overdue"]',
        rectification_notice_no="巫市监责改〔2025〕99号",
        rectification_deadline="2025-06-05",
        fine_amount="0",
        confiscated_income="0",
        confiscated_devices=0,
        **{
            "instruments-TOTAL_FORMS": 1,
            "instruments-0-instrument_type": instrument_type("price_scale").pk,
            "instruments-0-serial_no": "ADM-1",
            "instruments-0-verified_on": "2024-04-01",
            "instruments-0-result": "passed",
            "instruments-0-mark_present": "on",
            "instruments-0-seal_intact": "on",
        },
    )

    response = client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    record = InspectionRecord.objects.get()
    assert (record.unit, record.created_by) == (bureau_admin.unit, bureau_admin)
    assert record.instruments.get().valid_until is not None
    assert record.follow_up_status == FollowUpStatus.RECTIFYING
    assert TaskAssignment.objects.get(task=record.follow_up_task).unit == bureau_admin.unit


def test_the_admin_refuses_more_problems_than_listed_instruments(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    page = client.get(ADD)
    data = admin_payload(
        page,
        campaign=campaign.pk,
        domain="scales",
        inspected_party=EnterpriseFactory().pk,
        date="2025-05-20",
        inspectors="张三",
        staff_turnout=2,
        fair_scale_present="true",
        instruments_registered="true",
        **dict.fromkeys(
            (
                "instruments_checked",
                "mandatory_count",
                "unverified_count",
                "overdue_count",
                "failed_count",
                "life_expired_count",
                "broken_seal_count",
                "cheating_device_count",
                "dispensers",
                "nozzles",
                "confiscated_devices",
            ),
            0,
        ),
        problems_found=2,
        problem_types='["overdue"]',
        fine_amount="0",
        confiscated_income="0",
        **{
            "instruments-TOTAL_FORMS": 1,
            "instruments-0-instrument_type": instrument_type("price_scale").pk,
            "instruments-0-verified_on": "2024-06-01",
            "instruments-0-result": "passed",
        },
    )

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "发现问题（2 个）不能多于检查器具数（1 台件）。" in response.content.decode()
    assert InspectionRecord.objects.count() == 0


def test_an_approved_inspection_is_read_only_in_the_admin(client, bureau_admin, inspection_a):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    client.force_login(bureau_admin)

    response = client.get(f"{CHANGELIST}{inspection_a.pk}/change/")

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_the_export_action_writes_the_records_with_formula_safe_text(client, bureau_admin, campaign):
    record = InspectionFactory(inspected_party__name="=1+2 商行")
    InstrumentFactory(inspection=record)
    client.force_login(bureau_admin)

    response = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [record.pk]})

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("检查日期", "检查领域", "被检查单位")
    assert rows[1][2] == "=1+2 商行"
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert rows[1][7] == 1  # derived from the listed instrument, not the entered 10


def test_the_instrument_list_exports_with_the_computed_status(client, bureau_admin, inspection_a):
    instrument = InstrumentFactory(inspection=inspection_a)
    client.force_login(bureau_admin)

    response = client.post(INSTRUMENTS, {"action": "export_xlsx", "_selected_action": [instrument.pk]})

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][-1] == "合格有效"
    assert client.get(f"{INSTRUMENTS}add/").status_code == 403


def test_the_bureau_admin_edits_an_instrument_types_period(client, bureau_admin):
    kind = instrument_type("ac_charger")
    client.force_login(bureau_admin)

    page = client.get(f"{TYPES}{kind.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(verification_period_months=24, mandatory="on", is_active="on")

    response = client.post(f"{TYPES}{kind.pk}/change/", data)

    assert response.status_code == 302
    assert InstrumentType.objects.get(pk=kind.pk).verification_period_months == 24


def test_a_periodic_mandatory_type_needs_its_period(client, bureau_admin):
    kind = instrument_type("price_scale")
    client.force_login(bureau_admin)
    form = client.get(f"{TYPES}{kind.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(verification_period_months="", mandatory="on", is_active="on")

    response = client.post(f"{TYPES}{kind.pk}/change/", data)

    assert response.status_code == 200
    assert "周期检定的强检器具须填写检定周期（月）。" in response.content.decode()
    assert InspectedInstrument.objects.count() == 0


def change_payload(response, **fields):
    """The change form as the browser posts it back untouched: the record's values and its inline rows."""
    form = response.context["adminform"].form
    data = admin_payload(response)
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.NullBooleanSelect):
            value = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(field, forms.BooleanField):
            value = "on" if value else ""
        if value not in (None, ""):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        for row in inline.formset.initial_forms:
            for name, field in row.fields.items():
                value = row[name].value()
                if isinstance(field, forms.BooleanField):
                    value = "on" if value else ""
                if value not in (None, ""):
                    data[row.add_prefix(name)] = value
    data.update(fields)
    return data


def test_saved_instruments_count_in_the_admin_even_when_untouched(client, bureau_admin, inspection_a):
    InstrumentFactory(inspection=inspection_a, serial_no="SC-ONLY")
    client.force_login(bureau_admin)
    url = f"{CHANGELIST}{inspection_a.pk}/change/"

    response = client.post(
        url, change_payload(client.get(url), problems_found=2, problem_types='["overdue"]')
    )

    assert response.status_code == 200
    assert "发现问题（2 个）不能多于检查器具数（1 台件）。" in response.content.decode()
    assert InspectionRecord.objects.get(pk=inspection_a.pk).problems_found == 0


def test_an_untouched_admin_save_keeps_the_instruments(client, bureau_admin, inspection_a):
    InstrumentFactory(inspection=inspection_a, serial_no="SC-ONLY")
    client.force_login(bureau_admin)
    url = f"{CHANGELIST}{inspection_a.pk}/change/"

    response = client.post(url, change_payload(client.get(url)))

    assert response.status_code == 302
    record = InspectionRecord.objects.get(pk=inspection_a.pk)
    assert list(record.instruments.values_list("serial_no", flat=True)) == ["SC-ONLY"]
    # The listed instrument now gives the figures: the stale entered count was set aside.
    assert (record.instruments_checked, record.figures.instruments) == (0, 1)


def test_the_instrument_types_export_with_their_rules(client, bureau_admin):
    client.force_login(bureau_admin)
    selected = list(
        InstrumentType.objects.filter(code__in=["trial_lens_set", "water_meter"]).values_list("pk", flat=True)
    )

    response = client.post(TYPES, {"action": "export_xlsx", "_selected_action": selected})

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:7] == ("water_meter", "民用水表", "民用三表（水表、电能表、燃气表）", "是", None, "是", 6)
    assert rows[2][:5] == ("trial_lens_set", "验光镜片组", "眼镜制配", "是", 24)


def test_an_admin_edit_goes_through_the_save_service_and_is_in_the_history(
    client, bureau_admin, inspection_a
):
    client.force_login(bureau_admin)
    url = f"{CHANGELIST}{inspection_a.pk}/change/"
    history = inspection_a.history.count()

    response = client.post(url, change_payload(client.get(url), inspectors="价监科 王五"))

    assert response.status_code == 302
    record = InspectionRecord.objects.get(pk=inspection_a.pk)
    assert record.inspectors == "价监科 王五"
    assert record.history.count() == history + 1
    assert record.history.first().history_user == bureau_admin
    # The unit stays the office's: the bureau corrects a record, it does not take it over.
    assert record.unit == inspection_a.unit


@pytest.mark.parametrize("day", ["2025-04-24", "2025-07-01"])
def test_an_admin_save_refuses_a_date_outside_the_campaign(client, bureau_admin, inspection_a, day):
    client.force_login(bureau_admin)
    url = f"{CHANGELIST}{inspection_a.pk}/change/"

    response = client.post(url, change_payload(client.get(url), date=day))

    assert response.status_code == 200
    assert "日期须在活动期间（2025-04-25 至 2025-06-30）内。" in response.content.decode()
    assert InspectionRecord.objects.get(pk=inspection_a.pk).date == inspection_a.date


def test_an_admin_post_to_an_approved_inspection_changes_nothing(client, bureau_admin, inspection_a):
    client.force_login(bureau_admin)
    url = f"{CHANGELIST}{inspection_a.pk}/change/"
    data = change_payload(client.get(url), inspectors="改了")
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    history = inspection_a.history.count()

    response = client.post(url, data)

    assert response.status_code == 403
    record = InspectionRecord.objects.get(pk=inspection_a.pk)
    assert (record.inspectors, record.history.count()) == ("张三、李四", history)


def test_the_admin_bulk_approval_counts_what_it_did(client, bureau_admin, inspection_a, inspection_b):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.SUBMITTED)
    client.force_login(bureau_admin)

    response = client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [inspection_a.pk, inspection_b.pk]},
        follow=True,
    )

    text = response.content.decode()
    assert "已审核通过 1 条。" in text
    assert "另有 1 条不是“已提交”状态，未处理。" in text
    assert InspectionRecord.objects.get(pk=inspection_a.pk).review_status == ReviewStatus.APPROVED
    assert InspectionRecord.objects.get(pk=inspection_b.pk).review_status == ReviewStatus.DRAFT
