"""The instrument register on a phone (390×844): an office filters its register, registers a line from
an owner's link (a bad quantity answers in Chinese and saves nothing), and reads its code on its page."""

from __future__ import annotations

from typing import Any

import pytest

from instruments.models import RegisteredInstrument
from organizations.models import Unit
from organizations.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory
from tests.instruments.factories import RegisteredInstrumentFactory


@pytest.fixture
def clerk(transactional_db: None) -> Any:
    unit = UnitFactory(name="高唐市场监管所", kind=Unit.Kind.OFFICE)
    clerk = UserFactory(username="gaotang", unit=unit, roles=[Role.OFFICE])
    RegisteredInstrumentFactory(
        unit=unit, created_by=clerk, owner__name="巫山县王记水果店", name="电子计价秤"
    )
    RegisteredInstrumentFactory(unit=unit, created_by=clerk, owner__name="巫山县福泰加油站", name="台秤")
    return clerk


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_an_office_filters_registers_and_reads_a_code_on_a_phone(live_server, login, clerk):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}/workbench/instruments/")
    assert page.locator("tbody tr[data-instrument]").count() == 2
    page.locator("details.filters summary").click()
    page.fill("input[name=q]", "王记")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr[data-instrument]").count() == 1
    assert fits_the_phone(page)

    owner = EnterpriseFactory(name="巫山县李记杂货店")
    page.goto(f"{live_server.url}/workbench/instruments/new/?owner={owner.pk}")
    page.fill("#id_name", "电子计价秤")
    page.fill("#id_location", "平湖市场 7 号摊位")
    page.select_option("#id_instrument_type", label="电子计价秤")
    page.fill("#id_quantity", "0")
    page.click("[data-testid=save-instrument]")
    page.wait_for_load_state()
    assert page.get_by_text("数量至少为 1。").first.is_visible()
    assert not RegisteredInstrument.objects.filter(owner=owner).exists()
    assert fits_the_phone(page)

    page.fill("#id_quantity", "1")
    page.click("[data-testid=save-instrument]")
    page.wait_for_load_state()
    line = RegisteredInstrument.objects.get(owner=owner)
    assert page.locator("[data-testid=instrument-code]").inner_text() == line.code
    assert fits_the_phone(page)
    assert page.console_errors == []
