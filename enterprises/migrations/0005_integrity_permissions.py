"""诚信计量: offices record commitments and list entries for their own unit (and end their entries);
leadership reads them; the bureau does everything. Cooperating units have no part in it."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

MODELS = ["integritycommitment", "integrityentry"]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in MODELS
                for perm in model_permissions("enterprises", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: [f"enterprises.view_{model}" for model in MODELS],
            Role.OFFICE: [
                perm
                for model in MODELS
                for perm in model_permissions("enterprises", model, ["add", "change", "view"])
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_integrity_commitments_and_lists"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
