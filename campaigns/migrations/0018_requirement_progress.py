"""工作要求 progress, reported by the owning unit's staff: the field, the items already confirmed as
met, and the permission to report (offices and the bureau admin; leadership reads)."""

from django.db import migrations, models

from organizations.roles import Role, grant_permissions


def met_items_are_met(apps, schema_editor):
    apps.get_model("campaigns", "WorkRequirement").objects.filter(met_at__isnull=False).update(progress="met")


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["campaigns.view_workrequirement", "campaigns.change_workrequirement"],
            Role.OFFICE: ["campaigns.view_workrequirement", "campaigns.change_workrequirement"],
            Role.LEADER: ["campaigns.view_workrequirement"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0017_import_job_receipt_counts"),
        ("organizations", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalworkrequirement",
            name="progress",
            field=models.CharField(
                choices=[("not_started", "未开始"), ("in_progress", "推进中"), ("met", "已落实")],
                default="not_started",
                max_length=20,
                verbose_name="进展",
            ),
        ),
        migrations.AddField(
            model_name="workrequirement",
            name="progress",
            field=models.CharField(
                choices=[("not_started", "未开始"), ("in_progress", "推进中"), ("met", "已落实")],
                default="not_started",
                max_length=20,
                verbose_name="进展",
            ),
        ),
        migrations.RunPython(met_items_are_met, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
