"""The station activities' precomputed figures (records.Fact) split by station: StationActivity.fact_key
is now its station's id, so the cells stored under key "" are replaced by a recount of the approved
activities with the new key. The rule is frozen here as it stands (count, people_reached,
materials_distributed; the record's date, its unit), as records.facts.facts_of applies it."""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations

LABEL = "microstations.stationactivity"
SUMMED = ("people_reached", "materials_distributed")


def _replace_cells(Fact, cells):
    """Replace the station activities' cells by `cells`: {(campaign, unit, day, metric, key): value}."""
    Fact.objects.filter(record_type=LABEL).delete()
    Fact.objects.bulk_create(
        [
            Fact(
                campaign_id=campaign,
                unit_id=unit,
                day=day,
                record_type=LABEL,
                metric=metric,
                key=key,
                value=value,
            )
            for (campaign, unit, day, metric, key), value in cells.items()
            if value
        ],
        batch_size=2000,
    )


def split_by_station(apps, schema_editor):
    Fact = apps.get_model("records", "Fact")
    StationActivity = apps.get_model("microstations", "StationActivity")
    cells = defaultdict(Decimal)
    rows = (
        StationActivity.objects.filter(review_status="approved")
        .values_list("campaign_id", "unit_id", "date", "station_id", *SUMMED)
        .iterator(chunk_size=2000)
    )
    for campaign, unit, day, station, *summed in rows:
        key = str(station)
        cells[(campaign, unit, day, "count", key)] += 1
        for metric, value in zip(SUMMED, summed, strict=True):
            cells[(campaign, unit, day, metric, key)] += Decimal(value or 0)
    _replace_cells(Fact, cells)


def back_to_one_key(apps, schema_editor):
    Fact = apps.get_model("records", "Fact")
    cells = defaultdict(Decimal)
    rows = Fact.objects.filter(record_type=LABEL).values_list(
        "campaign_id", "unit_id", "day", "metric", "value"
    )
    for campaign, unit, day, metric, value in rows:
        cells[(campaign, unit, day, metric, "")] += value
    _replace_cells(Fact, cells)


class Migration(migrations.Migration):
    dependencies = [
        ("microstations", "0011_station_activity_status_index"),
        ("records", "0008_fact_type_key"),
    ]

    operations = [migrations.RunPython(split_by_station, back_to_one_key)]
