"""The bureau admin manages the units' group robots and reads the sending log."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                *model_permissions("notifications", "unitwebhook", ["add", "change", "delete", "view"]),
                "notifications.view_digest",
                "notifications.view_delivery",
                "notifications.view_notification",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_beat_schedule"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
