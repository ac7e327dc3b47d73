"""Offices record their own unit's inspections and list instruments on them; the bureau keeps the
instrument types; leadership reads everything."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

MODELS = ["instrumenttype", "inspectionrecord", "inspectedinstrument"]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in MODELS
                for perm in model_permissions("inspections", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: [f"inspections.view_{model}" for model in MODELS],
            Role.OFFICE: [
                "inspections.view_instrumenttype",
                *model_permissions("inspections", "inspectionrecord", ["add", "change", "view"]),
                *model_permissions("inspections", "inspectedinstrument", ["add", "change", "delete", "view"]),
            ],
            Role.COOPERATOR: ["inspections.view_instrumenttype"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_instrument_types"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
