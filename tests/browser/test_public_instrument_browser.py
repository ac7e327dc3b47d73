"""A registered instrument's scan page in Chromium at phone size (390×844), as a shopper who scanned
its label: the page fits the screen and shows the status as of today; the shopper files a problem, and
the supervising office's clerk finds it on the 舆情 desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from instruments.models import ProblemReport, RegisteredInstrument
from organizations.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import campaign_2025
from tests.opinion.factories import level

DESK = "/workbench/publicity/incidents/"


@pytest.fixture
def scale(transactional_db: None) -> RegisteredInstrument:
    campaign_2025()
    level("general")
    gaotang = UnitFactory(name="高唐市场监管所")
    UserFactory(username="gaotang", unit=gaotang, roles=[Role.OFFICE])
    return RegisteredInstrumentFactory(
        unit=gaotang,
        owner=EnterpriseFactory(name="巫山县平湖市场李记肉铺"),
        valid_until=timezone.localdate() + dt.timedelta(days=60),
    )


def test_shopper_reports_a_problem_from_a_label_and_the_office_sees_it(
    browser_page: Any, live_server: Any, login: Any, scale: RegisteredInstrument
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/i/{scale.code}/?src=qr")
    assert page.locator("h1").inner_text() == "电子计价秤"
    assert page.locator("[data-testid=instrument-owner]").inner_text() == "巫山县平湖市场李记肉铺"
    assert "合格有效" in page.locator("[data-testid=instrument-status]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    question = page.locator("[data-testid=challenge-question]").inner_text()
    first, second = (int(part) for part in question.split("=")[0].split("+"))
    page.fill("#id_text", "这台秤称一斤猪肉少了一两，铅封好像也被拆过。")
    page.fill("#id_answer", str(first + second))
    page.click("[data-testid=problem-submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "问题已提交"
    assert page.console_errors == []
    assert ProblemReport.objects.get().instrument == scale

    login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{DESK}")
    titles = page.locator("[data-incident] h3 a").all_inner_texts()
    assert len(titles) == 1
    assert "巫山县平湖市场李记肉铺" in titles[0]
    assert scale.code in titles[0]
    page.locator("[data-incident] h3 a").click()
    page.wait_for_load_state()
    assert "铅封好像也被拆过" in page.locator("main").inner_text()
