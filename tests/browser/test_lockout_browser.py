"""The login lockout in Chromium: five wrong passwords for one username from one address answer with the
Chinese locked-out page (templates/registration/locked_out.html); the right password is then refused
too, and nobody is signed in. Another username from the same address still signs in."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt

from organizations.models import SecurityEvent
from organizations.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory

LOCKED_TEXT = "该账号在本机连续登录失败次数过多，已锁定30分钟。请稍后再试，或联系县局管理员解锁。"


@pytest.fixture
def users(transactional_db: None) -> None:
    office = UnitFactory(name="高唐市场监管所")
    UserFactory(username="gaotang", unit=office, roles=[Role.OFFICE])
    UserFactory(username="gaotang2", unit=office, roles=[Role.OFFICE])


def submit(page: Any, live_server: Any, username: str, password: str) -> Any:
    """One login attempt through the form; the main document's response."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return navigation.value


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(browser_page, live_server, users):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert "连续输错密码5次，该账号在本机将被锁定30分钟。" in page.locator("main").inner_text()

    for attempt in range(1, 5):
        response = submit(page, live_server, "gaotang", f"wrong-{attempt}")
        assert response.status == 200, attempt
        assert page.locator("h1").inner_text() == "登录"
        assert page.locator("[role=alert]").count() == 1  # the form's own error, in Chinese
        assert page.locator("#id_username").input_value() == "gaotang"

    response = submit(page, live_server, "gaotang", "wrong-5")
    assert response.status == 429
    assert page.title().startswith("账号已暂时锁定")
    assert page.locator("h1").inner_text() == "账号已暂时锁定"
    assert page.locator("[role=alert]").inner_text() == LOCKED_TEXT
    assert page.get_by_role("link", name="返回登录").get_attribute("href") == "/accounts/login/"

    # The right password is refused as well, with the same page, and no session is opened.
    response = submit(page, live_server, "gaotang", PASSWORD)
    assert response.status == 429
    assert page.locator("[role=alert]").inner_text() == LOCKED_TEXT
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())
    page.goto(f"{live_server.url}/workbench/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")

    attempt = AccessAttempt.objects.get(username="gaotang")
    assert attempt.failures_since_start >= 5
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN, username="gaotang").exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, username="gaotang").count() >= 5
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT, username="gaotang").exists()

    # The lock is on (username, address): a colleague at the same address still signs in.
    submit(page, live_server, "gaotang2", PASSWORD)
    assert page.url == f"{live_server.url}/workbench/"
    assert "gaotang2" not in {a.username for a in AccessAttempt.objects.all()}
    # Only the browser's own log of the 429 documents; no script error.
    assert [e for e in page.console_errors if "status of 429" not in e] == []
