"""Beat re-queues import jobs whose worker died or whose message was lost (campaigns.sweep_import_jobs)."""

from django.db import migrations

from notifications.schedules import ensure_periodic_task


def forwards(apps, schema_editor):
    ensure_periodic_task(
        apps, name="补做未完成的导入任务（每分钟）", task="campaigns.sweep_import_jobs", every_seconds=60
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0010_import_jobs"),
        ("notifications", "0002_beat_schedule"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
