"""/api/v1/volunteers/: scoping, masked phones, guardian rules through the service."""

from __future__ import annotations

import pytest

from tests.microstations.factories import VolunteerFactory
from volunteers.models import Volunteer

URL = "/api/v1/volunteers/"


def payload(station, **overrides):
    return {
        "station": station.pk,
        "name": "陈国庆",
        "kind": Volunteer.Kind.PUBLICIST,
        "group": Volunteer.Group.COURIER,
        "gender": Volunteer.Gender.MALE,
        "phone": "13800000011",
        "work_unit": "巫山县城区快递网点",
        "recruited_on": "2025-05-13",
        "certificate_no": "",
        "is_active": True,
        **overrides,
    }


def rows(response) -> dict[int, dict]:
    return {row["id"]: row for row in response.json()["results"]}


@pytest.fixture
def junior_a(station_a) -> Volunteer:
    return VolunteerFactory(station=station_a, junior=True, phone="13800000001", guardian_phone="13900000001")


@pytest.fixture
def volunteer_b(station_b) -> Volunteer:
    return VolunteerFactory(station=station_b, phone="13800000002")


def test_office_lists_only_its_stations_volunteers_with_masked_phones(
    api_client, office_a, junior_a, volunteer_b
):
    api_client.force_authenticate(office_a)

    response = api_client.get(URL)

    assert response.status_code == 200
    listed = rows(response)
    assert set(listed) == {junior_a.pk}
    assert listed[junior_a.pk]["phone"] == "138****0001"
    assert listed[junior_a.pk]["guardian_phone"] == "139****0001"


def test_leader_lists_every_volunteer_with_masked_phones(api_client, leader, junior_a, volunteer_b):
    api_client.force_authenticate(leader)

    listed = rows(api_client.get(URL))

    assert set(listed) == {junior_a.pk, volunteer_b.pk}
    assert listed[volunteer_b.pk]["phone"] == "138****0002"
    assert "13800000002" not in str(listed)


def test_bureau_admin_sees_phones_whole(api_client, bureau_admin, junior_a, volunteer_b):
    api_client.force_authenticate(bureau_admin)

    listed = rows(api_client.get(URL))

    assert listed[junior_a.pk]["phone"] == "13800000001"
    assert listed[junior_a.pk]["guardian_phone"] == "13900000001"
    assert listed[volunteer_b.pk]["guardian_phone"] == ""


def test_another_units_volunteer_is_404(api_client, office_a, volunteer_b):
    api_client.force_authenticate(office_a)

    assert api_client.get(f"{URL}{volunteer_b.pk}/").status_code == 404
    assert api_client.patch(f"{URL}{volunteer_b.pk}/", {"name": "被改了"}, format="json").status_code == 404
    assert Volunteer.objects.get(pk=volunteer_b.pk).name != "被改了"


def test_the_api_filters_by_kind(api_client, leader, junior_a, volunteer_b):
    api_client.force_authenticate(leader)

    assert set(rows(api_client.get(URL, {"kind": "junior"}))) == {junior_a.pk}


def test_office_registers_a_volunteer_through_the_api(api_client, office_a, station_a, campaign):
    api_client.force_authenticate(office_a)

    response = api_client.post(URL, payload(station_a), format="json")

    assert response.status_code == 201
    volunteer = Volunteer.objects.get()
    assert (volunteer.campaign, volunteer.created_by) == (campaign, office_a)
    assert response.json()["phone"] == "138****0011"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"guardian_name": ""}, "小小宣传员须填写监护人姓名。"),
        ({"guardian_phone": ""}, "小小宣传员须填写监护人电话。"),
        ({"guardian_consent": False}, "小小宣传员须取得监护人同意。"),
    ],
)
def test_a_junior_without_a_guardian_item_is_refused_by_the_api(
    api_client, office_a, station_a, missing, message
):
    api_client.force_authenticate(office_a)
    data = payload(
        station_a,
        kind=Volunteer.Kind.JUNIOR,
        group=Volunteer.Group.STUDENT,
        guardian_name="王芳",
        guardian_phone="13900000002",
        guardian_consent=True,
    )
    data.update(missing)

    response = api_client.post(URL, data, format="json")

    assert response.status_code == 400
    field = next(iter(missing))
    assert response.json() == {field: [message]}
    assert not Volunteer.objects.exists()


def test_a_malformed_phone_is_refused_by_the_api(api_client, office_a, station_a):
    api_client.force_authenticate(office_a)

    response = api_client.post(URL, payload(station_a, phone="12345"), format="json")

    assert response.status_code == 400
    assert response.json()["phone"] == ["请输入有效的手机号（11位）或座机号（如 023-57681234）。"]
    assert not Volunteer.objects.exists()


def test_a_duplicate_certificate_number_is_refused_by_the_api(api_client, office_a, station_a, volunteer_b):
    volunteer_b.certificate_no = "WSJL-XC-2025009"
    volunteer_b.save()
    api_client.force_authenticate(office_a)

    response = api_client.post(URL, payload(station_a, certificate_no="WSJL-XC-2025009"), format="json")

    assert response.status_code == 400
    # DRF checks the unique constraint itself, on the field, before the service sees the data.
    assert response.json() == {"certificate_no": ["具有 聘书编号 的 宣传员 已存在。"]}
    assert Volunteer.objects.count() == 1


def test_registering_at_another_units_station_is_refused(api_client, office_a, station_b):
    api_client.force_authenticate(office_a)

    response = api_client.post(URL, payload(station_b), format="json")

    assert response.status_code == 400
    assert "station" in response.json()
    assert not Volunteer.objects.exists()


def test_leader_cannot_write_through_the_api(api_client, leader, station_a, junior_a):
    api_client.force_authenticate(leader)

    assert api_client.post(URL, payload(station_a), format="json").status_code == 403
    assert api_client.patch(f"{URL}{junior_a.pk}/", {"name": "被改了"}, format="json").status_code == 403
    assert Volunteer.objects.count() == 1


def test_patching_without_a_phone_keeps_the_stored_number(api_client, office_a, junior_a):
    api_client.force_authenticate(office_a)

    response = api_client.patch(f"{URL}{junior_a.pk}/", {"work_unit": "巫山县第二小学"}, format="json")

    assert response.status_code == 200
    stored = Volunteer.objects.get(pk=junior_a.pk)
    assert (stored.work_unit, stored.phone) == ("巫山县第二小学", "13800000001")
