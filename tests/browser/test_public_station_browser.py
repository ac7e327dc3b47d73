"""A station's public page in Chromium at phone size (390×844), as a visitor who scanned its QR code:
the page fits the screen, answers the challenge, sends a complaint, and the supervising office's
clerk finds it on the 舆情 desk."""

from __future__ import annotations

from typing import Any

import pytest

from microstations.models import MicroStation, StationReach
from opinion.models import OpinionIncident
from organizations.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.microstations.factories import MicroStationFactory
from tests.opinion.factories import level

LIST = "/workbench/publicity/incidents/"


@pytest.fixture
def station(transactional_db: None) -> MicroStation:
    level("general")
    gaotang = UnitFactory(name="高唐市场监管所")
    UserFactory(username="gaotang", unit=gaotang, roles=[Role.OFFICE])
    return MicroStationFactory(
        opened=True,
        supervising_unit=gaotang,
        name="民生计量科普宣传服务微站（平湖市场）",
        plaque_no="WS-JL-003",
        host_name="平湖农贸市场",
        station_type=MicroStation.StationType.MARKET,
        opening_hours="每天 7:00-18:00",
        fair_scale_location="市场管理处门口",
    )


def test_visitor_sends_a_complaint_from_the_phone_and_the_office_sees_it(
    browser_page: Any, live_server: Any, login: Any, station: MicroStation
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/s/{station.plaque_no}/?src=qr")
    assert page.locator("h1").inner_text() == "民生计量科普宣传服务微站（平湖市场）"
    assert page.get_by_text("手机变砝码").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    question = page.locator("[data-testid=challenge-question]").inner_text()
    first, second = (int(part) for part in question.split("=")[0].split("+"))
    page.get_by_label("投诉举报").check()
    page.select_option("#id_domain", OpinionIncident.Domain.SCALES)
    page.fill("#id_text", "平湖市场 12 号摊位的电子秤称一斤少了二两，希望来查一查。")
    page.fill("#id_answer", str(first + second))
    page.click("[data-testid=feedback-submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "反馈已提交"
    assert page.console_errors == []

    login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{LIST}")
    titles = page.locator("[data-incident] h3 a").all_inner_texts()
    assert titles == ["群众投诉：民生计量科普宣传服务微站（平湖市场）"]
    page.locator("[data-incident] h3 a").click()
    page.wait_for_load_state()
    assert "希望来查一查" in page.locator("main").inner_text()
    reach = StationReach.objects.get(station=station)
    assert (reach.scans, reach.submissions) == (1, 1)
