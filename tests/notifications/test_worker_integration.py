"""Every periodic notification task run by a real Celery worker process on Redis, against PostgreSQL.

The daily reminders, digest delivery with its sweep, and the 舆情 deadline alerts: each is sent to the
broker as beat sends it (the task name and arguments of its schedule row, serialised as JSON) or queued
after commit as the app queues it, and a worker started from the project's own `celery` runs it. The
worker reads the real clock, not the campaign clock, so the data here is dated relative to now.

Same mechanism and rules as tests/reports/test_worker_integration.py: skipped without PostgreSQL and
Redis, failing instead where EXPECT_BROKER=redis; every wait is bounded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from campaigns import reminders, tasks
from campaigns.models import TaskAssignment
from notifications.models import Delivery, Digest, Notification, UnitWebhook
from notifications.services import digest_create
from opinion.alerts import KIND as OPINION_KIND
from opinion.models import OpinionLevel
from tests.celery_fixtures import broker_unreachable
from tests.data_migrations import rerun_data_migrations
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory
from tests.notifications.robots import FakeRobot
from tests.opinion.factories import OpinionIncidentFactory, level
from tests.reports.test_worker_integration import Worker, wait_for
from wushan_metrology.celery import app as celery_app

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REDIS_URL = os.environ.get("REDIS_URL", "")
MISSING = [
    reason
    for present, reason in ((POSTGRES, "DATABASE_URL is not PostgreSQL"), (REDIS_URL, "REDIS_URL is not set"))
    if not present
]
REQUIRED = os.environ.get("EXPECT_BROKER") == "redis"
TASK_TIMEOUT = 60
Status = TaskAssignment.Status

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason="; ".join(MISSING)),
]


@pytest.fixture(autouse=True)
def _eager() -> None:
    """Tasks go through the real broker here (this replaces the eager fixture of the notifications conftest)."""


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
def worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    """One worker (`--pool=solo`), stopped before the database is flushed. E-mail goes to its log."""
    started = Worker(tmp_path / "worker.log", tmp_path / "media")
    started.env["EMAIL_URL"] = "consolemail://"
    yield started.start()
    started.kill(signal.SIGTERM)


def send_as_beat(task: str) -> None:
    """What beat sends when the task's schedule row is due: its name, args and kwargs, to the broker."""
    row = PeriodicTask.objects.get(task=task, enabled=True)
    celery_app.send_task(row.task, args=json.loads(row.args), kwargs=json.loads(row.kwargs))


def succeeded(worker: Worker, task: str, times: int) -> Callable[[], bool]:
    """The worker has logged `times` successful runs of `task` (a failure or retry is no success)."""
    pattern = re.compile(rf"Task {re.escape(task)}\[[0-9a-f-]+\] succeeded")
    return lambda: len(pattern.findall(worker.logs())) >= times


def inbox(user: Any) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", "body"))


def mailed_to(worker: Worker) -> list[str]:
    """Recipients of the e-mails the worker's console backend printed."""
    return re.findall(r"^To: (\S+)$", worker.logs(), flags=re.MULTILINE)


# --- Daily reminders (campaigns.send_daily_reminders) ------------------------------------------------


def test_the_daily_reminder_beat_sends_reaches_each_units_inbox_and_mail_once_through_a_worker(
    worker, unit_a, unit_b, office_a, office_b
):
    # Open dates cover whatever day the worker's clock says; an unacknowledged undated task is a reason
    # for a digest on any day.
    campaign = CampaignFactory(year=2025, start_date=None, end_date=None)
    TaskAssignmentFactory(unit=unit_a, task=TaskFactory(campaign=campaign, title="甲所长期宣传工作"))
    TaskAssignmentFactory(unit=unit_b, task=TaskFactory(campaign=campaign, title="乙所长期宣传工作"))
    before = timezone.localdate()

    send_as_beat("campaigns.send_daily_reminders")
    wait_for(
        "the reminders to reach both inboxes",
        lambda: Notification.objects.filter(recipient__in=[office_a, office_b]).count() == 2,
        TASK_TIMEOUT,
        worker.logs,
    )
    send_as_beat("campaigns.send_daily_reminders")  # a second beat tick the same day
    wait_for(
        "the second run to finish",
        succeeded(worker, "campaigns.send_daily_reminders", 2),
        TASK_TIMEOUT,
        worker.logs,
    )
    wait_for(
        "every delivery to finish",
        lambda: not Digest.objects.exclude(status=Digest.Status.DONE).exists(),
        TASK_TIMEOUT,
        worker.logs,
    )

    digest_a = Digest.objects.get(unit=unit_a)
    day = digest_a.day
    assert day in {before, timezone.localdate()}  # the worker's Shanghai date, whichever side of midnight
    assert inbox(office_a) == [
        (f"{day:%m月%d日} 任务提醒：甲地市场监管所", "【尚未签收】\n· 甲所长期宣传工作")
    ]
    assert inbox(office_b) == [
        (f"{day:%m月%d日} 任务提醒：乙地市场监管所", "【尚未签收】\n· 乙所长期宣传工作")
    ]
    assert Digest.objects.filter(kind=reminders.DAILY_KIND).count() == 2
    assert set(Delivery.objects.values_list("channel", "status")) == {("inbox", "sent"), ("email", "sent")}
    assert sorted(mailed_to(worker)) == sorted([office_a.email, office_b.email])


def test_reminders_for_a_given_day_are_serialised_to_the_worker_and_escalate_to_leadership(
    worker, unit_a, office_a, leader
):
    campaign = CampaignFactory(
        year=2025,
        start_date=dt.date(2025, 4, 25),
        end_date=dt.date(2025, 6, 30),
        reminder_days_ahead=3,
        escalation_days=2,
    )
    TaskAssignmentFactory(
        unit=unit_a,
        status=Status.ACKNOWLEDGED,
        task=TaskFactory(campaign=campaign, title="开展专项检查", due_date=dt.date(2025, 5, 17)),
    )
    TaskAssignmentFactory(
        unit=unit_a,
        status=Status.ACKNOWLEDGED,
        task=TaskFactory(campaign=campaign, title="建设计量微站", due_date=dt.date(2025, 5, 23)),
    )

    tasks.send_daily_reminders.delay("2025-05-20")

    wait_for(
        "the digest and the escalation to be delivered",
        lambda: Digest.objects.filter(status=Digest.Status.DONE).count() == 2,
        TASK_TIMEOUT,
        worker.logs,
    )
    assert inbox(office_a) == [
        (
            "05月20日 任务提醒：甲地市场监管所",
            "【即将到期】\n· 建设计量微站（2025-05-23，3 天后到期）\n\n【已逾期】\n· 开展专项检查（2025-05-17，逾期 3 天）",
        )
    ]
    assert inbox(leader) == [
        ("05月20日 逾期任务升级提醒（1 项）", "· 甲地市场监管所：开展专项检查（2025-05-17，逾期 3 天）")
    ]
    assert set(Digest.objects.values_list("day", flat=True)) == {dt.date(2025, 5, 20)}


# --- Digest delivery (notifications.deliver_digest, notifications.sweep) -----------------------------


@pytest.fixture
def robot() -> Iterator[FakeRobot]:
    server = FakeRobot()
    yield server
    server.close()


def make_digest(unit: Any, recipients: list[Any], audience: str = "") -> Digest:
    digest = digest_create(
        kind="daily_reminder",
        audience=audience or f"unit:{unit.pk}",
        day=timezone.localdate(),
        unit=unit,
        subject="任务提醒：甲地市场监管所",
        body="【已逾期】\n· 开展计量专项检查（逾期 2 天）",
        recipients=recipients,
        url="/workbench/",
    )
    assert digest is not None
    return digest


def test_a_digest_queued_after_commit_is_delivered_by_the_worker_to_every_channel(
    worker, unit_a, office_a, robot
):
    UnitWebhook.objects.create(
        unit=unit_a, kind=UnitWebhook.Kind.WECOM, url=robot.url("/cgi-bin/webhook/send")
    )

    digest = make_digest(unit_a, [office_a])  # committed at once: on_commit queues the delivery

    done = wait_for(
        "the digest to be delivered",
        lambda: Digest.objects.filter(pk=digest.pk, status=Digest.Status.DONE).first(),
        TASK_TIMEOUT,
        worker.logs,
    )
    assert done.attempts == 1
    assert set(done.deliveries.values_list("channel", "status")) == {
        ("inbox", "sent"),
        ("email", "sent"),
        ("wecom", "sent"),
    }
    assert inbox(office_a) == [("任务提醒：甲地市场监管所", "【已逾期】\n· 开展计量专项检查（逾期 2 天）")]
    assert mailed_to(worker) == [office_a.email]
    [request] = robot.received  # the worker, another process, posted to the robot
    assert request.payload == {
        "msgtype": "markdown",
        "markdown": {
            "content": "### 任务提醒：甲地市场监管所\n\n【已逾期】\n· 开展计量专项检查（逾期 2 天）"
        },
    }


def test_a_digest_made_while_redis_was_down_is_delivered_once_by_the_sweep_beat_sends(
    worker, unit_a, office_a, robot
):
    UnitWebhook.objects.create(unit=unit_a, kind=UnitWebhook.Kind.WECOM, url=robot.url())
    robot.replies.append((200, {"errcode": 45009, "errmsg": "api freq out of limit"}))
    with broker_unreachable():
        digest = make_digest(unit_a, [office_a])
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.PENDING

    send_as_beat("notifications.sweep")  # Redis is back: the sweep finds it; the robot refuses once
    wait_for(
        "the first delivery to end partly failed",
        lambda: Digest.objects.filter(pk=digest.pk, status=Digest.Status.PARTIAL).exists(),
        TASK_TIMEOUT,
        worker.logs,
    )
    assert inbox(office_a) == [("任务提醒：甲地市场监管所", "【已逾期】\n· 开展计量专项检查（逾期 2 天）")]
    send_as_beat("notifications.sweep")  # the next sweep retries only what failed

    done = wait_for(
        "the digest to be delivered",
        lambda: Digest.objects.filter(pk=digest.pk, status=Digest.Status.DONE).first(),
        TASK_TIMEOUT,
        worker.logs,
    )
    assert done.attempts == 2
    assert len(inbox(office_a)) == 1
    assert mailed_to(worker) == [office_a.email]
    assert len(robot.received) == 2
    assert done.deliveries.get(channel="wecom").attempts == 2


# --- 舆情 deadline alerts (opinion.deadline_alerts) ----------------------------------------------------


def test_the_opinion_deadline_alert_beat_sends_reaches_the_bureau_and_leadership_once_through_a_worker(
    worker, bureau_admin, leader, office_a, unit_a
):
    now = timezone.now()
    # 重大 as the data migrations seed it: reported within 2 hours, leadership alerted too (set here, so
    # as not to depend on what a flush before this test left or the factory made again without the flag).
    major = level("major")
    OpinionLevel.objects.filter(pk=major.pk).update(alert_leadership=True)
    assert major.report_deadline_hours == 2
    late = OpinionIncidentFactory(
        title="网传某加油站加油机作弊",
        level=major,
        handling_unit=unit_a,
        discovered_at=now - dt.timedelta(hours=3),
    )
    OpinionIncidentFactory(  # reported within its two hours
        level=major,
        discovered_at=now - dt.timedelta(hours=3),
        reported_to_county_at=now - dt.timedelta(hours=2, minutes=30),
    )
    OpinionIncidentFactory(level=level("general"), discovered_at=now - dt.timedelta(hours=3))  # 24 h window

    send_as_beat("opinion.deadline_alerts")
    wait_for(
        "the alert to reach the bureau admin and the leader",
        lambda: Notification.objects.filter(recipient__in=[bureau_admin, leader]).count() == 2,
        TASK_TIMEOUT,
        worker.logs,
    )
    send_as_beat("opinion.deadline_alerts")  # the next quarter-hour's run
    wait_for(
        "the second run to finish", succeeded(worker, "opinion.deadline_alerts", 2), TASK_TIMEOUT, worker.logs
    )
    wait_for(
        "every delivery to finish",
        lambda: not Digest.objects.exclude(status=Digest.Status.DONE).exists(),
        TASK_TIMEOUT,
        worker.logs,
    )

    digest = Digest.objects.get(kind=OPINION_KIND)
    assert digest.audience == f"incident:{late.pk}:report"
    subject = "舆情超时未报告：网传某加油站加油机作弊（重大）"
    assert [s for s, _body in inbox(bureau_admin)] == [subject]
    assert [s for s, _body in inbox(leader)] == [subject]
    assert inbox(office_a) == []
    deadline = timezone.localtime(late.discovered_at + dt.timedelta(hours=2))
    assert f"须于 {deadline:%Y-%m-%d %H:%M} 前向县局报告" in inbox(leader)[0][1]
    assert sorted(mailed_to(worker)) == sorted([bureau_admin.email, leader.email])
