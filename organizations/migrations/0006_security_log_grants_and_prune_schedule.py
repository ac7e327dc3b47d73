"""The bureau admin browses the security log; beat prunes it daily (03:30 Asia/Shanghai)."""

import json

from django.db import migrations

from organizations.roles import Role, grant_permissions

PRUNE_TASK_NAME = "每日清理过期安全日志（03:30）"


def grant(apps, schema_editor):
    grant_permissions(apps, {Role.BUREAU_ADMIN: ["organizations.view_securityevent"]})


def schedule(apps, schema_editor):
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    if periodic_task.objects.filter(name=PRUNE_TASK_NAME).exists():
        return  # an admin's later edits are kept
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = crontab_model.objects.get_or_create(
        timezone="Asia/Shanghai",
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
    )
    periodic_task.objects.create(
        name=PRUNE_TASK_NAME,
        task="organizations.prune_security_events",
        kwargs=json.dumps({}),
        crontab=crontab,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_security_log_and_history"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
