"""The 舆情 levels and the roles' permissions on them, now that they live in opinion.

On a database migrated before the move both already exist (publicity 0002/0003 made them, and the
content types followed the models); this makes them on today's models too, and changes nothing else.
"""

import importlib

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

MODELS = ["opinionlevel", "opinionincident"]


def seed_levels(apps, schema_editor):
    publicity_levels = importlib.import_module("publicity.migrations.0003_opinion_levels")
    publicity_levels.seed(apps, schema_editor, app_label="opinion")


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in MODELS
                for perm in model_permissions("opinion", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: [f"opinion.view_{model}" for model in MODELS],
            Role.OFFICE: [
                *model_permissions("opinion", "opinionincident", ["add", "change", "view"]),
                # Offices read the levels' clocks; the bureau sets them.
                "opinion.view_opinionlevel",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("opinion", "0002_deadline_alerts_task_name")]

    operations = [
        migrations.RunPython(seed_levels, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
