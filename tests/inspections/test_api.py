"""/api/v1/inspections/ (with nested instruments, review actions) and /api/v1/instrument-types/."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections.models import InspectionRecord
from records.models import ReviewStatus
from tests.inspections.factories import InstrumentFactory

INSPECTIONS = "/api/v1/inspections/"
TYPES = "/api/v1/instrument-types/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_an_office_lists_only_its_own_units_inspections(api_client, office_a, inspection_a, inspection_b):
    api_client.force_authenticate(office_a)

    response = api_client.get(INSPECTIONS)

    assert response.status_code == 200
    assert ids(response) == {inspection_a.pk}


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_read_every_inspection(
    api_client, request, inspection_a, inspection_b, actor
):
    api_client.force_authenticate(request.getfixturevalue(actor))

    assert ids(api_client.get(INSPECTIONS)) == {inspection_a.pk, inspection_b.pk}
    assert api_client.get(f"{INSPECTIONS}{inspection_b.pk}/").status_code == 200


def test_another_units_inspection_is_404(api_client, office_a, inspection_b):
    api_client.force_authenticate(office_a)

    assert api_client.get(f"{INSPECTIONS}{inspection_b.pk}/").status_code == 404
    assert api_client.post(f"{INSPECTIONS}{inspection_b.pk}/submit/").status_code == 404
    assert InspectionRecord.objects.get(pk=inspection_b.pk).review_status == ReviewStatus.DRAFT


def test_the_detail_nests_the_instruments_with_their_computed_status_and_the_figures(
    api_client, office_a, inspection_a
):
    InstrumentFactory(inspection=inspection_a, serial_no="SC-1")
    InstrumentFactory(
        inspection=inspection_a,
        serial_no="SC-2",
        verified_on=dt.date(2024, 5, 1),
        valid_until=dt.date(2025, 4, 30),
    )
    api_client.force_authenticate(office_a)

    body = api_client.get(f"{INSPECTIONS}{inspection_a.pk}/").json()

    assert [(i["serial_no"], i["verification_status_display"]) for i in body["instruments"]] == [
        ("SC-1", "合格有效"),
        ("SC-2", "超期未检"),
    ]
    assert body["figures"]["instruments"] == 2
    assert body["figures"]["overdue"] == 1
    assert body["figures"]["inspected_rate"] == "50.0"
    assert body["penalty_total"] == "0.00"
    assert body["follow_up_status_display"] == "已检查"


def test_an_api_edit_goes_through_the_save_service_and_keeps_the_instruments(
    api_client, office_a, inspection_a
):
    InstrumentFactory(inspection=inspection_a, serial_no="SC-1")
    api_client.force_authenticate(office_a)

    response = api_client.patch(
        f"{INSPECTIONS}{inspection_a.pk}/",
        {"inspectors": "王五", "review_status": ReviewStatus.APPROVED, "unit": 999},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    # The owned fields are read-only: ignored, never set by a caller.
    assert (body["inspectors"], body["review_status"]) == ("王五", ReviewStatus.DRAFT)
    assert [i["serial_no"] for i in body["instruments"]] == ["SC-1"]
    record = InspectionRecord.objects.get(pk=inspection_a.pk)
    assert (record.unit_id, record.history.first().history_user) == (office_a.unit_id, office_a)


def test_api_writes_answer_the_three_actors(api_client, office_a, office_b, leader, inspection_a):
    url = f"{INSPECTIONS}{inspection_a.pk}/"

    api_client.force_authenticate(office_b)
    assert api_client.patch(url, {"inspectors": "x"}, format="json").status_code == 404
    assert api_client.delete(url).status_code == 404
    api_client.force_authenticate(leader)
    assert api_client.patch(url, {"inspectors": "x"}, format="json").status_code == 403
    assert api_client.delete(url).status_code == 403
    assert InspectionRecord.objects.get(pk=inspection_a.pk).inspectors == "张三、李四"


def test_an_api_create_is_the_offices_own_and_follows_the_models_rules(
    api_client, office_a, campaign, inspection_b
):
    api_client.force_authenticate(office_a)
    data = {
        "domain": "scales",
        "inspected_party": inspection_b.inspected_party_id,
        "date": "2025-05-21",
        "inspectors": "张三",
        "instruments_checked": 4,
        "mandatory_count": 4,
        "fair_scale_present": True,
        "instruments_registered": True,
        # Another domain's field: cleared, as the form does.
        "nozzles": 3,
    }

    created = api_client.post(INSPECTIONS, data, format="json")
    refused = api_client.post(INSPECTIONS, {**data, "date": "2025-07-01"}, format="json")

    assert created.status_code == 201, created.json()
    record = InspectionRecord.objects.get(pk=created.json()["id"])
    assert (record.unit, record.campaign, record.review_status) == (office_a.unit, campaign, "draft")
    assert record.nozzles == 0
    assert refused.status_code == 400
    assert refused.json()["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]


def test_an_approved_record_is_locked_over_the_api(api_client, office_a, inspection_a):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    api_client.force_authenticate(office_a)

    response = api_client.patch(f"{INSPECTIONS}{inspection_a.pk}/", {"inspectors": "x"}, format="json")

    # 409: the request is fine, the record's state refuses it.
    assert response.status_code == 409
    assert "已审核通过" in response.json()["detail"]
    assert InspectionRecord.objects.get(pk=inspection_a.pk).inspectors != "x"


def test_the_review_actions_answer_the_three_actors(
    api_client, office_a, office_b, leader, bureau_admin, inspection_a
):
    api_client.force_authenticate(leader)
    assert api_client.post(f"{INSPECTIONS}{inspection_a.pk}/submit/").status_code == 403

    api_client.force_authenticate(office_b)
    assert api_client.post(f"{INSPECTIONS}{inspection_a.pk}/submit/").status_code == 404

    api_client.force_authenticate(office_a)
    response = api_client.post(f"{INSPECTIONS}{inspection_a.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["review_status"] == ReviewStatus.SUBMITTED
    assert api_client.post(f"{INSPECTIONS}{inspection_a.pk}/approve/").status_code == 403

    api_client.force_authenticate(leader)
    assert api_client.post(f"{INSPECTIONS}{inspection_a.pk}/approve/").status_code == 403

    api_client.force_authenticate(bureau_admin)
    returned = api_client.post(f"{INSPECTIONS}{inspection_a.pk}/return/", {"reason": ""}, format="json")
    assert returned.status_code == 400
    assert (
        api_client.post(f"{INSPECTIONS}{inspection_a.pk}/approve/").json()["review_status"]
        == ReviewStatus.APPROVED
    )


def test_the_inspection_api_filters_by_domain_and_searches_by_party(
    api_client, leader, inspection_a, inspection_b
):
    api_client.force_authenticate(leader)

    assert ids(api_client.get(INSPECTIONS, {"domain": "fuel"})) == set()
    assert ids(api_client.get(INSPECTIONS, {"search": "永辉"})) == {inspection_a.pk}
    # The list page's FilterSet (inspections.filters) serves the API too.
    assert ids(api_client.get(INSPECTIONS, {"q": "永辉"})) == {inspection_a.pk}
    assert ids(api_client.get(INSPECTIONS, {"unit": inspection_b.unit_id})) == {inspection_b.pk}
    assert ids(api_client.get(INSPECTIONS, {"date_from": "2025-05-21"})) == set()
    assert ids(api_client.get(INSPECTIONS, {"date": "2025-05-20"})) == {inspection_a.pk, inspection_b.pk}
    party = inspection_b.inspected_party_id
    assert ids(api_client.get(INSPECTIONS, {"inspected_party": party})) == {inspection_b.pk}


def test_the_instrument_types_are_read_by_everyone_signed_in(api_client, office_a):
    api_client.force_authenticate(office_a)

    response = api_client.get(TYPES, {"domain": "optical", "ordering": "sort_order"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["验光仪", "焦度计", "验光镜片组", "瞳距仪"]
    assert [row["verification_period_months"] for row in rows] == [12, 12, 24, None]
    assert rows[-1]["mandatory"] is False
    # Only the bureau writes the catalogue (tests/api): an office is refused before its body is read.
    assert api_client.post(TYPES, {}, format="json").status_code == 403


def test_anonymous_callers_get_nothing(api_client, inspection_a):
    assert api_client.get(INSPECTIONS).status_code in (401, 403)
    assert api_client.get(TYPES).status_code in (401, 403)
