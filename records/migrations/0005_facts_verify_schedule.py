"""Beat checks the precomputed official figures against a recount every night (records.tasks)."""

from django.db import migrations

from notifications.schedules import ensure_periodic_task


def forwards(apps, schema_editor):
    ensure_periodic_task(
        apps,
        name="统计事实核对（每日03:30，与记录重新统计比对并修复）",
        task="records.facts_verify",
        crontab={"minute": "30", "hour": "3"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_precomputed_facts"),
        ("notifications", "0002_beat_schedule"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
