"""The bureau admin reviews what the offices submit.

Reading the review log was granted here too while ReviewLog lived in campaigns; it moved to records,
whose migration 0003 grants it (so that re-running this migration on today's models still works).
"""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["campaigns.review_submissions"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_review_log_and_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
