import datetime as dt

import pytest

from campaigns.models import Target
from organizations.roles import Role
from records.models import ReviewStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, TaskAssignmentFactory, UnitFactory, UserFactory, WorkstreamFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, campaign_2025


@pytest.fixture
def dashboard_data(transactional_db: None) -> dict[str, int]:
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
    return {"stations": 3}


def test_leader_sees_the_dashboard_with_drawn_charts_and_figures_from_the_database(login, dashboard_data):
    page = login("leader", PASSWORD)

    assert page.url.endswith("/dashboard/")
    page.wait_for_selector("html[data-charts-ready='4']")
    for chart in ("#chart-activity", "#chart-timeliness", "#chart-inspections", "#chart-opinion"):
        assert page.locator(f"{chart} canvas").count() >= 1
    card = page.locator("article.ws-card[data-workstream='1']")
    assert card.locator("dd[data-figure='建成微站'] strong").inner_text() == str(dashboard_data["stations"])
    assert page.locator("table.timeliness tbody tr").count() == 1
    assert page.console_errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)
