"""A micro-station's construction stage in Chromium: the bureau admin advances a planned station on its
detail page; 已揭牌运行 needs an opening date (refused in Chinese without one); a stage never goes back.
The supervising office reads the page but gets no stage form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from microstations.models import MicroStation
from tests.browser.stations import gaotang_station
from tests.factories import PASSWORD

Stage = MicroStation.Stage


@pytest.fixture
def station(transactional_db: None) -> MicroStation:
    return gaotang_station(
        name="民生计量科普宣传服务微站（巫峡镇农贸市场）",
        host_name="巫峡镇农贸市场",
        station_type=MicroStation.StationType.MARKET,
        address="巫山县巫峡镇",
        township="巫峡镇",
        contact_name="陈主任",
        contact_phone="023-57600000",
        stage=Stage.PLANNED,
        opened_on=None,
    )


def set_stage(page: Any, stage: str, opened_on: str = "") -> None:
    form = page.locator("form.stage-form")
    form.get_by_label("建设进度").select_option(stage)
    form.get_by_label("揭牌日期").fill(opened_on)
    form.get_by_role("button", name="更新建设进度").click()
    page.wait_for_load_state()


def stage_badge(page: Any) -> str:
    return page.locator("[data-testid=station-stage]").inner_text()


def test_the_bureau_advances_the_stage_and_the_opening_needs_a_date(login, live_server, station):
    page = login("jianjianke", PASSWORD)
    page.goto(f"{live_server.url}{station.get_absolute_url()}")
    assert stage_badge(page) == "规划"

    set_stage(page, Stage.BUILDER_CONFIRMED)
    assert "建设进度已更新。" in page.locator(".messages").inner_text()
    assert stage_badge(page) == Stage.BUILDER_CONFIRMED.label
    station.refresh_from_db()
    assert (station.stage, station.opened_on) == (Stage.BUILDER_CONFIRMED, None)

    # Opened without a date: refused in Chinese, nothing changes.
    set_stage(page, Stage.OPENED)
    assert "已揭牌运行的微站必须填写揭牌日期。" in page.locator(".message-error").inner_text()
    assert stage_badge(page) == Stage.BUILDER_CONFIRMED.label
    station.refresh_from_db()
    assert (station.stage, station.opened_on) == (Stage.BUILDER_CONFIRMED, None)

    set_stage(page, Stage.OPENED, "2025-05-20")
    assert "建设进度已更新。" in page.locator(".messages").inner_text()
    assert stage_badge(page) == "已揭牌运行"
    assert page.locator("dl.facts dd", has_text="2025年5月20日").count() == 1
    station.refresh_from_db()
    assert (station.stage, station.opened_on) == (Stage.OPENED, dt.date(2025, 5, 20))
    latest = station.history.first()
    assert (latest.stage, latest.history_user.username) == (Stage.OPENED, "jianjianke")

    # Never back.
    set_stage(page, Stage.PLANNED)
    assert "不能退回" in page.locator(".message-error").inner_text()
    station.refresh_from_db()
    assert station.stage == Stage.OPENED
    assert page.console_errors == []


def test_an_opening_date_in_the_future_is_refused(login, live_server, station):
    page = login("jianjianke", PASSWORD)
    page.goto(f"{live_server.url}{station.get_absolute_url()}")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    set_stage(page, Stage.OPENED, tomorrow.isoformat())
    assert "揭牌日期不能晚于今天。" in page.locator(".message-error").inner_text()
    station.refresh_from_db()
    assert (station.stage, station.opened_on) == (Stage.PLANNED, None)
    assert page.console_errors == []


def test_the_office_reads_the_station_without_a_stage_form(login, live_server, station):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{station.get_absolute_url()}")
    assert page.locator("h1").inner_text() == station.name
    assert stage_badge(page) == "规划"
    assert page.locator("form.stage-form").count() == 0
    assert page.console_errors == []
