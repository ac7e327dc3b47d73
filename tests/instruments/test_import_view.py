"""The register's import page itself (issue 20): the form, the template download, an upload that lands
with its receipt, bad files and bad rows answered in Chinese with nothing saved, and who may import.
And the lead list, whose per-lead forms repeat no HTML id."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from instruments.models import InspectionLead, RegisteredInstrument
from tests.html import one, select, text_of, texts
from tests.instruments.test_importing import a_row, upload

pytestmark = pytest.mark.django_db

IMPORT = "/workbench/instruments/import/"


def post(client, owner, file):
    return client.post(IMPORT, {"owner": owner.pk, "file": file})


def test_the_page_offers_the_form_and_the_template(client, office_a):
    client.force_login(office_a)

    page = client.get(IMPORT)
    template = client.get(IMPORT, {"template": "1"})

    assert page.status_code == 200
    assert text_of(page, "h1") == "导入计量器具台账"
    assert one(page, "form input[type=file][name=file]") is not None
    assert select(page, "select[name=unit]") == []  # an office imports into its own unit
    headers = [cell.value for cell in load_workbook(io.BytesIO(template.content)).worksheets[0][1]]
    assert headers[:3] == ["名称", "项别", "种别"]


def test_an_upload_registers_the_lines_and_says_what_it_did(client, office_a, owner, unit_a):
    client.force_login(office_a)
    existing = RegisteredInstrument.objects.create(
        owner=owner,
        unit=unit_a,
        created_by=office_a,
        name="电子计价秤",
        location="旧址",
        instrument_type_id=RegisteredInstrument._meta.get_field("instrument_type")
        .related_model.objects.get(code="price_scale")
        .pk,
    )

    response = post(
        client,
        owner,
        upload([a_row(), a_row(出厂编号="A0002"), a_row(器具码=existing.code, **{"安装/使用地点": "新址"})]),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/workbench/instruments/?owner={owner.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "导入完成：新登记 2 台，修改 1 台，未变 0 台。"
    ]
    assert RegisteredInstrument.objects.filter(owner=owner, unit=unit_a).count() == 3
    existing.refresh_from_db()
    assert existing.location == "新址"


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese_and_nothing_is_saved(client, office_a, owner):
    client.force_login(office_a)

    response = post(client, owner, SimpleUploadedFile("台账.xlsx", b"not a workbook at all"))

    assert response.status_code == 200
    errors = texts(response, ".field-error, [role=alert] li")
    assert errors, "the page names the fault"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in error) for error in errors)
    assert not RegisteredInstrument.objects.exists()


def test_bad_rows_are_all_listed_by_row_number_and_nothing_is_saved(client, office_a, owner):
    client.force_login(office_a)

    response = post(client, owner, upload([a_row(), a_row(数量=0), a_row(名称="")]))

    assert response.status_code == 200
    listed = texts(response, "[data-testid=import-errors] li")
    assert [line.split("：", 1)[0] for line in listed] == ["第 3 行", "第 4 行"]
    assert "数量至少为 1。" in listed[0]
    assert not RegisteredInstrument.objects.exists()


def test_a_missing_file_or_owner_is_named_on_its_field(client, office_a):
    client.force_login(office_a)

    response = client.post(IMPORT, {})

    assert response.status_code == 200
    assert texts(response, "form[enctype] .field-error") == ["该字段是必填项。", "该字段是必填项。"]
    assert not RegisteredInstrument.objects.exists()


def test_leadership_may_not_import_and_anonymous_users_are_sent_to_login(client, leader, owner):
    client.force_login(leader)
    assert client.get(IMPORT).status_code == 403
    assert post(client, owner, upload([a_row()])).status_code == 403
    client.logout()
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not RegisteredInstrument.objects.exists()


def test_an_office_imports_into_its_own_unit_only(client, office_b, owner, unit_b, instrument_a):
    # 乙地所 names 甲地所's line by its code: not a line of its own scope, so refused, nothing changed.
    client.force_login(office_b)

    response = post(client, owner, upload([a_row(器具码=instrument_a.code)]))

    assert response.status_code == 200
    assert "不是该使用单位台账中的器具" in text_of(response, "[data-testid=import-errors]")
    assert RegisteredInstrument.objects.count() == 1


# --- the lead list: one id per element -----------------------------------------------------------------


def test_the_lead_lists_per_lead_forms_repeat_no_id_and_labels_point_at_their_own_inputs(
    client, campaign, office_a, unit_a, instrument_a
):
    leads = [
        InspectionLead.objects.create(
            unit=unit_a,
            instrument=instrument_a,
            owner=instrument_a.owner,
            summary=f"线索{n}",
            created_by=office_a,
        )
        for n in range(3)
    ]
    client.force_login(office_a)

    response = client.get("/workbench/instruments/leads/")

    ids = Counter(element.get("id") for element in select(response, "[id]"))
    assert [name for name, count in ids.items() if count > 1] == []
    for lead in leads:
        label = one(response, f"#lead-{lead.pk} label[for=id_lead{lead.pk}_plan_planned_for]")
        assert label is not None
        assert one(response, f"#lead-{lead.pk} #id_lead{lead.pk}_dismiss_reason").get("name") == "reason"
    # The names are what the views read: planning one lead from its own form still works.
    assert (
        client.post(
            f"/workbench/instruments/leads/{leads[0].pk}/plan/", {"planned_for": "2025-06-01"}
        ).status_code
        == 302
    )
    leads[0].refresh_from_db()
    assert leads[0].status == InspectionLead.Status.PLANNED
