"""The bureau admin reviews what the offices submit; everyone may read the review log."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["campaigns.review_submissions", "campaigns.view_reviewlog"],
            Role.LEADER: ["campaigns.view_reviewlog"],
            Role.OFFICE: ["campaigns.view_reviewlog"],
            Role.COOPERATOR: ["campaigns.view_reviewlog"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_review_log_and_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
