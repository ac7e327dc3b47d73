"""Who reads the public pages' reach counters (they are written only by the public pages)."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["microstations.view_stationreach"],
            Role.LEADER: ["microstations.view_stationreach"],
            Role.OFFICE: ["microstations.view_stationreach"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("microstations", "0004_public_page_fields_and_reach"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
