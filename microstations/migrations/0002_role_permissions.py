"""Stations are set up by the bureau; offices log activities at the stations they supervise."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    everything = [
        *model_permissions("microstations", "microstation", ["add", "change", "delete", "view"]),
        *model_permissions("microstations", "stationactivity", ["add", "change", "delete", "view"]),
    ]
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: everything,
            Role.LEADER: ["microstations.view_microstation", "microstations.view_stationactivity"],
            Role.OFFICE: [
                "microstations.view_microstation",
                *model_permissions("microstations", "stationactivity", ["add", "change", "view"]),
            ],
            Role.COOPERATOR: ["microstations.view_microstation"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("microstations", "0001_stations_and_activities"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
