"""舆情 incidents in Chromium (the opinion app, at its old /workbench/publicity/incidents/ address): an
office logs an incident, sees its report-to-county and response deadlines counted from the discovery
time by the chosen level, on the page and in the list; reporting to the county marks the report clock.
A discovery time in the future is refused in Chinese and saves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from opinion.models import OpinionIncident, OpinionLevel
from organizations.roles import Role
from tests.factories import PASSWORD, CampaignFactory, UnitFactory, UserFactory

LIST = "/workbench/publicity/incidents/"


@pytest.fixture
def clerk(transactional_db: None) -> Any:
    CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    return UserFactory(username="gaotang", unit=UnitFactory(name="高唐市场监管所"), roles=[Role.OFFICE])


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def shown(value: dt.datetime) -> str:
    """As the pages show a time (DATETIME_FORMAT): 2025年5月20日 09:30."""
    moment = timezone.localtime(value)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def fill_incident(page: Any, *, title: str, level: OpinionLevel, discovered_at: str | None) -> None:
    page.fill("#id_title", title)
    if discovered_at is not None:
        page.fill("#id_discovered_at", discovered_at)
    page.select_option("#id_source", OpinionIncident.Source.SELF_MEDIA)
    page.fill("#id_platform", "抖音")
    page.fill("#id_summary", "网友发视频称龙门农贸市场一摊位电子秤缺斤少两，播放量较高。")
    page.select_option("#id_domain", OpinionIncident.Domain.SCALES)
    page.fill("#id_reach", "12000")
    page.select_option("#id_sentiment", OpinionIncident.Sentiment.NEGATIVE)
    page.select_option("#id_level", str(level.pk))


def test_an_office_logs_a_major_incident_and_sees_its_deadlines(login, live_server, clerk):
    major = OpinionLevel.objects.get(code="major")
    assert (major.report_deadline_hours, major.response_deadline_hours) == (2, 5)
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{LIST}")
    page.get_by_role("button", name="登记舆情").click()  # a link styled as a button
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "登记舆情"
    assert page.locator("#id_level option:checked").count() == 1
    assert "重大（2小时内报告县局，5小时内回应）" in page.locator("#id_level").inner_text()

    fill_incident(
        page, title="抖音视频反映农贸市场电子秤缺斤少两", level=major, discovered_at="2025-05-20T09:30"
    )
    page.click("[data-testid=save-incident]")
    page.wait_for_load_state()

    assert "舆情已登记，请及时研判处置。" in page.locator(".messages").inner_text()
    incident = OpinionIncident.objects.get()
    assert page.url == f"{live_server.url}{incident.get_absolute_url()}"
    assert incident.get_absolute_url().startswith(LIST)
    assert (incident.status, incident.level, incident.handling_unit, incident.created_by) == (
        OpinionIncident.Status.DISCOVERED,
        major,
        clerk.unit,
        clerk,
    )
    assert local(incident.discovered_at) == "2025-05-20 09:30"
    assert local(incident.report_deadline) == "2025-05-20 11:30"
    assert local(incident.response_deadline) == "2025-05-20 14:30"

    report = page.locator("[data-testid=report-deadline]")
    assert report.locator("time").inner_text() == "2025年5月20日 11:30"
    assert report.locator(".badge").inner_text() == "已逾期"  # long past, and not reported
    response = page.locator("[data-testid=response-deadline]")
    assert response.locator("time").inner_text() == "2025年5月20日 14:30"
    assert response.locator(".badge").inner_text() == "已逾期"
    assert "发现后 24 小时内举行新闻发布会" in page.locator("dl.facts").inner_text()
    assert page.locator("[data-testid=incident-status]").inner_text() == "已发现"

    # The list shows the same deadlines (computed in the database there) and counts the overdue one.
    page.goto(f"{live_server.url}{LIST}")
    card = page.locator(f"[data-incident='{incident.pk}']")
    assert card.locator("time").all_inner_texts() == ["2025年5月20日 11:30", "2025年5月20日 14:30"]
    assert "is-overdue" in card.get_attribute("class")
    assert page.locator(".summary-grid .alert .figure").first.inner_text() == "1"

    # Reporting to the county now stops the report clock, late.
    card.get_by_role("link", name=incident.title).click()
    page.wait_for_load_state()
    page.click("[data-testid=report-to-county]")
    page.wait_for_load_state()
    assert "已记录向县局报告的时间。" in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=report-deadline] .badge").inner_text() == "超时完成"
    assert page.locator("[data-testid=report-to-county]").count() == 0
    incident.refresh_from_db()
    assert incident.reported_to_county_at is not None
    assert page.console_errors == []


def test_a_general_incident_found_now_is_not_yet_due(login, live_server, clerk):
    general = OpinionLevel.objects.get(code="general")
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{LIST}new/")
    # The discovery time starts at now, to the minute, and the discoverer is the user.
    assert page.locator("#id_discovered_at").input_value()[:10] == timezone.localdate().isoformat()
    assert page.locator("#id_discovered_by").input_value() == str(clerk)
    fill_incident(page, title="网帖反映加油站计量不准", level=general, discovered_at=None)
    page.click("[data-testid=save-incident]")
    page.wait_for_load_state()

    incident = OpinionIncident.objects.get()
    assert incident.report_deadline - incident.discovered_at == dt.timedelta(hours=24)
    report = page.locator("[data-testid=report-deadline]")
    assert report.locator("time").inner_text() == shown(incident.report_deadline)
    assert report.locator(".badge").inner_text() == "未到时限"
    assert page.locator("[data-testid=response-deadline] time").inner_text() == shown(
        incident.response_deadline
    )
    assert page.console_errors == []


def test_a_discovery_time_in_the_future_is_refused_and_nothing_is_saved(login, live_server, clerk):
    general = OpinionLevel.objects.get(code="general")
    later = timezone.localtime() + dt.timedelta(days=1)
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{LIST}new/")
    fill_incident(
        page, title="网帖反映加油站计量不准", level=general, discovered_at=later.strftime("%Y-%m-%dT%H:%M")
    )
    page.click("[data-testid=save-incident]")
    page.wait_for_load_state()

    assert "发现时间不能晚于现在。" in page.locator("label[for=id_discovered_at] .field-error").inner_text()
    assert page.locator("#id_title").input_value() == "网帖反映加油站计量不准"
    assert OpinionIncident.objects.count() == 0
    assert page.console_errors == []
