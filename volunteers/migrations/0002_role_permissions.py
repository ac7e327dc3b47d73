"""Offices register volunteers for the stations they supervise; leadership reads."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: model_permissions("volunteers", "volunteer", ["add", "change", "delete", "view"]),
            Role.LEADER: ["volunteers.view_volunteer"],
            Role.OFFICE: model_permissions("volunteers", "volunteer", ["add", "change", "view"]),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_volunteers"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
