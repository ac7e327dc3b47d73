"""Instrument rows on a phone: "复制此行" and "按最后一行再添加 N 台" copy everything except each
instrument's own serial and certificate numbers, and the copies are saved as listed instruments."""

from __future__ import annotations

from inspections.models import InspectionRecord, InstrumentType
from tests.browser.test_inspection_browser import (  # noqa: F401 (gas_station: fixture)
    fill_nozzle,
    gas_station,
    pick_enterprise,
)
from tests.factories import PASSWORD


def test_office_adds_nozzles_like_the_first_and_copies_a_row(login, gas_station):  # noqa: F811
    nozzle_type = InstrumentType.objects.get(code="fuel_nozzle")
    page = login("longmen", PASSWORD)
    page.goto(page.url.replace("/workbench/", "/workbench/inspections/new/"))
    page.select_option("#id_domain", "fuel")
    pick_enterprise(page, "id_inspected_party", "龙门加油站", gas_station.name)
    page.fill("#id_date", "2025-05-21")
    page.fill("#id_inspectors", "王强、刘洋")
    page.fill("#id_staff_turnout", "2")
    page.fill("#id_dispensers", "2")
    page.fill("#id_nozzles", "4")
    fill_nozzle(page, 0, "1号机1枪", nozzle_type)

    page.fill("#add-many-count", "2")
    page.click("[data-add-many] button")

    assert page.locator("[data-instrument-row]").count() == 3
    assert page.input_value("#id_instruments-2-instrument_type") == str(nozzle_type.pk)
    assert page.input_value("#id_instruments-2-verified_on") == "2024-11-06"
    assert page.input_value("#id_instruments-2-verifying_body") == "巫山检测所"
    assert page.input_value("#id_instruments-2-serial_no") == ""  # each instrument's own
    assert page.evaluate("document.activeElement.id") == "id_instruments-2-serial_no"

    page.fill("#id_instruments-1-serial_no", "1号机2枪")
    page.fill("#id_instruments-2-serial_no", "2号机1枪")
    page.uncheck("#id_instruments-2-seal_intact")
    page.locator("[data-instrument-row]").nth(2).locator("[data-copy-instrument]").click()
    page.fill("#id_instruments-3-serial_no", "2号机2枪")

    assert page.is_checked("#id_instruments-3-seal_intact") is False  # copied from its row
    page.fill("#id_problems_found", "2")
    page.check("input[name=problem_types][value=seal]")
    page.click("[data-testid=save-and-submit]")
    page.wait_for_url(lambda url: "/new/" not in url)

    record = InspectionRecord.objects.get()
    listed = list(
        record.instruments.order_by("serial_no").values_list("serial_no", "verifying_body", "seal_intact")
    )
    assert listed == [
        ("1号机1枪", "巫山检测所", True),
        ("1号机2枪", "巫山检测所", True),
        ("2号机1枪", "巫山检测所", False),
        ("2号机2枪", "巫山检测所", False),
    ]
    assert page.console_errors == []
