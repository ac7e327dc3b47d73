"""What each role may do with Photo rows directly (the admin). Attaching and removing photos of a
record is decided by the record's own permissions and unit, in evidence.services."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: model_permissions("evidence", "photo", ["view", "change", "delete"]),
            Role.LEADER: ["evidence.view_photo"],
            Role.OFFICE: ["evidence.view_photo"],
            Role.COOPERATOR: ["evidence.view_photo"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_photos"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
