"""A list's figures line reads one record type's cells (records.lists.list_facts): an index on the
type, so that it does not scan every type's cells (issue 14 list budget)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0005_facts_verify_schedule")]

    operations = [
        migrations.AddIndex(
            model_name="fact",
            index=models.Index(fields=["record_type", "campaign", "day"], name="fact_type_campaign_day"),
        ),
    ]
