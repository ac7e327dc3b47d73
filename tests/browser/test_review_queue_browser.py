"""A return and a resubmit through the review queue, in Chromium: the bureau returns a submitted
activity with a reason, the office reads the reason, edits and resubmits, the bureau approves it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from microstations.models import StationActivity
from records.models import ReviewStatus
from tests.browser.stations import gaotang_station
from tests.factories import PASSWORD


@pytest.fixture
def submitted_activity(transactional_db: None) -> StationActivity:
    station = gaotang_station()
    office, campaign = station.supervising_unit, station.campaign
    clerk = office.users.get(username="gaotang")
    return StationActivity.objects.create(
        campaign=campaign,
        unit=office,
        created_by=clerk,
        station=station,
        date=dt.date(2025, 5, 21),
        topic=StationActivity.Topic.SCIENCE,
        title="计量科普进社区",
        people_reached=120,
        materials_distributed=80,
        volunteers_present=2,
        review_status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def two_pages(chromium):
    """The bureau's phone and the office's phone: two browser contexts, closed before the server stops."""
    contexts = [
        chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN") for _ in range(2)
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_bureau_returns_through_the_queue_and_the_office_resubmits(
    live_server, submitted_activity, two_pages
):
    bureau, office = two_pages
    errors: list[str] = []
    for page in (bureau, office):
        page.on("pageerror", lambda error: errors.append(str(error)))

    def login(page, username):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    login(bureau, "jianjianke")
    bureau.goto(f"{live_server.url}/workbench/review/", wait_until="networkidle")
    badge = bureau.locator(".review-count")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1"
    row = bureau.locator(f"[data-queue-item='microstations.stationactivity:{submitted_activity.pk}']")
    row.locator("input[type=checkbox]").check()
    bureau.fill("textarea[name=reason]", "照片不清楚，请补充现场照片")
    bureau.click("[data-testid=bulk-return]")
    bureau.wait_for_load_state("networkidle")
    assert "已退回 1 条。" in bureau.locator(".messages").inner_text()
    assert bureau.locator("[data-queue-item]").count() == 0

    login(office, "gaotang")
    office.goto(f"{live_server.url}{submitted_activity.get_absolute_url()}", wait_until="networkidle")
    assert "照片不清楚，请补充现场照片" in office.locator(".review-panel").inner_text()
    office.click("[data-testid=submit-record]")
    office.wait_for_load_state("networkidle")
    assert StationActivity.objects.get().review_status == ReviewStatus.SUBMITTED

    bureau.goto(f"{live_server.url}/workbench/review/", wait_until="networkidle")
    bureau.locator(f"[data-queue-item='microstations.stationactivity:{submitted_activity.pk}'] input").check()
    bureau.click("[data-testid=bulk-approve]")
    bureau.wait_for_load_state("networkidle")
    assert "已审核通过 1 条。" in bureau.locator(".messages").inner_text()
    assert StationActivity.objects.get().review_status == ReviewStatus.APPROVED
    assert errors == []
