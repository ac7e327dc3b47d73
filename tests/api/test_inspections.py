"""An inspection with its listed instruments, created and edited in one request through inspection_save."""

from __future__ import annotations

import pytest

from inspections.models import InspectedInstrument, InspectionRecord
from records.models import ReviewStatus
from tests.inspections.factories import InstrumentFactory, instrument_type
from tests.instruments.factories import RegisteredInstrumentFactory

INSPECTIONS = "/api/v1/inspections/"


@pytest.fixture
def payload(campaign, gas_station):
    scale = instrument_type("price_scale")
    return {
        "domain": "scales",
        "inspected_party": gas_station.pk,
        "date": "2025-05-21",
        "inspectors": "张三、李四",
        "staff_turnout": 2,
        "fair_scale_present": True,
        "instruments_registered": True,
        "instruments": [
            {
                "instrument_type": scale.pk,
                "serial_no": "SC-001",
                "certificate_no": "JD2025-001",
                "verified_on": "2025-04-20",
                "valid_until": "2026-04-19",
                "verifying_body": "巫山检测所",
                "result": "passed",
            },
            {
                "instrument_type": scale.pk,
                "serial_no": "SC-002",
                "certificate_no": "JD2024-002",
                "verified_on": "2024-04-01",
                "valid_until": "2025-03-31",
                "verifying_body": "巫山检测所",
                "result": "passed",
            },
        ],
    }


def test_an_office_creates_an_inspection_with_its_instruments_in_one_request(api_client, office_a, payload):
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    record = InspectionRecord.objects.get(pk=body["id"])
    assert record.unit == office_a.unit
    assert sorted(record.instruments.values_list("serial_no", flat=True)) == ["SC-001", "SC-002"]
    # The status is computed from the dates: the second one's verification ran out before the visit.
    statuses = {row["serial_no"]: row["verification_status"] for row in body["instruments"]}
    assert statuses == {"SC-001": "valid", "SC-002": "overdue"}
    assert (body["figures"]["instruments"], body["figures"]["overdue"], body["figures"]["passing"]) == (
        2,
        1,
        1,
    )


def test_a_bad_instrument_row_refuses_the_whole_inspection(api_client, office_a, payload):
    payload["instruments"][1]["valid_until"] = "2024-01-01"  # before it was verified
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 400
    assert "第 2 台器具" in str(response.json())
    assert not InspectionRecord.objects.exists()
    assert not InspectedInstrument.objects.exists()


def test_an_unknown_instrument_type_is_a_field_error(api_client, office_a, payload):
    payload["instruments"][0]["instrument_type"] = 999999
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 400
    # Row errors are keyed by the row's index.
    assert "instrument_type" in response.json()["instruments"]["0"]
    assert not InspectionRecord.objects.exists()


def test_an_edit_with_instruments_replaces_them_and_without_keeps_them(api_client, office_a, inspection_a):
    InstrumentFactory(inspection=inspection_a, serial_no="OLD-1")
    api_client.force_authenticate(office_a)
    url = f"{INSPECTIONS}{inspection_a.pk}/"

    kept = api_client.patch(url, {"inspectors": "王五"}, format="json")
    assert kept.status_code == 200, kept.json()
    assert [row["serial_no"] for row in kept.json()["instruments"]] == ["OLD-1"]

    new_row = {
        "instrument_type": instrument_type("price_scale").pk,
        "serial_no": "NEW-1",
        "verified_on": "2025-04-20",
        "valid_until": "2026-04-19",
        "result": "passed",
    }
    replaced = api_client.patch(url, {"instruments": [new_row]}, format="json")
    assert replaced.status_code == 200, replaced.json()
    assert list(inspection_a.instruments.values_list("serial_no", flat=True)) == ["NEW-1"]


def test_instruments_are_written_under_the_same_rules_as_the_header(
    api_client, office_b, leader, office_a, inspection_a, payload
):
    InstrumentFactory(inspection=inspection_a, serial_no="OLD-1")
    url = f"{INSPECTIONS}{inspection_a.pk}/"
    rows = {"instruments": payload["instruments"]}

    api_client.force_authenticate(office_b)
    assert api_client.patch(url, rows, format="json").status_code == 404
    api_client.force_authenticate(leader)
    assert api_client.patch(url, rows, format="json").status_code == 403
    assert api_client.post(INSPECTIONS, payload, format="json").status_code == 403
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    api_client.force_authenticate(office_a)
    assert api_client.patch(url, rows, format="json").status_code == 409

    assert list(inspection_a.instruments.values_list("serial_no", flat=True)) == ["OLD-1"]
    assert InspectionRecord.objects.count() == 1


# --- The register line of a listed instrument (`registered`) ----------------------------------------


@pytest.fixture
def lines(unit_a, unit_b):
    return {
        "own": RegisteredInstrumentFactory(unit=unit_a),
        "other": RegisteredInstrumentFactory(unit=unit_b),
    }


def test_a_listed_instrument_names_its_register_line_in_scope(api_client, office_a, payload, lines):
    payload["instruments"][0]["registered"] = lines["own"].pk
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 201, response.json()
    rows = {row["serial_no"]: row["registered"] for row in response.json()["instruments"]}
    assert rows == {"SC-001": lines["own"].pk, "SC-002": None}
    assert InspectedInstrument.objects.get(serial_no="SC-001").registered == lines["own"]
    read = api_client.get(f"{INSPECTIONS}{response.json()['id']}/").json()
    assert read["instruments"][0]["registered"] == lines["own"].pk


@pytest.mark.parametrize("which", ["other", "missing"])
def test_a_register_line_out_of_scope_or_unknown_refuses_the_inspection(
    api_client, office_a, payload, lines, which
):
    payload["instruments"][1]["registered"] = lines["other"].pk if which == "other" else 999999
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 400
    assert "第 2 台器具：所选台账器具不存在或不在本单位的台账中" in str(response.json())
    assert not InspectionRecord.objects.exists()
    assert not InspectedInstrument.objects.exists()


def test_an_unknown_register_line_and_another_units_answer_alike(api_client, office_a, payload, lines):
    """One and the same single error either way: an office cannot tell another unit's ids from missing ones."""
    api_client.force_authenticate(office_a)
    answers = []
    for registered in (lines["other"].pk, 999999):
        payload["instruments"][1]["registered"] = registered
        response = api_client.post(INSPECTIONS, payload, format="json")
        assert response.status_code == 400
        answers.append(response.json())

    assert answers[0] == answers[1]
    assert answers[0] == {"__all__": ["第 2 台器具：所选台账器具不存在或不在本单位的台账中。"]}
    assert not InspectionRecord.objects.exists()


@pytest.mark.parametrize("bad", ["12", 0, True, 1.5])
def test_a_register_link_that_is_not_an_id_is_a_400(api_client, office_a, payload, bad):
    payload["instruments"][0]["registered"] = bad
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 400
    assert "registered" in str(response.json())
    assert not InspectionRecord.objects.exists()


def test_one_register_line_twice_in_one_inspection_is_refused(api_client, office_a, payload, lines):
    for row in payload["instruments"]:
        row["registered"] = lines["own"].pk
    api_client.force_authenticate(office_a)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 400
    assert "同一台器具" in str(response.json())
    assert not InspectionRecord.objects.exists()


def test_the_bureau_links_any_units_line(api_client, bureau_admin, payload, lines, unit_a):
    payload["instruments"][0]["registered"] = lines["other"].pk
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(INSPECTIONS, payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["instruments"][0]["registered"] == lines["other"].pk
