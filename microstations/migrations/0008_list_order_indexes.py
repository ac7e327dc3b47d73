"""The lists' order (newest first) read from an index by whoever sees every unit (issue 14 list budget)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("microstations", "0007_activity_cost")]

    operations = [
        migrations.AddIndex(
            model_name="stationactivity",
            index=models.Index(fields=["date", "id"], name="stationactivity_date_id"),
        ),
    ]
