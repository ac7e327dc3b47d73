"""协办单位 accounts log and edit the activities of the stations their unit hosts (scoped by
MicroStation.host_unit, see organizations.access); the bureau reviews them like any record."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {Role.COOPERATOR: model_permissions("microstations", "stationactivity", ["add", "change", "view"])},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("microstations", "0005_reach_grants"),
        ("organizations", "0007_cooperator_scope_permission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
