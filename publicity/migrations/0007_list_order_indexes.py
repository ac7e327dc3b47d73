"""The lists' order (newest first) read from an index by whoever sees every unit (issue 14 list budget)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("publicity", "0006_activity_cost")]

    operations = [
        migrations.AddIndex(
            model_name="newsitem",
            index=models.Index(fields=["created_at", "id"], name="newsitem_created_id"),
        ),
        migrations.AddIndex(
            model_name="publicityactivity",
            index=models.Index(fields=["date", "id"], name="publicityactivity_date_id"),
        ),
    ]
