"""What each role may do with campaigns, targets, tasks and assignments."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions

MODELS = ["campaign", "workstream", "target", "task", "taskparty", "taskassignment"]


def grant(apps, schema_editor):
    view_all = [perm for model in MODELS for perm in model_permissions("campaigns", model, ["view"])]
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                perm
                for model in MODELS
                for perm in model_permissions("campaigns", model, ["add", "change", "delete", "view"])
            ],
            Role.LEADER: view_all,
            Role.OFFICE: [*view_all, "campaigns.change_taskassignment"],
            Role.COOPERATOR: view_all,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_campaigns_and_tasks"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
