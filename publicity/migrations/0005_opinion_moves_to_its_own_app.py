"""舆情 (levels, incidents and their history) now lives in opinion/: state only, the tables stay
(opinion 0001 takes them over under their old names)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0004_deadline_alert_schedule"),
        ("opinion", "0001_incidents_and_levels_move_from_publicity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="historicalopinionlevel",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="opinionincident",
                    name="campaign",
                ),
                migrations.RemoveField(
                    model_name="opinionincident",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="opinionincident",
                    name="handling_unit",
                ),
                migrations.RemoveField(
                    model_name="opinionincident",
                    name="level",
                ),
                migrations.DeleteModel(
                    name="HistoricalOpinionIncident",
                ),
                migrations.DeleteModel(
                    name="HistoricalOpinionLevel",
                ),
                migrations.DeleteModel(
                    name="OpinionIncident",
                ),
                migrations.DeleteModel(
                    name="OpinionLevel",
                ),
            ],
            database_operations=[],
        ),
    ]
