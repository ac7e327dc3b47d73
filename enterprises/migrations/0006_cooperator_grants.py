"""协办单位 accounts (e.g. 巫山检测所) read the SME visits they supported as technical partner and the
problems raised on them (scoped by EnterpriseVisit.technical_partner, see organizations.access)."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {Role.COOPERATOR: ["enterprises.view_enterprisevisit", "enterprises.view_metrologyproblem"]},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0005_integrity_permissions"),
        ("organizations", "0007_cooperator_scope_permission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
