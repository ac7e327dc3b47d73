"""ReviewLog moved to the records app; its table stays (records.ReviewLog keeps db_table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0007_beat_schedule")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReviewLog")],
            database_operations=[],
        )
    ]
