"""A 协办单位 (a testing institute such as 巫山检测所) reads the inspections it joined as the technical
unit, with their instruments and check results (scoped by InspectionRecord.joint_unit, see
organizations.access); it adds and changes none."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.COOPERATOR: [
                "inspections.view_inspectionrecord",
                "inspections.view_inspectedinstrument",
                "inspections.view_instrumentcheck",
                "inspections.view_checkitem",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0006_seed_check_items_and_permissions"),
        ("organizations", "0007_cooperator_scope_permission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
