"""The report sweep runs every 15 seconds (it was every minute): with the 30-second lease, a report whose
worker was killed is taken over within 45 seconds. The sweep is one indexed query when nothing is due.
An interval an administrator has already changed is left alone."""

from django.db import migrations

OLD_NAME, NEW_NAME = "补做未完成的报表（每分钟）", "补做未完成的报表（每15秒）"


def _move(apps, *, name, every, to_name, to_every):
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    interval_schedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    task = periodic_task.objects.filter(
        task="reports.sweep", name=name, interval__every=every, interval__period="seconds"
    ).first()
    if task is None:
        return
    task.interval, _ = interval_schedule.objects.get_or_create(every=to_every, period="seconds")
    task.name = to_name
    task.save(update_fields=["interval", "name"])


def forwards(apps, schema_editor):
    _move(apps, name=OLD_NAME, every=60, to_name=NEW_NAME, to_every=15)


def backwards(apps, schema_editor):
    _move(apps, name=NEW_NAME, every=15, to_name=OLD_NAME, to_every=60)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_failure_reason"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
