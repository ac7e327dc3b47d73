"""The registry's per-enterprise counts of approved and pending visits, read from an index (issue 14
list budget)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0007_visit_date_id_index")]

    operations = [
        migrations.AddIndex(
            model_name="enterprisevisit",
            index=models.Index(
                fields=["enterprise", "review_status", "unit"], name="enterprisevisit_ent_status"
            ),
        ),
    ]
