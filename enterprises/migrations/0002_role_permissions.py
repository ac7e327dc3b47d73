"""The registry is shared: every role reads it; offices and the bureau add and change enterprises, and
offices log visits and handle problem tickets for their own unit. 伙伴计划 pairings are the bureau's."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

MODELS = ["enterprise", "enterprisevisit", "metrologyproblem", "partnership"]


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
                *model_permissions("enterprises", "enterprise", ["add", "change", "view"]),
                *model_permissions("enterprises", "enterprisevisit", ["add", "change", "view"]),
                *model_permissions("enterprises", "metrologyproblem", ["add", "change", "view"]),
                "enterprises.view_partnership",
            ],
            Role.COOPERATOR: ["enterprises.view_enterprise", "enterprises.view_partnership"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_registry_visits_problems"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
