"""Everyone may read the review log (granted in campaigns 0004 while ReviewLog lived there)."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["records.view_reviewlog"],
            Role.LEADER: ["records.view_reviewlog"],
            Role.OFFICE: ["records.view_reviewlog"],
            Role.COOPERATOR: ["records.view_reviewlog"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("records", "0002_submission_keys")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
