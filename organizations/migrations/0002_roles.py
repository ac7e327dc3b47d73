"""The four roles of DESIGN.md as groups, with their permissions on units and users."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def create_roles(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: [
                "organizations.view_all_units",
                *model_permissions("organizations", "unit", ["add", "change", "view"]),
                *model_permissions("organizations", "user", ["add", "change", "view"]),
            ],
            Role.LEADER: ["organizations.view_all_units", "organizations.view_unit"],
            Role.OFFICE: ["organizations.view_unit"],
            Role.COOPERATOR: ["organizations.view_unit"],
        },
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[role.value for role in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_units_and_users"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
