"""Reports built by a real Celery worker process on Redis, against the PostgreSQL test database.

A worker cannot share SQLite's in-memory test database, so these need DATABASE_URL on PostgreSQL and
REDIS_URL. Without them they skip, except where EXPECT_BROKER=redis (CI's PostgreSQL + Redis run):
there they fail, so that a broken service cannot pass unnoticed. Every wait is bounded.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.models import Campaign
from reports import services
from reports.models import Report
from reports.tasks import sweep
from tests.celery_fixtures import broker_unreachable
from tests.data_migrations import rerun_data_migrations
from tests.factories import CampaignFactory

T = TypeVar("T")

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REDIS_URL = os.environ.get("REDIS_URL", "")
MISSING = [
    reason
    for present, reason in ((POSTGRES, "DATABASE_URL is not PostgreSQL"), (REDIS_URL, "REDIS_URL is not set"))
    if not present
]
REQUIRED = os.environ.get("EXPECT_BROKER") == "redis"
CELERY = Path(sys.executable).with_name("celery")
WORKER_READY_TIMEOUT = 30
BUILD_TIMEOUT = 60
# The promise: a report whose worker was killed completes within a minute.
RECOVERY_DEADLINE = 60

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason="; ".join(MISSING)),
]


@pytest.fixture(autouse=True)
def _eager() -> None:
    """Tasks go through the real broker here (this replaces the eager fixture of the reports conftest)."""


@pytest.fixture(autouse=True)
def _services_present() -> None:
    if MISSING:  # only reached when EXPECT_BROKER=redis asked for these services
        pytest.fail("EXPECT_BROKER=redis, but " + "; ".join(MISSING))


@pytest.fixture(autouse=True)
def _migrated_data(transactional_db: None) -> None:
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        rerun_data_migrations()


@pytest.fixture
def campaign(transactional_db: None) -> Campaign:
    return CampaignFactory(year=2025)


def wait_for(what: str, check: Callable[[], T | None], timeout: float, logs: Callable[[], str]) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n--- worker log ---\n{logs()}")


def _die_with_this_process() -> None:
    """Runs in the worker before exec: should pytest itself be killed, its workers go too (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Worker:
    """`celery -A wushan_metrology worker --pool=solo -Q celery` on the test database and REDIS_URL."""

    def __init__(self, log: Path, media_root: Path, delay: float = 0, lease: float | None = None) -> None:
        database = connection.settings_dict
        credentials = urllib.parse.quote(database["USER"] or "", safe="")
        if database["PASSWORD"]:
            credentials += ":" + urllib.parse.quote(database["PASSWORD"], safe="")
        host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
        env.update(
            DJANGO_SETTINGS_MODULE="wushan_metrology.settings",
            DATABASE_URL=f"postgres://{credentials}@{host}/{database['NAME']}",
            DB_CONN_MAX_AGE="0",
            REDIS_URL=REDIS_URL,
            MEDIA_ROOT=str(media_root),
            REPORTS_TEST_DELAY_SECONDS=str(delay),
            REPORTS_LEASE_SECONDS=str(lease or settings.REPORTS_LEASE_SECONDS),
            LOG_FORMAT="text",
            PYTHONUNBUFFERED="1",
        )
        self.log = log
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own venv's celery, fixed arguments)
                [
                    str(CELERY), "-A", "wushan_metrology", "worker", "--pool=solo", "-Q", "celery",
                    "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "--hostname", f"itest-{uuid.uuid4().hex[:8]}@%h",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
                preexec_fn=_die_with_this_process,
            )  # fmt: skip
        wait_for("the worker to be ready", self._ready, WORKER_READY_TIMEOUT, self.logs)
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            pytest.fail(f"the worker exited with {self.process.returncode}\n{self.logs()}")
        return " ready." in self.logs()

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


@pytest.fixture
def workers(transactional_db: None, tmp_path: Path, media_root: Path) -> Iterator[Callable[..., Worker]]:
    """Start workers with `workers(delay=…, lease=…)`; every one is stopped before the database is flushed."""
    started: list[Worker] = []

    def start(delay: float = 0, lease: float | None = None) -> Worker:
        worker = Worker(tmp_path / f"worker-{len(started) + 1}.log", media_root, delay=delay, lease=lease)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.kill(signal.SIGTERM)


def report_files(media_root: Path) -> list[Path]:
    return sorted(media_root.rglob("*.xlsx"))


def finished(report: Report) -> Callable[[], Report | None]:
    return lambda: Report.objects.filter(pk=report.pk, status=Report.Status.DONE).first()


def test_a_report_requested_through_the_app_is_built_by_the_worker(
    client, leader, campaign, workers, media_root
):
    worker = workers()
    client.force_login(leader)

    response = client.post("/reports/request/", {"campaign": campaign.pk})

    assert response.status_code == 302
    report = Report.objects.get()
    done = wait_for("the report to be built", finished(report), BUILD_TIMEOUT, worker.logs)
    assert (done.attempts, done.progress, done.requested_by) == (1, 100, leader)
    assert report_files(media_root) == [Path(done.file.path)]
    assert load_workbook(done.file.path, read_only=True).sheetnames[0] == "总览"


def sweep_interval() -> int:
    """How often beat runs the sweep, from the schedule the data migration made."""
    from django_celery_beat.models import PeriodicTask

    schedule = PeriodicTask.objects.select_related("interval").get(task="reports.sweep").interval
    assert schedule is not None
    return schedule.every


def finished_while_beat_sweeps(report: Report, every: float) -> Callable[[], Report | None]:
    """`finished(report)`, sending the sweep every `every` seconds as beat does (no beat process here)."""
    last_sweep = [0.0]

    def check() -> Report | None:
        if time.monotonic() - last_sweep[0] >= every:
            sweep.delay()
            last_sweep[0] = time.monotonic()
        return finished(report)()

    return check


def test_a_worker_killed_mid_report_is_replaced_and_the_report_completes_exactly_once_within_a_minute(
    leader, campaign, workers, media_root
):
    slow = workers(delay=2)  # five sheets: at least ten seconds of building
    report = services.report_request(actor=leader, campaign=campaign)
    wait_for(
        "the worker to be in the middle of the report",
        lambda: Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, progress__gt=0).exists(),
        BUILD_TIMEOUT,
        slow.logs,
    )

    slow.kill(signal.SIGKILL)
    killed_at = time.monotonic()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.RUNNING, 1)
    assert 0 < report.progress < 100
    assert report_files(media_root) == []
    # No clock is wound on: the lease runs out by itself, and the sweep runs as often as beat runs it.
    replacement = workers()
    done = wait_for(
        "the report to be built again",
        finished_while_beat_sweeps(report, every=sweep_interval()),
        RECOVERY_DEADLINE,
        replacement.logs,
    )

    assert time.monotonic() - killed_at < RECOVERY_DEADLINE
    assert (done.attempts, done.progress) == (2, 100)
    assert report_files(media_root) == [Path(done.file.path)]
    assert load_workbook(done.file.path, read_only=True).sheetnames[0] == "总览"


def test_a_long_build_keeps_its_short_lease_and_is_built_once_while_the_sweep_runs(
    leader, campaign, workers, media_root
):
    # A three-second lease, and a build of at least ten seconds with one progress step per sheet
    # (two seconds apart): only the renewals keep the lease alive.
    slow = workers(delay=2, lease=3)
    report = services.report_request(actor=leader, campaign=campaign)
    wait_for(
        "the worker to start the report",
        lambda: Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).exists(),
        BUILD_TIMEOUT,
        slow.logs,
    )
    idle = workers(lease=3)  # would take the report over if its lease ran out
    leases: list[tuple[Any, Any]] = []

    def sampled() -> Report | None:
        row = Report.objects.get(pk=report.pk)
        if row.status == Report.Status.RUNNING:
            leases.append((timezone.now(), row.lease_until))
        return finished_while_beat_sweeps(report, every=1)()

    done = wait_for("the report to be built", sampled, BUILD_TIMEOUT, lambda: slow.logs() + idle.logs())

    assert (done.attempts, done.progress) == (1, 100)
    assert len(leases) > 20  # sampled over more than three leases' time
    assert all(lease is not None and lease > now for now, lease in leases)
    assert report_files(media_root) == [Path(done.file.path)]


def test_a_request_made_while_redis_is_unreachable_succeeds_and_is_built_once_the_sweep_runs(
    client, leader, campaign, workers, media_root, caplog: Any
):
    client.force_login(leader)

    with broker_unreachable(), caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        started = time.monotonic()
        response = client.post("/reports/request/", {"campaign": campaign.pk})
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert elapsed < 10  # a bounded wait for the broker, never a hung request
    assert any("on_commit()" in record.getMessage() for record in caplog.records)  # publishing did fail
    report = Report.objects.get()
    assert (report.status, report.attempts) == (Report.Status.PENDING, 0)

    # Redis is back: a worker runs, and the sweep finds the request once it is a minute old.
    worker = workers()
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=2))
    sweep.delay()

    done = wait_for("the report to be built", finished(report), BUILD_TIMEOUT, worker.logs)
    assert (done.attempts, done.progress) == (1, 100)
    assert report_files(media_root) == [Path(done.file.path)]
