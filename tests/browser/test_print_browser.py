"""Printing the dashboard from Chromium (static/css/print.css): page.pdf gives an A4 document whose
charts are scaled into the page, not clipped, with the title, the filters applied and the print date,
and without the navigation.

page.pdf lays the page out again at the paper's width without a resize event, so the charts keep the
size ECharts drew them at on the screen. The test draws them on a wide screen, then lays the page out
at A4's printable width in print media with the resize event held back, as printing does, and checks
each chart's canvas against its box.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from campaigns.models import Target
from organizations.roles import Role
from records.models import ReviewStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, TaskAssignmentFactory, UnitFactory, UserFactory, WorkstreamFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, campaign_2025

# A4 (210 mm) less print.css's 10 mm side margins, in CSS pixels (96 per inch).
A4_PRINTABLE_WIDTH = round((210 - 20) / 25.4 * 96)
CHARTS = ("#chart-activity", "#chart-timeliness", "#chart-inspections", "#chart-opinion")

GEOMETRY = """(ids) => ids.map((id) => {
  const box = document.querySelector(id).getBoundingClientRect();
  const canvas = document.querySelector(id + ' canvas');
  const drawn = canvas.getBoundingClientRect();
  return {id, box: [box.left, box.right], canvas: [drawn.left, drawn.right, drawn.width, drawn.height],
          pixels: [canvas.width, canvas.height], page: document.documentElement.clientWidth,
          fit: getComputedStyle(canvas).objectFit};
})"""


@pytest.fixture
def dashboard(transactional_db: None) -> None:
    campaign = campaign_2025()
    workstream = WorkstreamFactory(
        campaign=campaign, number=1, notice_ref="二（一）", title="参与微站千万计划"
    )
    Target.objects.create(
        campaign=campaign,
        workstream=workstream,
        metric="microstations.stations_opened",
        label="建成微站",
        goal=9,
    )
    UserFactory(username="leader", roles=[Role.LEADER])
    office = UnitFactory(name="高唐市场监管所")
    for n in range(3):
        station = MicroStationFactory(campaign=campaign, supervising_unit=office, opened=True)
        StationActivityFactory(
            station=station, review_status=ReviewStatus.APPROVED, date=dt.date(2025, 5, 12 + n)
        )
    TaskAssignmentFactory(unit=office, task__campaign=campaign, task__due_date=dt.date(2025, 5, 1))


def test_the_dashboard_prints_to_an_a4_pdf_with_its_charts_inside_the_page(login, live_server, dashboard):
    page = login("leader", PASSWORD)
    page.set_viewport_size({"width": 1920, "height": 1000})
    page.goto(f"{live_server.url}/dashboard/?date_from=2025-05-01&date_to=2025-05-31")
    page.wait_for_selector("html[data-charts-ready='4']")
    screen = page.evaluate(GEOMETRY, list(CHARTS))
    assert min(chart["canvas"][2] for chart in screen) > A4_PRINTABLE_WIDTH / 2  # drawn for the wide screen

    # As printing does: the paper's width, print media, no resize event for ECharts to redraw on.
    page.evaluate(
        "(ids) => ids.forEach((id) => { window.echarts.getInstanceByDom(document.querySelector(id)).resize = () => {}; })",
        list(CHARTS),
    )
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_WIDTH, "height": 1000})
    printed = page.evaluate(GEOMETRY, list(CHARTS))

    for chart, before in zip(printed, screen, strict=True):
        left, right, width, height = chart["canvas"]
        assert chart["pixels"] == before["pixels"], chart["id"]  # not redrawn: print.css scaled it
        assert chart["box"][0] - 0.5 <= left, chart["id"]
        assert right <= chart["box"][1] + 0.5, chart["id"]
        assert right <= chart["page"] + 0.5, chart["id"]
        assert chart["fit"] == "contain", chart["id"]  # the whole drawing, in proportion
        pixel_width, pixel_height = chart["pixels"]
        drawn_width = min(width, height * pixel_width / pixel_height)
        assert drawn_width > 150, chart["id"]
    assert page.locator(".site-header").is_hidden()
    assert page.locator("[data-testid=request-report]").is_hidden()
    stamp = page.locator(".print-stamp")
    assert stamp.is_visible()
    assert re.search(r"打印时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", stamp.inner_text())
    assert page.locator(".dash-filters input[name=date_from]").input_value() == "2025-05-01"
    assert page.locator(".dash-filters").is_visible()
    # The dashboard hands its filters to the report form (shown on screen, not printed).
    link = page.locator("a[data-testid=report-with-filters]").get_attribute("href")
    assert link.endswith("&date_from=2025-05-01&date_to=2025-05-31&unit=")

    pdf = page.pdf(format="A4", print_background=False)

    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 6
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "dashboard-print.pdf").write_bytes(pdf)
    assert page.console_errors == []
