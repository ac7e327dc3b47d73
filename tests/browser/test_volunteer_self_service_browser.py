"""Volunteer self-service in Chromium at phone size (issue 18): a volunteer opens their personal link
/v/<token>/ without logging in, logs a publicity act, sees it pending; the supervising office (not the
bureau) approves it from its own browser; the volunteer sees it approved and counted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from microstations.models import MicroStation
from organizations.models import User
from records.models import ReviewStatus
from tests.browser.stations import gaotang_station
from tests.factories import PASSWORD
from tests.microstations.factories import VolunteerFactory
from volunteers import services
from volunteers.models import Volunteer, VolunteerAct


@pytest.fixture
def station(transactional_db: None) -> MicroStation:
    return gaotang_station()


@pytest.fixture
def volunteer(station: MicroStation) -> Volunteer:
    return VolunteerFactory(station=station, name="张晓红", created_by=User.objects.get(username="gaotang"))


@pytest.fixture
def office_page(chromium: Any, live_server: Any, station: MicroStation) -> Iterator[Any]:
    """The supervising office's clerk (made with the station), logged in in a browser context of its own."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "gaotang")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    yield page
    context.close()


def test_a_volunteer_logs_an_act_and_the_supervising_office_approves_it(
    browser_page: Any, office_page: Any, live_server: Any, volunteer: Volunteer
) -> None:
    _link, token = services.volunteer_link_issue(
        actor=User.objects.get(username="gaotang"), volunteer=volunteer
    )
    page = browser_page
    page.goto(f"{live_server.url}/v/{token}/")
    assert page.locator("h1").inner_text() == "张晓红的宣传记录"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    page.fill("#id_date", "2025-05-20")
    page.fill("#id_place", "高唐供电营业厅门口")
    page.fill("#id_description", "向排队缴费的居民讲解电能表读数和电费核对方法")
    page.fill("#id_people_reached", "40")
    page.fill("#id_hours", "2.5")
    page.click("[data-testid=log-act]")
    page.wait_for_load_state()

    assert "宣传记录已提交，等待市场监管所审核。" in page.locator(".message-success").inner_text()
    act = VolunteerAct.objects.get()
    assert act.review_status == ReviewStatus.SUBMITTED
    entry = page.locator(f"[data-act='{act.pk}']")
    assert "已提交" in entry.locator(".badge").inner_text()
    totals = page.get_by_test_id("totals").inner_text()
    assert "0 次" in totals  # only approved acts count

    # The supervising office opens the act and approves it.
    office_page.goto(f"{live_server.url}{act.get_absolute_url()}")
    office_page.get_by_test_id("approve-record").click()
    office_page.wait_for_load_state()
    assert "已审核通过" in office_page.locator(".messages").inner_text()
    act.refresh_from_db()
    assert act.review_status == ReviewStatus.APPROVED
    assert act.reviewed_by.username == "gaotang"
    assert office_page.console_errors == []

    page.reload()
    assert "已通过" in page.locator(f"[data-act='{act.pk}'] .badge").inner_text()
    totals = page.get_by_test_id("totals").inner_text()
    assert "1 次" in totals
    assert "2.5 小时" in totals
    assert page.console_errors == []
