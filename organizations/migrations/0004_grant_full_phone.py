"""Only the bureau admin sees personal phone numbers whole; everyone else sees them masked."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, {Role.BUREAU_ADMIN: ["organizations.view_full_phone"]})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_full_phone_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
