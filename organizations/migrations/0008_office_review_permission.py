"""Offices review what others enter for them: their volunteers' acts and the entries of 协办单位
accounts at the stations they supervise (records.services.OFFICE_REVIEWED)."""

from django.db import migrations

from organizations.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, {Role.OFFICE: ["organizations.review_supervised_entries"]})


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0007_cooperator_scope_permission"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="unit",
            options={
                "ordering": ["sort_order", "name"],
                "permissions": [
                    ("view_all_units", "可查看全部单位的数据"),
                    ("view_full_phone", "可查看完整的个人电话号码"),
                    ("scope_as_cooperator", "按承建微站查看和填报（协办单位）"),
                    ("review_supervised_entries", "可审核本所监管的宣传员和协办单位填报的记录"),
                ],
                "verbose_name": "单位",
                "verbose_name_plural": "单位",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
