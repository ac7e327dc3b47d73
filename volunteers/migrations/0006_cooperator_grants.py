"""协办单位 accounts keep the volunteers of the stations their unit hosts and read their acts (scoped by
MicroStation.host_unit, see organizations.access); the supervising office reviews the acts."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.COOPERATOR: model_permissions("volunteers", "volunteer", ["add", "change", "view"])
            + model_permissions("volunteers", "volunteeract", ["view"])
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0005_volunteer_number"),
        ("organizations", "0008_office_review_permission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
