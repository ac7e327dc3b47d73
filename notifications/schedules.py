"""Beat schedules are data (editable in the admin under 周期任务); apps create theirs in data migrations."""

from __future__ import annotations

import json
from typing import Any


def ensure_periodic_task(
    apps: Any,
    *,
    name: str,
    task: str,
    crontab: dict[str, str] | None = None,
    every_seconds: int | None = None,
    kwargs: dict[str, Any] | None = None,
) -> None:
    """Create the periodic task if it is missing; an admin's later edits are kept."""
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    if periodic_task.objects.filter(name=name).exists():
        return
    schedule: dict[str, Any] = {}
    if crontab is not None:
        crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
        values = {
            "minute": "0",
            "hour": "*",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            **crontab,
        }
        schedule["crontab"], _ = crontab_model.objects.get_or_create(timezone="Asia/Shanghai", **values)
    else:
        interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
        schedule["interval"], _ = interval_model.objects.get_or_create(every=every_seconds, period="seconds")
    periodic_task.objects.create(name=name, task=task, kwargs=json.dumps(kwargs or {}), **schedule)
