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
    assert card.locator("a.summary-tile[data-figure='建成微站'] .figure").inner_text() == str(
        dashboard_data["stations"]
    )
    assert page.locator("table.timeliness tbody tr").count() == 1
    assert page.console_errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)


@pytest.fixture
def dashboard_look_data(dashboard_data: dict[str, int]) -> dict[str, int]:
    """On top of the above: a task done on time and one overdue, a major 舆情 still open, an approved
    scales inspection."""
    from campaigns.models import TaskAssignment
    from organizations.models import Unit
    from tests.inspections.factories import InspectionFactory
    from tests.opinion.factories import OpinionIncidentFactory, level

    office = Unit.objects.get(name="高唐市场监管所")
    campaign = campaign_2025()
    done = TaskAssignmentFactory(unit=office, task__campaign=campaign, task__due_date=dt.date(2025, 5, 15))
    TaskAssignment.objects.filter(pk=done.pk).update(
        status=TaskAssignment.Status.DONE,
        completed_at=dt.datetime(2025, 5, 10, 10, tzinfo=dt.UTC),
    )
    OpinionIncidentFactory(
        campaign=campaign, level=level("major"), handling_unit=office, title="重大舆情样例"
    )
    InspectionFactory(campaign=campaign, unit=office, review_status=ReviewStatus.APPROVED)
    return dashboard_data


# What ECharts actually drew: the labels its layout kept, and each heat-map cell's colour.
DRAWN = """() => {
  const chart = (id) => window.echarts.getInstanceByDom(document.getElementById(id));
  const inspections = chart('chart-inspections');
  const labels = inspections.getModel().getComponent('xAxis', 0).axis.getViewLabels().map((l) => l.formattedLabel);
  const heat = chart('chart-timeliness').getOption().series[0].data;
  return {
    domains: inspections.getOption().xAxis[0].data,
    labels: labels,
    cells: heat.map((c) => ({x: c.value[0], value: c.value[2], colour: c.itemStyle.color})),
  };
}"""


def test_the_dashboard_reads_right_at_a_glance(login, dashboard_look_data):
    page = login("leader", PASSWORD)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_selector("html[data-charts-ready='4']")

    # The banner for the open 重大 舆情, above the figures.
    banner = page.locator("section.serious-incidents")
    assert banner.is_visible()
    assert "重大舆情样例" in banner.inner_text()
    # The filters are open without a click.
    assert page.locator("section.dash-filters select[name='unit']").is_visible()
    # The office ranking.
    assert page.locator("table.ranking tbody tr").count() >= 1
    drawn = page.evaluate(DRAWN)
    # Every domain name is drawn on the axis (wrapped, not skipped).
    assert len(drawn["domains"]) == 6
    assert len(drawn["labels"]) == 6
    # Done on time is green, overdue red: each column has the colour of its meaning.
    on_time = [c for c in drawn["cells"] if c["x"] == 0 and c["value"]]
    overdue = [c for c in drawn["cells"] if c["x"] == 2 and c["value"]]
    assert on_time
    assert on_time[0]["colour"].startswith("rgba(22,163,74,")
    assert overdue
    assert overdue[0]["colour"].startswith("rgba(220,38,38,")
    assert page.console_errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-look-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "dashboard-look-390.png"), full_page=True)
