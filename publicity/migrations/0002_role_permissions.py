"""The bureau runs everything; offices record their own activities and news; leadership reads.

The 舆情 models were granted here too while they lived in publicity; they moved to opinion, whose
migration 0003 grants them (so that re-running this migration on today's models still works).
"""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

MODELS = ["publicityactivity", "newsitem", "adoption"]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in MODELS
                for perm in model_permissions("publicity", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: [f"publicity.view_{model}" for model in MODELS],
            Role.OFFICE: [
                *model_permissions("publicity", "publicityactivity", ["add", "change", "view"]),
                *model_permissions("publicity", "newsitem", ["add", "change", "view"]),
                # Offices read their items' adoptions; the bureau records them.
                "publicity.view_adoption",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0001_publicity_news_and_opinion"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
