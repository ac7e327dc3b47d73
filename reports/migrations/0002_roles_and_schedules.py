"""Leadership and the bureau admin request and download reports; beat builds the scheduled ones."""

from django.db import migrations

from notifications.schedules import ensure_periodic_task
from organizations.roles import Role, grant_permissions


def forwards(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["reports.add_report", "reports.view_report", "reports.change_report"],
            Role.LEADER: ["reports.add_report", "reports.view_report"],
        },
    )
    ensure_periodic_task(apps, name="补做未完成的报表（每分钟）", task="reports.sweep", every_seconds=60)
    ensure_periodic_task(
        apps,
        name="每周汇总报表（周五17:00）",
        task="reports.schedule_weekly",
        crontab={"minute": "0", "hour": "17", "day_of_week": "5"},
    )
    ensure_periodic_task(
        apps, name="活动结束总结报表（每日18:00检查）", task="reports.schedule_final", crontab={"minute": "0", "hour": "18"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_reports"),
        ("organizations", "0002_roles"),
        ("notifications", "0002_beat_schedule"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
