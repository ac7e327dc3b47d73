"""The 舆情 deadline job's task moved with its app: point the beat row (admin edits kept) at the new name."""

from django.db import migrations

OLD, NEW = "publicity.opinion_deadline_alerts", "opinion.deadline_alerts"


def rename(apps, schema_editor):
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    periodic_task.objects.filter(task=OLD).update(task=NEW)


def rename_back(apps, schema_editor):
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    periodic_task.objects.filter(task=NEW).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("opinion", "0001_incidents_and_levels_move_from_publicity"),
        ("publicity", "0004_deadline_alert_schedule"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
