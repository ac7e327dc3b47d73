"""An office records a fuel-station inspection in Chromium: two dispensers, four nozzles listed one by
one, a broken seal, rectification ordered — and finds the follow-up task on its workbench."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from campaigns.models import TaskAssignment, Workstream
from enterprises.models import Enterprise
from inspections.models import FollowUpStatus, InspectionRecord, InstrumentType
from organizations.roles import Role
from records.models import ReviewStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, CampaignFactory, UnitFactory, UserFactory
from tests.inspections.factories import EnterpriseFactory


@pytest.fixture
def gas_station(transactional_db: None) -> Enterprise:
    office = UnitFactory(name="龙门市场监管所")
    UserFactory(username="longmen", unit=office, roles=[Role.OFFICE])
    campaign = CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    Workstream.objects.create(
        campaign=campaign, number=3, notice_ref="二（三）", title="开展民生领域计量专项检查行动"
    )
    EnterpriseFactory(name="巫山县佳惠超市有限公司")
    return EnterpriseFactory(
        name="中国石油天然气股份有限公司重庆巫山龙门加油站",
        industry=Enterprise.Industry.FUEL,
        size=Enterprise.Size.SMALL,
    )


def pick_enterprise(page, field_id: str, typed: str, name: str) -> None:
    """Type into the searchable enterprise picker (Tom Select over `#field_id`) and choose `name`."""
    control = page.locator(f"#{field_id}-ts-control")
    control.wait_for()
    control.click()
    control.fill(typed)
    page.locator(".ts-dropdown .option", has_text=name).click()


def fill_nozzle(page, index: int, serial: str, nozzle_type: InstrumentType, *, seal: bool = True) -> None:
    prefix = f"#id_instruments-{index}-"
    page.select_option(f"{prefix}instrument_type", str(nozzle_type.pk))
    page.fill(f"{prefix}serial_no", serial)
    page.fill(f"{prefix}certificate_no", f"巫检202411-{serial}")
    page.fill(f"{prefix}verified_on", "2024-11-06")
    page.fill(f"{prefix}verifying_body", "巫山检测所")
    if not seal:
        page.uncheck(f"{prefix}seal_intact")


def test_office_records_a_fuel_station_inspection_with_two_dispensers_and_a_broken_seal(login, gas_station):
    nozzle_type = InstrumentType.objects.get(code="fuel_nozzle")
    page = login("longmen", PASSWORD)
    page.goto(page.url.replace("/workbench/", "/workbench/inspections/new/"))

    page.select_option("#id_domain", "fuel")
    # Only the fuel section and the fuel instrument types are offered once the domain is chosen.
    assert page.locator("#id_dispensers").is_visible()
    assert not page.locator("#id_fair_scale_present").is_visible()
    assert not page.locator("#id_instruments_checked").is_visible()
    hidden_scale = page.locator("#id_instruments-0-instrument_type option[data-domain='scales']")
    assert hidden_scale.evaluate("option => option.hidden") is True

    pick_enterprise(page, "id_inspected_party", "龙门加油站", gas_station.name)
    assert page.locator("#id_inspected_party").input_value() == str(gas_station.pk)
    page.fill("#id_date", "2025-05-21")
    page.fill("#id_inspectors", "王强、刘洋")
    page.fill("#id_staff_turnout", "3")
    page.fill("#id_dispensers", "2")
    page.fill("#id_nozzles", "4")
    fill_nozzle(page, 0, "1号机1枪", nozzle_type)
    for index, (serial, seal) in enumerate(
        [("1号机2枪", True), ("2号机1枪", False), ("2号机2枪", True)], start=1
    ):
        page.click("[data-add-instrument]")
        fill_nozzle(page, index, serial, nozzle_type, seal=seal)
    page.fill("#id_problems_found", "1")
    page.check("input[name=problem_types][value=seal]")
    page.fill("#id_findings", "2号加油机计量器铅封损坏。")
    page.fill("#id_rectification_notice_no", "巫市监龙门责改〔2025〕11号")
    page.fill("#id_rectification_deadline", "2025-06-20")
    page.click("[data-testid=save-and-submit]")
    page.wait_for_load_state()

    assert "检查记录已保存并提交县局审核" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == gas_station.name
    assert page.locator("[data-testid=follow-up-status]").inner_text() == "整改中"
    assert page.locator("[data-testid=fuel-counts]").inner_text() == "加油机 2 台，加油枪 4 把"
    assert page.locator("[data-testid=broken-seals]").inner_text() == "1"
    assert page.locator("[data-testid=instruments] tbody tr").count() == 4
    assert page.locator("[data-testid=instruments] tbody tr", has_text="损坏").count() == 1

    record = InspectionRecord.objects.get()
    assert (record.review_status, record.follow_up_status) == (
        ReviewStatus.SUBMITTED,
        FollowUpStatus.RECTIFYING,
    )
    assert (record.dispensers, record.nozzles, record.unit.name) == (2, 4, "龙门市场监管所")
    assert record.instruments.filter(seal_intact=False).get().serial_no == "2号机1枪"
    assignment = TaskAssignment.objects.get(task=record.follow_up_task)
    assert assignment.unit == record.unit

    page.goto(page.url.split("/workbench/")[0] + "/workbench/")
    assert (
        page.locator(
            "article.task-card", has_text="整改复查：中国石油天然气股份有限公司重庆巫山龙门加油站"
        ).count()
        == 1
    )
    assert page.console_errors == []


def test_the_inspected_party_picker_searches_within_the_domain_on_a_phone(login, gas_station):
    """At 390x844: typing searches the registry narrowed by the chosen domain, a tap picks the row,
    another domain searches again, and the picker fits the screen with 44 px rows."""
    page = login("longmen", PASSWORD)
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(page.url.replace("/workbench/", "/workbench/inspections/new/"))
    page.select_option("#id_domain", "fuel")
    control = page.locator("#id_inspected_party-ts-control")
    control.wait_for()
    control.click()
    control.fill("巫山")

    options = page.locator(".ts-dropdown .option")
    options.filter(has_text=gas_station.name).wait_for()
    # The supermarket (retail) is not a fuel inspection's party: the search leaves it out.
    assert options.filter(has_text="巫山县佳惠超市有限公司").count() == 0
    assert options.filter(has_text=gas_station.name).bounding_box()["height"] >= 44
    wrapper = page.locator(".ts-wrapper").first.bounding_box()
    assert wrapper["x"] >= 0
    assert wrapper["x"] + wrapper["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / "inspection_party_picker.png"))
    options.filter(has_text=gas_station.name).click()

    assert page.locator("#id_inspected_party").input_value() == str(gas_station.pk)
    assert gas_station.name in page.locator(".ts-wrapper .item").inner_text()

    # Another domain: the search is asked again with it (the chosen row stays chosen).
    page.select_option("#id_domain", "scales")
    control.click()
    control.fill("佳惠")
    options.filter(has_text="巫山县佳惠超市有限公司").wait_for()
    assert page.locator("#id_inspected_party").input_value() == str(gas_station.pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []


def test_a_refused_inspection_focuses_the_picker_when_the_unit_is_missing(login, gas_station):
    """The error summary's first line is 被检查单位 (left empty): the page opens with the typing in the
    picker's search box, and the summary's link leads back to it."""
    page = login("longmen", PASSWORD)
    page.goto(page.url.replace("/workbench/", "/workbench/inspections/new/"))
    page.select_option("#id_domain", "fuel")
    page.fill("#id_date", "2025-05-21")
    page.click("[data-testid=save-and-submit]")
    page.wait_for_load_state()
    page.locator("#id_inspected_party-ts-control").wait_for()

    summary = page.locator("[data-error-summary] [data-error-link]")
    assert summary.first.inner_text().startswith("被检查单位：")
    typing_box = page.locator("#id_inspected_party-ts-control")
    expect(typing_box).to_be_focused()
    page.locator("#id_inspectors").focus()
    summary.first.click()
    expect(typing_box).to_be_focused()
    assert not InspectionRecord.objects.exists()
    assert page.console_errors == []
