"""Every page of every role at 390×844: no horizontal scroll, tap targets at least 44 px tall (or a
recorded exception), no console errors. Screenshots of the main pages at 390×844 and 1440×900 go to
test-artifacts/ (gitignored; CI keeps them).

The crawl starts at each role's home and follows every same-site link, visiting one address per
pattern (numbers stand for ids), so each kind of page is seen once per role with real data in it.
A page is measured once it has loaded and the requests its own scripts started (the header's badges,
the map's outline) have been answered and handled, not after Playwright's `networkidle` (half a second
of silence per page); the phone screenshots are taken on the crawl's own page, the desktop ones in a
context that starts with the crawl's session instead of signing in again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from campaigns.models import TaskAssignment
from organizations.models import User
from organizations.roles import Role
from tests.browser.conftest import ARTIFACTS
from tests.browser.stations import gaotang_station
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.factories import PASSWORD, TaskAssignmentFactory, TaskFactory, UserFactory
from tests.inspections.factories import InspectionFactory, InstrumentFactory
from tests.microstations.factories import StationActivityFactory
from tests.opinion.factories import OpinionIncidentFactory
from tests.publicity.factories import PublicityActivityFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
MIN_TAP = 44
MAX_PAGES = 150

# Addresses the crawl does not open: leaving, files and images, the API, and other sites.
SKIP = re.compile(
    r"^/(accounts/logout|evidence/|api/|static/|media/|favicon|admin/r/)|\.(xlsx|docx|png|jpg|pdf)$"
    r"|/(download|export)|^/admin/.*/(delete|history)/$"
)
# Pages left out for a fault that is not about layout, each with its reason (to be fixed where it lives).
KNOWN_FAULTS: dict[str, str] = {}
# Recorded exceptions to the 44 px rule, each with its reason.
TAP_EXCEPTIONS: dict[str, str] = {
    "/admin/": "Django's own admin stylesheet (bureau admin's back office, used on a desktop)",
}

MEASURE = """() => {
  const MIN_TAP = __MIN_TAP__;
  const doc = document.documentElement;
  const small = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(
      "a[href], button, input[type=submit], input[type=button], summary, [role=button], select")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    if (el.closest("[hidden], template")) continue;
    if (box.height < MIN_TAP) {
      const label = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30);
      const key = el.tagName + ":" + label;
      if (!seen.has(key)) { seen.add(key); small.push(`${el.tagName.toLowerCase()} “${label}” ${Math.round(box.height)}px`); }
    }
  }
  return {overflow: doc.scrollWidth - window.innerWidth, small: small};
}""".replace("__MIN_TAP__", str(MIN_TAP))


# Counts the fetches the page's scripts have started and not yet handled: a fetch is done a task after
# its response (or the body the caller read from it) arrived, so the caller's own `then` (a badge shown,
# the next badge's fetch started, the map drawn) has run by then and a chain never reads as settled.
TRACK_FETCHES = """(() => {
  const original = window.fetch;
  if (!original) return;
  window.__pendingFetches = 0;
  const settle = () => setTimeout(() => { window.__pendingFetches -= 1; }, 0);
  const track = (promise) => {
    window.__pendingFetches += 1;
    promise.then(settle, settle);
    return promise;
  };
  for (const name of ["json", "text", "blob", "arrayBuffer", "formData"]) {
    const read = Response.prototype[name];
    Response.prototype[name] = function () { return track(read.apply(this, arguments)); };
  }
  window.fetch = function () { return track(original.apply(this, arguments)); };
})();"""
SETTLED = "() => document.readyState === 'complete' && !window.__pendingFetches"


def _settle(page: Any) -> None:
    """Wait until the page has loaded and its scripts' requests have been answered and handled."""
    page.wait_for_function(SETTLED, polling=20)


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def _crawl(page: Any, base: str, role: str) -> dict[str, dict[str, Any]]:
    """Each page pattern reachable from the home page, with what was measured there; the main pages
    this role reaches are photographed at phone width on the way (`_screenshots` adds the rest)."""
    page.context.add_init_script(TRACK_FETCHES)
    results: dict[str, dict[str, Any]] = {}
    queue = ["/"]
    patterns: set[str] = set()
    while queue and len(results) < MAX_PAGES:
        # The site's own pages first, then Django admin's (many, and alike).
        path = next((p for p in queue if not p.startswith("/admin/")), queue[0])
        queue.remove(path)
        try:
            response = page.goto(base + path)
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                continue  # a file (a spreadsheet template, a report), not a page
            raise
        here = urlsplit(page.url).path
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        _settle(page)
        results[path] = {"status": response.status, "landed": here, **page.evaluate(MEASURE)}
        if path in MAIN_PAGES:
            _screenshot(page, role, path, "390x844")
        for href in page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(base).netloc or SKIP.search(parts.path) or parts.path in KNOWN_FAULTS:
                continue
            pattern = _pattern(parts.path)
            if pattern not in patterns:
                patterns.add(pattern)
                queue.append(parts.path)
    return results


def _data() -> dict[str, User]:
    station = gaotang_station()
    office = User.objects.get(username="gaotang")
    admin = User.objects.get(username="jianjianke")
    leader = UserFactory(username="leader", unit=None, roles=[Role.LEADER])
    unit = office.unit
    task = TaskFactory(
        campaign=station.campaign,
        title="开展民生计量专项检查（电子计价秤、加油机）",
        due_date=dt.date(2025, 5, 31),
    )
    TaskAssignmentFactory(task=task, unit=unit, status=TaskAssignment.Status.PENDING)
    StationActivityFactory(station=station, created_by=office, title="计量科普进社区")
    inspection = InspectionFactory(unit=unit, created_by=office)
    InstrumentFactory(inspection=inspection)
    PublicityActivityFactory(
        unit=unit,
        created_by=office,
        online=True,
        url="https://mp.weixin.qq.com/s/" + "averyveryverylongwechatarticleidentifierwithoutbreaks" * 3,
    )
    EnterpriseVisitFactory(unit=unit, created_by=office)
    OpinionIncidentFactory(handling_unit=unit, created_by=office)
    return {"office": office, "leader": leader, "bureau_admin": admin}


@pytest.fixture
def people(transactional_db: None) -> dict[str, User]:
    return _data()


@pytest.mark.parametrize("role", ["office", "leader", "bureau_admin"])
def test_every_page_fits_a_phone_with_big_enough_tap_targets(
    role, people, login, live_server, browser_page, chromium
):
    user = people[role]
    page = login(user.username, PASSWORD)
    results = _crawl(page, live_server.url, role)

    visited = sorted(results)
    assert len(visited) >= 8, visited
    wide = {path: r["overflow"] for path, r in results.items() if r["overflow"] > 0}
    small = {
        path: r["small"]
        for path, r in results.items()
        if r["small"] and not any(r["landed"].startswith(prefix) for prefix in TAP_EXCEPTIONS)
    }
    errors = {path: r["status"] for path, r in results.items() if r["status"] >= 500}
    ARTIFACTS.mkdir(exist_ok=True)
    report = json.dumps(results, ensure_ascii=False, indent=1)
    (ARTIFACTS / f"phone-crawl-{role}.json").write_text(report, encoding="utf-8")
    _screenshots(chromium, page, live_server.url, role, visited)

    assert {"errors": errors, "wide": wide, "small": small, "console": browser_page.console_errors} == {
        "errors": {},
        "wide": {},
        "small": {},
        "console": [],
    }, visited


MAIN_PAGES = [
    "/workbench/",
    "/workbench/microstations/activities/",
    "/workbench/inspections/",
    "/workbench/inspections/new/",
    "/workbench/publicity/",
    "/dashboard/",
]


def _screenshot(page: Any, role: str, path: str, size: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    slug = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=str(ARTIFACTS / f"{role}-{slug}-{size}.png"), full_page=True)


def _screenshots(chromium: Any, crawled: Any, base: str, role: str, visited: list[str]) -> None:
    """The main pages this role reached, at both widths, into test-artifacts/: at phone width the crawl
    took those it visited; the desktop context starts with the crawl's session (no second sign-in)."""
    wanted = [p for p in MAIN_PAGES if p in visited or p == "/workbench/"]
    for path in [p for p in wanted if p not in visited]:
        crawled.goto(base + path)
        _settle(crawled)
        _screenshot(crawled, role, path, "390x844")
    context = chromium.new_context(
        viewport=DESKTOP, locale="zh-CN", storage_state=crawled.context.storage_state()
    )
    context.add_init_script(TRACK_FETCHES)
    page = context.new_page()
    for path in wanted:
        page.goto(base + path)
        _settle(page)
        _screenshot(page, role, path, "1440x900")
    context.close()
