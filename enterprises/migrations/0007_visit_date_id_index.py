"""The visit list's order (newest first) read from an index by whoever sees every unit (issue 14 list
budget)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0006_cooperator_grants")]

    operations = [
        migrations.AddIndex(
            model_name="enterprisevisit",
            index=models.Index(fields=["date", "id"], name="enterprisevisit_date_id"),
        ),
    ]
