from django.db import migrations

from notifications.schedules import ensure_periodic_task


def schedule(apps, schema_editor):
    ensure_periodic_task(apps, name="补发未完成的提醒（每5分钟）", task="notifications.sweep", every_seconds=300)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_inbox_webhooks_digests"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
