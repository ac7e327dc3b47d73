"""Volunteers in Chromium: an office registers an adult 计量科普义务宣传员 at its station; the list shows
the phone masked (the whole number never reaches the office's page, not even in the edit form), while
the bureau admin, who may see it, reads it whole. A 小小宣传员 without a guardian is refused in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from microstations.models import MicroStation
from tests.browser.stations import gaotang_station
from tests.factories import PASSWORD, UserFactory
from volunteers.models import Volunteer

PHONE = "13812345678"
MASKED = "138****5678"


@pytest.fixture
def station(transactional_db: None) -> MicroStation:
    return gaotang_station()


def open_form(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/workbench/volunteers/")
    page.get_by_role("button", name="登记宣传员").click()  # a link styled as a button
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "登记宣传员"


def test_an_office_adds_an_adult_volunteer_and_the_list_masks_the_phone(login, live_server, station):
    page = login("gaotang", PASSWORD)
    open_form(page, live_server)
    page.select_option("#id_station", str(station.pk))
    page.fill("#id_name", "张晓东")
    page.select_option("#id_kind", Volunteer.Kind.PUBLICIST)
    page.select_option("#id_group", Volunteer.Group.COURIER)
    page.select_option("#id_gender", Volunteer.Gender.MALE)
    page.fill("#id_phone", PHONE)
    page.fill("#id_work_unit", "巫山顺丰速运")
    page.fill("#id_recruited_on", "2025-05-10")
    page.fill("#id_certificate_no", "WSJL-2025-001")
    page.click("[data-testid=save-volunteer]")
    page.wait_for_load_state()

    assert "宣传员已登记。" in page.locator(".messages").inner_text()
    assert page.url == f"{live_server.url}/workbench/volunteers/"
    volunteer = Volunteer.objects.get()
    row = page.locator(f"tr[data-volunteer='{volunteer.pk}']")
    assert row.get_by_test_id("volunteer-phone").inner_text() == MASKED
    cells = row.locator("td").all_inner_texts()
    assert cells == [
        volunteer.number,
        "张晓东",
        "计量科普义务宣传员",
        "快递小哥",
        MASKED,
        station.name,
        "2025年5月10日",
        "是",
    ]
    assert PHONE not in page.content()
    assert "在岗 1 名：义务宣传员 1 名，小小宣传员 0 名" in page.locator("hgroup p").inner_text()

    assert (volunteer.phone, volunteer.station, volunteer.campaign) == (PHONE, station, station.campaign)
    assert (volunteer.kind, volunteer.group, volunteer.is_active) == (
        Volunteer.Kind.PUBLICIST,
        Volunteer.Group.COURIER,
        True,
    )
    assert volunteer.created_by.username == "gaotang"
    assert (volunteer.guardian_name, volunteer.guardian_consent) == ("", False)

    # The edit form does not hand the whole number to the office either.
    row.get_by_role("link", name="张晓东").click()
    page.wait_for_load_state()
    assert page.locator("#id_phone").input_value() == ""
    assert MASKED in page.locator("#id_phone").get_attribute("placeholder")
    assert PHONE not in page.content()
    assert page.console_errors == []


def test_the_bureau_admin_sees_the_whole_number(login, live_server, station):
    Volunteer.objects.create(
        campaign=station.campaign,
        station=station,
        name="张晓东",
        kind=Volunteer.Kind.PUBLICIST,
        group=Volunteer.Group.COURIER,
        phone=PHONE,
        recruited_on=dt.date(2025, 5, 10),
        created_by=UserFactory(username="gaotang"),
    )
    page = login("jianjianke", PASSWORD)
    page.goto(f"{live_server.url}/workbench/volunteers/")
    assert page.get_by_test_id("volunteer-phone").all_inner_texts() == [PHONE]
    assert page.console_errors == []


def test_a_junior_without_a_guardian_is_refused_in_chinese_and_nothing_is_saved(login, live_server, station):
    page = login("gaotang", PASSWORD)
    open_form(page, live_server)
    page.select_option("#id_station", str(station.pk))
    page.fill("#id_name", "李小米")
    page.select_option("#id_kind", Volunteer.Kind.JUNIOR)
    page.select_option("#id_group", Volunteer.Group.STUDENT)
    page.fill("#id_phone", PHONE)
    page.fill("#id_recruited_on", "2025-05-10")
    page.click("[data-testid=save-volunteer]")
    page.wait_for_load_state()

    errors = page.locator(".field-error").all_inner_texts()
    assert "小小宣传员须填写监护人姓名。" in errors
    assert "小小宣传员须取得监护人同意。" in errors
    assert page.locator("#id_name").input_value() == "李小米"
    assert Volunteer.objects.count() == 0
    assert page.console_errors == []
