from django.db import migrations

from notifications.schedules import ensure_periodic_task


def schedule(apps, schema_editor):
    ensure_periodic_task(
        apps,
        name="每日任务提醒（08:30）",
        task="campaigns.send_daily_reminders",
        crontab={"minute": "30", "hour": "8"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_reminder_settings"),
        ("notifications", "0002_beat_schedule"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
