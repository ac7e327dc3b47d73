"""Who keeps the register, and the daily owner reminders (08:40 Asia/Shanghai, after the units' digest).

Offices keep their own unit's register, contacts and leads; a 协办单位 (a market operator) keeps its
market's scale ledger, reviewed by the supervising office; leadership reads everything; the bureau
admin does everything, including the market-account settings.
"""

from django.db import migrations

from notifications.schedules import ensure_periodic_task
from organizations.roles import Role, grant_permissions, model_permissions

REMINDER_TASK_NAME = "每日器具到期提醒（使用单位）"
MODELS = [
    "registeredinstrument",
    "ownercontact",
    "ownerreminder",
    "instrumentrating",
    "problemreport",
    "inspectionlead",
    "marketledger",
]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in MODELS
                for perm in model_permissions("instruments", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: [f"instruments.view_{model}" for model in MODELS],
            Role.OFFICE: [
                *model_permissions("instruments", "registeredinstrument", ["add", "change", "view"]),
                *model_permissions("instruments", "ownercontact", ["add", "change", "view"]),
                *model_permissions("instruments", "inspectionlead", ["add", "change", "view"]),
                "instruments.view_ownerreminder",
                "instruments.view_problemreport",
                "instruments.view_instrumentrating",
            ],
            Role.COOPERATOR: [
                *model_permissions("instruments", "registeredinstrument", ["add", "change", "view"]),
            ],
        },
    )


def schedule(apps, schema_editor):
    ensure_periodic_task(
        apps,
        name=REMINDER_TASK_NAME,
        task="instruments.send_owner_reminders",
        crontab={"minute": "40", "hour": "8"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0001_register"),
        ("organizations", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
