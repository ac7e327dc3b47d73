"""The 工作总结's shipped wording as SummaryTemplate rows, so the bureau can edit it in the admin (the
bureau admin may; leadership may read it); only missing keys are added, so a re-run never overwrites
an edit."""

from django.db import migrations

from organizations.roles import Role, grant_permissions
from reports.summary_defaults import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    grant_permissions(
        apps,
        {
            Role.BUREAU_ADMIN: ["reports.view_summarytemplate", "reports.change_summarytemplate"],
            Role.LEADER: ["reports.view_summarytemplate"],
        },
    )
    SummaryTemplate = apps.get_model("reports", "SummaryTemplate")
    for order, (key, heading, text) in enumerate(DEFAULT_TEMPLATES, start=1):
        SummaryTemplate.objects.get_or_create(
            key=key, defaults={"heading": heading, "text": text, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_unit_format_and_summary_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
