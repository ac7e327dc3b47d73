"""The report schedules the data migration made: weekly on Friday 17:00, the final check, the sweep."""

from __future__ import annotations

import datetime as dt

from django_celery_beat.models import IntervalSchedule, PeriodicTask


def crontab_of(task_name: str):
    return PeriodicTask.objects.select_related("crontab").get(task=task_name)


def test_the_weekly_report_is_scheduled_on_friday_at_five_pm_shanghai_time(db):
    task = crontab_of("reports.schedule_weekly")

    assert task.name == "每周汇总报表（周五17:00）"
    assert task.enabled
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year) == (
        "0",
        "17",
        "5",
        "*",
        "*",
    )
    assert str(cron.timezone) == "Asia/Shanghai"
    # cron counts weekdays from Sunday = 0: 5 is a Friday (23 May 2025 was one).
    assert cron.schedule.day_of_week == {int(dt.date(2025, 5, 23).strftime("%w"))}


def test_the_final_report_is_checked_for_every_evening_at_six(db):
    task = crontab_of("reports.schedule_final")

    assert task.name == "活动结束总结报表（每日18:00检查）"
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week) == ("0", "18", "*")
    assert str(cron.timezone) == "Asia/Shanghai"


def test_the_report_sweep_runs_every_fifteen_seconds(db):
    # With the 30-second lease, a killed worker's report is taken over within 45 seconds.
    task = PeriodicTask.objects.select_related("interval").get(task="reports.sweep")

    assert task.name == "补做未完成的报表（每15秒）"
    assert (task.interval.every, task.interval.period) == (15, IntervalSchedule.SECONDS)
    assert task.enabled
