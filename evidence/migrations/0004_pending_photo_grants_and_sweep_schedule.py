"""Who may upload photos ahead of a form (those who may record anything), and the hourly sweep that
removes pending photos past their expiry."""

import json

from django.db import migrations

from organizations.roles import Role, grant_permissions

SWEEP_TASK_NAME = "每小时清理过期的待保存照片"


def grant(apps, schema_editor):
    upload = ["evidence.add_pendingphoto"]
    grant_permissions(apps, {Role.BUREAU_ADMIN: upload, Role.OFFICE: upload, Role.COOPERATOR: upload})


def schedule(apps, schema_editor):
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    if periodic_task.objects.filter(name=SWEEP_TASK_NAME).exists():
        return  # an admin's later edits are kept
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = crontab_model.objects.get_or_create(
        timezone="Asia/Shanghai", minute="17", hour="*", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    periodic_task.objects.create(
        name=SWEEP_TASK_NAME, task="evidence.sweep_pending_photos", kwargs=json.dumps({}), crontab=crontab
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0003_pending_photos"),
        ("organizations", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
