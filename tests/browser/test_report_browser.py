"""Reports in Chromium: a leader asks for a report, watches it being built (static/js/report_progress.js
polls the status URL) and downloads the .xlsx.

Celery is not eager in the test settings, and a queued task would land in the embedded broker under
var/. So the journey that watches the polling records what is queued and plays the worker itself,
while the page is open; the other runs the task eagerly (tests/celery_fixtures.py), as the embedded
demo with a fast worker does, and the list shows the finished report at once.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from organizations.models import SecurityEvent
from organizations.roles import Role
from reports import tasks
from reports.models import Report
from tests.celery_fixtures import eager_tasks
from tests.factories import PASSWORD, CampaignFactory, UserFactory

__all__ = ["eager_tasks"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def leader(transactional_db: None) -> Any:
    CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    return UserFactory(username="lingdao", name="王局长", unit=None, roles=[Role.LEADER])


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The report ids the pages queue, kept here instead of being sent to a broker."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: sent.append(report_id))
    return sent


def request_report(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/reports/")
    assert page.get_by_label("活动").locator("option:checked").inner_text().startswith("2025")
    page.get_by_label("统计起始日期").fill("2025-05-01")
    page.get_by_label("统计截止日期").fill("2025-05-31")
    page.click("[data-testid=request-report]")
    page.wait_for_load_state()
    assert "已提交生成请求" in page.locator(".messages").inner_text()


def download_xlsx(page: Any, row: Any, tmp_path: Path) -> Any:
    with page.expect_download() as info:
        row.locator(".report-download a").click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return load_workbook(io.BytesIO(target.read_bytes()), read_only=True), download.suggested_filename


def test_the_list_polls_a_report_until_it_is_built_and_the_link_downloads_it(
    login, live_server, leader, queued, tmp_path
):
    page = login("lingdao", PASSWORD)
    request_report(page, live_server)

    report = Report.objects.get()
    assert queued == [report.pk]  # queued after commit, once
    assert (report.status, report.requested_by, report.date_from, report.date_to) == (
        Report.Status.PENDING,
        leader,
        dt.date(2025, 5, 1),
        dt.date(2025, 5, 31),
    )
    row = page.locator(f"tr[data-report-status-url='/reports/{report.pk}/status/']")
    assert row.locator(".report-status").inner_text() == "排队中"
    assert row.locator(".report-progress").is_visible()
    assert row.locator(".report-download").inner_text().strip() == "—"

    # The worker builds it while the page stays open; the next poll shows the link without a reload.
    page.evaluate("window.__same_document = true")
    tasks.build_report(report.pk)
    link = row.locator(".report-download a")
    link.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("window.__same_document") is True  # no reload: the script changed the row
    assert link.inner_text() == "下载"
    assert row.locator(".report-status").inner_text() == "已完成"
    assert row.locator(".report-progress").is_hidden()

    workbook, filename = download_xlsx(page, row, tmp_path)
    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.DONE, 100)
    assert filename == report.filename
    assert "总览" in workbook.sheetnames
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REPORT_DOWNLOAD, user=leader).count() == 1
    assert page.console_errors == []


@pytest.mark.usefixtures("eager_tasks")
def test_with_an_eager_worker_the_list_shows_the_finished_report_and_polls_nothing(
    login, live_server, leader, tmp_path
):
    page = login("lingdao", PASSWORD)
    status_requests: list[str] = []
    page.on("request", lambda r: status_requests.append(r.url) if "/status/" in r.url else None)
    request_report(page, live_server)

    report = Report.objects.get()
    assert (report.status, report.progress, report.requested_by) == (Report.Status.DONE, 100, leader)
    assert bool(report.file)
    row = page.locator("tbody tr").first
    assert row.get_attribute("data-report-status-url") == ""
    assert row.locator(".report-status").inner_text() == "已完成"
    assert row.locator(".report-progress").is_hidden()

    workbook, filename = download_xlsx(page, row, tmp_path)
    assert filename == report.filename
    assert workbook.sheetnames[0] == "总览"
    assert status_requests == []
    assert page.console_errors == []
