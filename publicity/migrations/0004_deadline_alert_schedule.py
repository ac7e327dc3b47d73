from django.db import migrations

from notifications.schedules import ensure_periodic_task


def schedule(apps, schema_editor):
    ensure_periodic_task(
        apps,
        name="舆情报告时限检查（每15分钟）",
        task="publicity.opinion_deadline_alerts",
        crontab={"minute": "*/15", "hour": "*"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0003_opinion_levels"),
        ("notifications", "0002_beat_schedule"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
