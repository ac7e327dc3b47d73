"""Who reads the scan log in the admin (read-only there: instruments.services.scan_log alone writes it).

The bureau admin, leadership and the offices (their own units' instruments, through the admin's unit
scoping) may view it, as they view ratings and problem reports; nobody is given add, change or delete.
"""

from django.db import migrations

from organizations.roles import Role, grant_permissions

VIEW_SCANS = ["instruments.view_instrumentscan"]


def grant(apps, schema_editor):
    grant_permissions(apps, {Role.BUREAU_ADMIN: VIEW_SCANS, Role.LEADER: VIEW_SCANS, Role.OFFICE: VIEW_SCANS})


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0003_instrument_scans"),
        ("organizations", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
