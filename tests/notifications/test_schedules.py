"""Beat schedules are rows the data migrations made (editable in the admin under 周期任务)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from notifications.schedules import ensure_periodic_task
from tests.clock import SHANGHAI, local
from wushan_metrology.celery import app as celery_app


def test_daily_reminders_run_at_half_past_eight_shanghai_time(db):
    task = PeriodicTask.objects.select_related("crontab").get(task="campaigns.send_daily_reminders")

    assert task.name == "每日任务提醒（08:30）"
    assert task.enabled
    crontab = task.crontab
    assert (
        crontab.minute,
        crontab.hour,
        crontab.day_of_week,
        crontab.day_of_month,
        crontab.month_of_year,
    ) == (
        "30",
        "8",
        "*",
        "*",
        "*",
    )
    assert str(crontab.timezone) == "Asia/Shanghai"


def test_the_notification_sweep_runs_every_five_minutes(db):
    task = PeriodicTask.objects.select_related("interval").get(task="notifications.sweep")

    assert task.name == "补发未完成的提醒（每5分钟）"
    assert (task.interval.every, task.interval.period) == (300, IntervalSchedule.SECONDS)
    assert task.enabled


def test_every_scheduled_task_is_a_registered_celery_task(db):
    celery_app.loader.import_default_modules()
    scheduled = set(
        PeriodicTask.objects.exclude(task="celery.backend_cleanup").values_list("task", flat=True)
    )

    assert scheduled >= {
        "campaigns.send_daily_reminders",
        "notifications.sweep",
        "reports.sweep",
        "reports.schedule_weekly",
        "reports.schedule_final",
    }
    assert scheduled <= set(celery_app.tasks)


def test_seeding_a_schedule_again_keeps_the_admins_edits(db):
    task = PeriodicTask.objects.get(task="campaigns.send_daily_reminders")
    earlier = CrontabSchedule.objects.create(minute="0", hour="7", timezone="Asia/Shanghai")
    task.crontab = earlier
    task.enabled = False
    task.save()

    ensure_periodic_task(
        apps, name=task.name, task="campaigns.send_daily_reminders", crontab={"minute": "30", "hour": "8"}
    )

    task.refresh_from_db()
    assert (task.crontab_id, task.enabled) == (earlier.pk, False)
    assert PeriodicTask.objects.filter(task="campaigns.send_daily_reminders").count() == 1


def test_seeding_a_missing_schedule_creates_it_with_its_arguments(db):
    ensure_periodic_task(apps, name="测试任务", task="notifications.sweep", every_seconds=42, kwargs={"x": 1})

    task = PeriodicTask.objects.select_related("interval").get(name="测试任务")
    assert (task.task, task.interval.every, json.loads(task.kwargs)) == ("notifications.sweep", 42, {"x": 1})


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (dt.datetime(2025, 5, 20, 8, 29, 59, tzinfo=SHANGHAI), False),
        ("reminder time on 20 May", True),
    ],
    ids=["08:29:59", "08:30:00"],
)
def test_beat_finds_the_daily_reminders_due_at_half_past_eight_in_shanghai(db, campaign_clock, moment, due):
    task = PeriodicTask.objects.select_related("crontab").get(task="campaigns.send_daily_reminders")
    schedule = task.crontab.schedule
    yesterday = local("reminder time on 20 May") - dt.timedelta(days=1)
    campaign_clock.travel(moment)

    assert schedule.is_due(yesterday).is_due is due
