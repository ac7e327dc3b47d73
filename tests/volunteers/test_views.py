"""The volunteer pages: three actors, guardian rules, masked phones and the phone-keeping edit form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.microstations.factories import VolunteerFactory
from volunteers.models import Volunteer

LIST = "/workbench/volunteers/"
CREATE = "/workbench/volunteers/new/"


def edit_url(volunteer: Volunteer) -> str:
    return f"/workbench/volunteers/{volunteer.pk}/"


def form_data(station, **overrides):
    return {
        "station": station.pk,
        "name": "冉小兵",
        "kind": Volunteer.Kind.PUBLICIST,
        "group": Volunteer.Group.FOOD_DELIVERY,
        "gender": Volunteer.Gender.MALE,
        "phone": "13800000009",
        "work_unit": "巫山县城区外卖站点",
        "recruited_on": "2025-05-12",
        "certificate_no": "",
        "is_active": "on",
        "guardian_name": "",
        "guardian_phone": "",
        **overrides,
    }


def junior_form_data(station, **overrides):
    return form_data(
        station,
        **{
            "name": "王子涵",
            "kind": Volunteer.Kind.JUNIOR,
            "group": Volunteer.Group.STUDENT,
            "guardian_name": "王芳",
            "guardian_phone": "13900000002",
            "guardian_consent": "on",
            **overrides,
        },
    )


def listed(response) -> list[Volunteer]:
    return list(response.context["paginator"].object_list)


@pytest.fixture
def volunteer_a(station_a) -> Volunteer:
    return VolunteerFactory(station=station_a, name="谭明华", phone="13800000001")


@pytest.fixture
def volunteer_b(station_b) -> Volunteer:
    return VolunteerFactory(station=station_b, name="向德军", phone="13800000002")


def test_reverse_names_match_the_paths_the_tests_use(volunteer_a):
    assert reverse("volunteers:volunteer_list") == LIST
    assert reverse("volunteers:volunteer_create") == CREATE
    assert reverse("volunteers:volunteer_edit", args=[volunteer_a.pk]) == edit_url(volunteer_a)


# --- who sees what --------------------------------------------------------------------------------


def test_office_lists_only_the_volunteers_of_its_stations_with_masked_phones(
    client, office_a, volunteer_a, volunteer_b
):
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [volunteer_a]
    html = response.content.decode()
    assert "谭明华" in html
    assert "向德军" not in html
    assert "138****0001" in html
    assert "13800000001" not in html
    assert f'href="{edit_url(volunteer_a)}"' in html


def test_leader_lists_every_volunteer_with_masked_phones_and_no_edit_links(
    client, leader, volunteer_a, volunteer_b
):
    client.force_login(leader)

    response = client.get(LIST)

    assert set(listed(response)) == {volunteer_a, volunteer_b}
    html = response.content.decode()
    assert "138****0001" in html
    assert "138****0002" in html
    assert "13800000001" not in html
    assert "13800000002" not in html
    assert f'href="{edit_url(volunteer_a)}"' not in html
    assert f'href="{CREATE}"' not in html


def test_bureau_admin_lists_every_volunteer_with_whole_phones(client, bureau_admin, volunteer_a, volunteer_b):
    client.force_login(bureau_admin)

    html = client.get(LIST).content.decode()

    assert "13800000001" in html
    assert "13800000002" in html


def test_the_list_counts_active_volunteers_by_kind(client, office_a, station_a, volunteer_a):
    VolunteerFactory(station=station_a, junior=True)
    VolunteerFactory(station=station_a, is_active=False)
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.context["counts"] == {"active": 2, "publicists": 1, "juniors": 1}
    assert "在岗 2 名：义务宣传员 1 名，小小宣传员 1 名" in response.content.decode()


def test_the_list_filters_by_kind_activity_and_search(client, office_a, station_a, volunteer_a):
    junior = VolunteerFactory(station=station_a, junior=True, name="李思琪")
    retired = VolunteerFactory(station=station_a, is_active=False, name="周敏")
    client.force_login(office_a)

    assert listed(client.get(LIST, {"kind": Volunteer.Kind.JUNIOR})) == [junior]
    assert listed(client.get(LIST, {"is_active": "false"})) == [retired]
    assert listed(client.get(LIST, {"q": "谭明"})) == [volunteer_a]
    assert set(listed(client.get(LIST, {"station": station_a.pk, "is_active": "true"}))) == {
        volunteer_a,
        junior,
    }


def test_another_units_office_gets_404_on_the_edit_page(client, office_b, volunteer_a):
    client.force_login(office_b)

    assert client.get(edit_url(volunteer_a)).status_code == 404
    response = client.post(edit_url(volunteer_a), form_data(volunteer_a.station, name="被改了"))
    assert response.status_code == 404
    assert Volunteer.objects.get(pk=volunteer_a.pk).name == "谭明华"


def test_leader_gets_403_on_registering_and_editing(client, leader, station_a, volunteer_a):
    client.force_login(leader)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(station_a)).status_code == 403
    assert client.get(edit_url(volunteer_a)).status_code == 403
    assert client.post(edit_url(volunteer_a), form_data(station_a, name="被改了")).status_code == 403
    assert list(Volunteer.objects.values_list("name", flat=True)) == ["谭明华"]


def test_anonymous_visitors_are_sent_to_log_in(client, volunteer_a):
    for url in (LIST, CREATE, edit_url(volunteer_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# --- registering ----------------------------------------------------------------------------------


def test_office_registers_an_adult_volunteer(client, office_a, station_a):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "宣传员已登记。" in [str(m) for m in response.context["messages"]]
    volunteer = Volunteer.objects.get()
    assert (volunteer.name, volunteer.station, volunteer.created_by) == ("冉小兵", station_a, office_a)


def test_a_double_submit_registers_one_volunteer(client, office_a, station_a):
    client.force_login(office_a)
    data = form_data(station_a, submission_key="render-1")

    client.post(CREATE, data)
    response = client.post(CREATE, data, follow=True)

    assert Volunteer.objects.count() == 1
    assert "该表单已提交过，未重复保存。" in [str(m) for m in response.context["messages"]]
    client.post(CREATE, form_data(station_a, submission_key="render-2", name="冉小红"))
    assert Volunteer.objects.count() == 2


def test_office_registers_a_junior_with_guardian_consent(client, office_a, station_a):
    client.force_login(office_a)

    response = client.post(CREATE, junior_form_data(station_a))

    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.kind, volunteer.guardian_name, volunteer.guardian_consent) == (
        Volunteer.Kind.JUNIOR,
        "王芳",
        True,
    )


@pytest.mark.parametrize(
    ("missing", "field", "message"),
    [
        ({"guardian_name": ""}, "guardian_name", "小小宣传员须填写监护人姓名。"),
        ({"guardian_phone": ""}, "guardian_phone", "小小宣传员须填写监护人电话。"),
        ({"guardian_consent": ""}, "guardian_consent", "小小宣传员须取得监护人同意。"),
    ],
)
def test_a_junior_without_a_guardian_item_is_rejected_and_nothing_saved(
    client, office_a, station_a, missing, field, message
):
    client.force_login(office_a)
    data = junior_form_data(station_a)
    data.update(missing)
    if field == "guardian_consent":
        del data["guardian_consent"]  # an unticked checkbox is not sent at all

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Volunteer.objects.exists()


def test_an_adults_guardian_fields_are_dropped(client, office_a, station_a):
    client.force_login(office_a)

    client.post(
        CREATE,
        form_data(station_a, guardian_name="某某", guardian_phone="13900000003", guardian_consent="on"),
    )

    volunteer = Volunteer.objects.get()
    assert (volunteer.guardian_name, volunteer.guardian_phone, volunteer.guardian_consent) == ("", "", False)


def test_a_malformed_phone_is_rejected(client, office_a, station_a):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a, phone="1380000"))

    assert response.context["form"].errors["phone"] == [
        "请输入有效的手机号（11位）或座机号（如 023-57681234）。"
    ]
    assert not Volunteer.objects.exists()


def test_another_units_station_is_an_invalid_choice(client, office_a, station_b):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_b))

    assert any("选择一个有效的选项" in e for e in response.context["form"].errors["station"])
    assert not Volunteer.objects.exists()


def test_a_duplicate_certificate_number_is_rejected(client, office_a, station_a, volunteer_b):
    volunteer_b.certificate_no = "WSJL-XC-2025001"
    volunteer_b.save()
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a, certificate_no="WSJL-XC-2025001"))

    assert response.status_code == 200
    assert "聘书编号已被其他宣传员使用。" in response.content.decode()
    assert Volunteer.objects.count() == 1


# --- editing: the office never receives a whole phone number --------------------------------------


def test_the_office_edit_form_never_contains_the_whole_phone(client, office_a, station_a):
    junior = VolunteerFactory(
        station=station_a, junior=True, phone="13800000005", guardian_phone="13900000006"
    )
    client.force_login(office_a)

    html = client.get(edit_url(junior)).content.decode()

    assert "13800000005" not in html
    assert "13900000006" not in html
    assert "138****0005（留空则不修改）" in html
    assert "139****0006（留空则不修改）" in html


def test_leaving_the_phones_empty_keeps_the_stored_numbers(client, office_a, station_a):
    junior = VolunteerFactory(
        station=station_a, junior=True, name="李思琪", phone="13800000005", guardian_phone="13900000006"
    )
    client.force_login(office_a)

    response = client.post(
        edit_url(junior),
        junior_form_data(station_a, name="李思琪", work_unit="巫山县第二小学", phone="", guardian_phone=""),
    )

    assert response.status_code == 302
    stored = Volunteer.objects.get(pk=junior.pk)
    assert (stored.work_unit, stored.phone, stored.guardian_phone) == (
        "巫山县第二小学",
        "13800000005",
        "13900000006",
    )


def test_typing_a_new_phone_replaces_the_stored_number(client, office_a, volunteer_a):
    client.force_login(office_a)

    client.post(edit_url(volunteer_a), form_data(volunteer_a.station, name="谭明华", phone="13700000007"))

    assert Volunteer.objects.get(pk=volunteer_a.pk).phone == "13700000007"


def test_a_malformed_new_phone_is_rejected_on_edit_and_the_old_number_kept(client, office_a, volunteer_a):
    client.force_login(office_a)

    response = client.post(edit_url(volunteer_a), form_data(volunteer_a.station, name="谭明华", phone="123"))

    assert "phone" in response.context["form"].errors
    assert "13800000001" not in response.content.decode()
    assert Volunteer.objects.get(pk=volunteer_a.pk).phone == "13800000001"


def test_the_bureau_admin_edit_form_shows_the_whole_phone(client, bureau_admin, volunteer_a):
    client.force_login(bureau_admin)

    html = client.get(edit_url(volunteer_a)).content.decode()

    assert 'value="13800000001"' in html


def test_editing_keeps_the_guardian_rules(client, office_a, station_a):
    junior = VolunteerFactory(station=station_a, junior=True, name="李思琪")
    client.force_login(office_a)

    data = junior_form_data(station_a, name="李思琪", phone="", guardian_phone="")
    del data["guardian_consent"]
    response = client.post(edit_url(junior), data)

    assert response.context["form"].errors["guardian_consent"] == ["小小宣传员须取得监护人同意。"]
    assert Volunteer.objects.get(pk=junior.pk).guardian_consent is True
