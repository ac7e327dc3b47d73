"""协办单位 accounts log and edit the publicity activities held at the stations their unit hosts (scoped
by MicroStation.host_unit, see organizations.access); each belongs to the station's office, which
reviews it (records.services.review_q). News items (信息报送) stay the offices' own."""

from django.db import migrations

from organizations.roles import Role, grant_permissions, model_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {Role.COOPERATOR: model_permissions("publicity", "publicityactivity", ["add", "change", "view"])},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0007_list_order_indexes"),
        ("organizations", "0008_office_review_permission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
