"""volunteers.services: guardian rules for 小小宣传员, minimal data for adults, phone and number checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from organizations.privacy import mask_phone, phone_for
from tests.microstations.factories import MicroStationFactory, VolunteerFactory
from volunteers import services
from volunteers.models import Volunteer

Kind, Group = Volunteer.Kind, Volunteer.Group

GUARDIAN = {"guardian_name": "李建国", "guardian_phone": "13900000001", "guardian_consent": True}


def volunteer_data(**overrides):
    return {
        "name": "谭明华",
        "kind": Kind.PUBLICIST,
        "group": Group.RESIDENTS_COMMITTEE,
        "gender": Volunteer.Gender.FEMALE,
        "phone": "13800000001",
        "work_unit": "高唐街道南陵社区居委会",
        "recruited_on": dt.date(2025, 5, 10),
        "certificate_no": "",
        "is_active": True,
        **overrides,
    }


def junior_data(**overrides):
    return volunteer_data(
        name="李思琪",
        kind=Kind.JUNIOR,
        group=Group.STUDENT,
        work_unit="巫山县实验小学",
        **{**GUARDIAN, **overrides},
    )


def test_a_volunteer_takes_the_campaign_of_its_station(station_a, office_a, campaign):
    volunteer = services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data())

    stored = Volunteer.objects.get(pk=volunteer.pk)
    assert (stored.campaign, stored.station, stored.created_by) == (campaign, station_a, office_a)
    assert stored.history.get().history_user == office_a


def test_a_junior_with_guardian_name_phone_and_consent_is_registered(station_a, office_a):
    volunteer = services.volunteer_create(actor=office_a, station=station_a, data=junior_data())

    stored = Volunteer.objects.get(pk=volunteer.pk)
    assert (stored.kind, stored.guardian_name, stored.guardian_phone, stored.guardian_consent) == (
        Kind.JUNIOR,
        "李建国",
        "13900000001",
        True,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"guardian_name": ""}, "小小宣传员须填写监护人姓名。"),
        ({"guardian_phone": ""}, "小小宣传员须填写监护人电话。"),
        ({"guardian_consent": False}, "小小宣传员须取得监护人同意。"),
    ],
)
def test_a_junior_missing_a_guardian_item_is_rejected_naming_it(station_a, office_a, missing, message):
    field = next(iter(missing))

    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(actor=office_a, station=station_a, data=junior_data(**missing))

    assert excinfo.value.message_dict == {field: [message]}
    assert not Volunteer.objects.exists()


def test_a_junior_with_no_guardian_at_all_hears_about_every_item(station_a, office_a):
    data = junior_data(guardian_name="", guardian_phone="", guardian_consent=False)

    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(actor=office_a, station=station_a, data=data)

    assert excinfo.value.message_dict == {
        "guardian_name": ["小小宣传员须填写监护人姓名。"],
        "guardian_phone": ["小小宣传员须填写监护人电话。"],
        "guardian_consent": ["小小宣传员须取得监护人同意。"],
    }


def test_an_adults_guardian_data_is_not_kept(station_a, office_a):
    volunteer = services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data(**GUARDIAN))

    stored = Volunteer.objects.get(pk=volunteer.pk)
    assert (stored.guardian_name, stored.guardian_phone, stored.guardian_consent) == ("", "", False)


def test_turning_a_junior_into_an_adult_clears_the_guardian_data(station_a, office_a):
    volunteer = services.volunteer_create(actor=office_a, station=station_a, data=junior_data())

    services.volunteer_update(
        actor=office_a, volunteer=volunteer, data={"kind": Kind.PUBLICIST, "group": Group.OTHER}
    )

    stored = Volunteer.objects.get(pk=volunteer.pk)
    assert (stored.kind, stored.guardian_name, stored.guardian_phone) == (Kind.PUBLICIST, "", "")


def test_turning_an_adult_into_a_junior_requires_the_guardian(station_a, office_a):
    volunteer = VolunteerFactory(station=station_a)

    with pytest.raises(ValidationError, match="小小宣传员须取得监护人同意"):
        services.volunteer_update(actor=office_a, volunteer=volunteer, data={"kind": Kind.JUNIOR})

    assert Volunteer.objects.get(pk=volunteer.pk).kind == Kind.PUBLICIST


@pytest.mark.parametrize("phone", ["13800000001", "023-57681234", "02357681234"])
def test_mobile_and_landline_numbers_are_accepted(station_a, office_a, phone):
    volunteer = services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data(phone=phone))

    assert Volunteer.objects.get(pk=volunteer.pk).phone == phone


@pytest.mark.parametrize("phone", ["1380000000", "23800000001", "138-0000-0001", "电话", "12345"])
def test_malformed_phone_numbers_are_rejected(station_a, office_a, phone):
    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data(phone=phone))

    assert excinfo.value.message_dict["phone"] == ["请输入有效的手机号（11位）或座机号（如 023-57681234）。"]
    assert not Volunteer.objects.exists()


def test_a_malformed_guardian_phone_is_rejected(station_a, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(actor=office_a, station=station_a, data=junior_data(guardian_phone="110"))

    assert "guardian_phone" in excinfo.value.message_dict
    assert not Volunteer.objects.exists()


def test_a_recruitment_date_in_the_future_is_rejected(station_a, office_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(
            actor=office_a, station=station_a, data=volunteer_data(recruited_on=tomorrow)
        )

    assert excinfo.value.message_dict == {"recruited_on": ["招募日期不能晚于今天。"]}


def test_a_certificate_number_in_use_is_rejected_with_a_clear_message(station_a, office_a):
    VolunteerFactory(station=station_a, certificate_no="WSJL-XC-2025001")

    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(
            actor=office_a, station=station_a, data=volunteer_data(certificate_no="WSJL-XC-2025001")
        )

    assert excinfo.value.messages == ["聘书编号已被其他宣传员使用。"]
    assert Volunteer.objects.count() == 1


def test_many_volunteers_may_have_no_certificate_number_yet(station_a, office_a):
    services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data(phone="13800000001"))
    services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data(phone="13800000002"))

    assert Volunteer.objects.filter(certificate_no="").count() == 2


def test_the_database_refuses_a_junior_without_consent(station_a):
    volunteer = VolunteerFactory(station=station_a, junior=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.filter(pk=volunteer.pk).update(guardian_consent=False)


def test_the_database_refuses_a_duplicate_certificate_number(station_a):
    VolunteerFactory(station=station_a, certificate_no="WSJL-XC-2025001")

    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.bulk_create(
            [VolunteerFactory.build(station=station_a, certificate_no="WSJL-XC-2025001")]
        )


def test_updating_moves_a_volunteer_to_another_station(station_a, office_a, unit_a):
    volunteer = VolunteerFactory(station=station_a)
    other = MicroStationFactory(supervising_unit=unit_a, opened=True)

    services.volunteer_update(
        actor=office_a, volunteer=volunteer, data={"station": other, "is_active": False}
    )

    stored = Volunteer.objects.get(pk=volunteer.pk)
    assert (stored.station, stored.is_active) == (other, False)
    assert stored.history.first().history_user == office_a


# --- the gate: scope (404), permission (403), allow-list -------------------------------------------


def test_another_units_office_cannot_register_a_volunteer_at_a_station_it_does_not_supervise(
    station_a, office_b
):
    with pytest.raises(Http404):
        services.volunteer_create(actor=office_b, station=station_a, data=volunteer_data())

    assert not Volunteer.objects.exists()


def test_another_units_office_cannot_update_a_volunteer(station_a, office_b):
    volunteer = VolunteerFactory(station=station_a, name="谭明华")

    with pytest.raises(Http404):
        services.volunteer_update(actor=office_b, volunteer=volunteer, data={"name": "被改了"})

    assert Volunteer.objects.get(pk=volunteer.pk).name == "谭明华"


def test_leadership_cannot_register_or_update_volunteers(station_a, leader):
    volunteer = VolunteerFactory(station=station_a, name="谭明华")

    with pytest.raises(PermissionDenied):
        services.volunteer_create(actor=leader, station=station_a, data=volunteer_data())
    with pytest.raises(PermissionDenied):
        services.volunteer_update(actor=leader, volunteer=volunteer, data={"name": "被改了"})

    assert list(Volunteer.objects.values_list("name", flat=True)) == ["谭明华"]


def test_moving_a_volunteer_to_another_units_station_is_404(station_a, station_b, office_a):
    volunteer = VolunteerFactory(station=station_a)

    with pytest.raises(Http404):
        services.volunteer_update(actor=office_a, volunteer=volunteer, data={"station": station_b})

    assert Volunteer.objects.get(pk=volunteer.pk).station == station_a


@pytest.mark.parametrize("data", [{"campaign": 1}, {"created_by": 1}, {"id": 99}, {"pk": 99}])
def test_fields_outside_the_allow_list_are_refused(station_a, office_a, data):
    volunteer = VolunteerFactory(station=station_a, name="谭明华")

    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_update(actor=office_a, volunteer=volunteer, data={"name": "改名", **data})
    with pytest.raises(ValidationError):
        services.volunteer_create(actor=office_a, station=station_a, data=volunteer_data(**data))

    assert set(excinfo.value.message_dict) == set(data)
    assert list(Volunteer.objects.values_list("name", flat=True)) == ["谭明华"]


def test_the_bureau_registers_a_volunteer_at_any_units_station(station_b, bureau_admin):
    volunteer = services.volunteer_create(actor=bureau_admin, station=station_b, data=volunteer_data())

    assert Volunteer.objects.get(pk=volunteer.pk).station == station_b


def test_the_guardian_rules_are_the_models_whatever_the_door(station_a):
    junior = VolunteerFactory.build(station=station_a, junior=True, guardian_consent=False)

    with pytest.raises(ValidationError) as excinfo:
        junior.full_clean()

    assert excinfo.value.message_dict == {"guardian_consent": ["小小宣传员须取得监护人同意。"]}


# --- masking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800000001", "138****0001"),
        ("023-57681234", "023****1234"),
        ("02357681234", "023****1234"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_phone_keeps_only_the_prefix_and_the_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


def test_only_the_bureau_admin_sees_phone_numbers_whole(office_a, leader, bureau_admin):
    assert phone_for(office_a, "13800000001") == "138****0001"
    assert phone_for(leader, "13800000001") == "138****0001"
    assert phone_for(bureau_admin, "13800000001") == "13800000001"
