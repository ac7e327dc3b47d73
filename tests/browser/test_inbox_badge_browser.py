"""The header's inbox badge in Chromium: static/js/inbox.js asks `data-unread-url` after the page has
loaded and shows the user's unread count; reading messages in the inbox brings it down, then hides it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from organizations.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory

UNREAD_URL = "/inbox/unread/"


@pytest.fixture
def clerk(transactional_db: None) -> Any:
    office = UnitFactory(name="高唐市场监管所")
    clerk = UserFactory(username="gaotang", unit=office, roles=[Role.OFFICE])
    for subject in ("任务即将到期：开展计量专项检查", "任务已逾期：微站揭牌", "报表已生成"):
        Notification.objects.create(recipient=clerk, subject=subject, body="请及时处理。")
    Notification.objects.create(
        recipient=clerk, subject="早已读过的消息", body="—", read_at="2025-05-01T08:30+08:00"
    )
    # Someone else's unread messages never count on this user's badge.
    other = UserFactory(username="longmen", unit=UnitFactory(name="龙门市场监管所"), roles=[Role.OFFICE])
    for n in range(4):
        Notification.objects.create(recipient=other, subject=f"别人的消息{n}", body="—")
    return clerk


def load(page: Any, url: str) -> Any:
    """Open the page and wait for the badge's own request to be answered (not the last page's)."""
    page.wait_for_load_state("networkidle")
    with page.expect_response(lambda r: r.url.endswith(UNREAD_URL)) as answer:
        page.goto(url)
    assert answer.value.status == 200
    return answer.value.json()


def badge_settled(page: Any) -> Any:
    """The badge once the script has had the answer (no request left for half a second)."""
    page.wait_for_load_state("networkidle")
    return page.locator(".inbox-count")


def test_the_badge_counts_unread_messages_and_hides_once_all_are_read(login, live_server, clerk):
    page = login("gaotang", PASSWORD)

    assert load(page, f"{live_server.url}/workbench/") == {"unread": 3}
    badge = page.locator(".inbox-count")
    expect(badge).to_have_text("3")
    assert badge.is_visible()
    assert badge.get_attribute("aria-label") == "未读消息"

    # Read one message in the inbox: the page comes back and its badge says 2.
    page.click(".site-header a[href='/inbox/']")
    page.wait_for_load_state()
    assert "未读 3 条" in page.locator("hgroup").inner_text()
    card = page.locator("article.task-card", has_text="报表已生成")
    card.get_by_role("button", name="标为已读").click()
    page.wait_for_url(f"{live_server.url}/inbox/")
    expect(page.locator(".inbox-count")).to_have_text("2")
    assert "未读 2 条" in page.locator("hgroup").inner_text()
    read = Notification.objects.get(subject="报表已生成")
    assert read.read_at is not None

    # Read the rest: the badge is hidden on the next page.
    page.get_by_role("button", name="全部标为已读").click()
    assert badge_settled(page).is_hidden()
    assert "已将 2 条消息标为已读。" in page.locator(".messages").inner_text()
    assert Notification.objects.filter(recipient=clerk, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient__username="longmen", read_at__isnull=True).count() == 4

    assert load(page, f"{live_server.url}/workbench/") == {"unread": 0}
    assert badge_settled(page).is_hidden()
    assert page.console_errors == []


def test_a_new_message_shows_on_the_next_page_and_many_show_as_99_plus(login, live_server, clerk):
    Notification.objects.filter(recipient=clerk).update(read_at="2025-05-01T08:30+08:00")
    page = login("gaotang", PASSWORD)
    assert load(page, f"{live_server.url}/workbench/") == {"unread": 0}
    assert badge_settled(page).is_hidden()

    Notification.objects.create(recipient=clerk, subject="新任务待签收", body="—")
    assert load(page, f"{live_server.url}/workbench/") == {"unread": 1}
    expect(page.locator(".inbox-count")).to_have_text("1")

    Notification.objects.bulk_create(
        Notification(recipient=clerk, subject=f"提醒{n}", body="—") for n in range(120)
    )
    assert load(page, f"{live_server.url}/workbench/") == {"unread": 121}
    expect(page.locator(".inbox-count")).to_have_text("99+")
    assert page.console_errors == []
