"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Reuse `browser_page` (a fresh page with console errors collected) and `login` in later browser tests.
Without /usr/bin/chromium the tests skip locally, and fail where REQUIRE_BROWSER=1 (CI sets it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.data_migrations import rerun_data_migrations

# pytest-django's live_server runs the ORM from Playwright's greenlet-driven sync API.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# What the migrations left in the database, taken before the session's first browser test touches it.
_migrated_snapshot: dict[str, str] = {}


def restore_migrated_data(snapshot: str) -> None:
    """Load the rows the migrations made back into the flushed database, as they were: the data
    migrations' rows are restored whatever app their models have moved to since (re-running them on
    today's models cannot seed a model through its old app, e.g. the 舆情 levels once in publicity)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    # The flush's post_migrate signal made content types and permissions anew, with other ids than the
    # snapshot's, which the snapshot's grants and photos point at: the snapshot's rows replace them.
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(snapshot)
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _migrated_data(transactional_db: None) -> None:
    """Live-server tests flush the database after each test, and with it what the data migrations
    made (role groups and their permissions, levels, schedules). Django's serialized rollback cannot
    bring it back here: once Playwright runs, the test sees a new connection object without Django's
    serialized copy. So this takes its own copy before the first test and restores it after a flush;
    without a copy (the database was flushed before any browser test ran), the data migrations run again."""
    from django.contrib.auth.models import Group
    from django.db import connection

    if Group.objects.exists():
        if "data" not in _migrated_snapshot:
            _migrated_snapshot["data"] = connection.creation.serialize_db_to_string()
    elif "data" in _migrated_snapshot:
        restore_migrated_data(_migrated_snapshot["data"])
    else:
        rerun_data_migrations()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A phone-sized page; console errors are collected in `page.console_errors`."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: page.console_errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def login(live_server: Any, browser_page: Any) -> Callable[[str, str], Any]:
    def do_login(username: str, password: str) -> Any:
        browser_page.goto(f"{live_server.url}/accounts/login/")
        browser_page.fill("#id_username", username)
        browser_page.fill("#id_password", password)
        browser_page.click("button[type=submit]")
        browser_page.wait_for_load_state()
        return browser_page

    return do_login
