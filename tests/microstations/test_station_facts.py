"""A station's approved activities on the station list come from the precomputed figures, split by
station (StationActivity.fact_key): the review services move them, the list reads a few cells per
station whatever the number of activities, and microstations migration 0012 re-keyed the cells that
were stored under one key."""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.db.models import Sum

from records import services as review
from records.facts import facts_recount, facts_stored
from records.models import Fact, ReviewStatus
from tests.microstations.factories import StationActivityFactory

pytestmark = pytest.mark.django_db

LABEL = "microstations.stationactivity"
LIST = "/workbench/microstations/stations/"


def station_cells(campaign) -> dict[str, Decimal]:
    rows = Fact.objects.filter(campaign=campaign, record_type=LABEL, metric="count").values("key")
    return {row["key"]: row["n"] for row in rows.annotate(n=Sum("value"))}


def test_the_services_keep_each_stations_cells_and_the_list_reads_them(
    client, campaign, station_a, station_b, office_a, office_b, bureau_admin
):
    mine = [StationActivityFactory(station=station_a, created_by=office_a) for _ in range(2)]
    theirs = StationActivityFactory(station=station_b, created_by=office_b)
    for activity in [*mine, theirs]:
        review.record_submit(actor=activity.created_by, record=activity)
    for activity in mine:
        review.record_approve(actor=bureau_admin, record=activity)

    assert station_cells(campaign) == {str(station_a.pk): 2}
    assert facts_stored(campaign) == facts_recount(campaign)
    client.force_login(bureau_admin)
    counts = {s.pk: (s.activity_count, s.activity_pending) for s in client.get(LIST).context["stations"]}
    assert counts == {station_a.pk: (2, 0), station_b.pk: (0, 1)}


def test_migration_0012_splits_the_stored_cells_by_station(campaign, station_a, station_b):
    for station, count in ((station_a, 2), (station_b, 1)):
        StationActivityFactory.create_batch(
            count, station=station, review_status=ReviewStatus.APPROVED, people_reached=40
        )
    StationActivityFactory(station=station_b)  # a draft: no figure
    # The cells as they were stored before: every station under key "".
    Fact.objects.all().delete()
    for (campaign_id, unit, day, record_type, metric, _key), value in facts_recount(campaign).items():
        Fact.objects.update_or_create(
            campaign_id=campaign_id,
            unit_id=unit,
            day=day,
            record_type=record_type,
            metric=metric,
            key="",
            defaults={"value": value},
        )
    assert set(station_cells(campaign)) == {""}

    migration = import_module("microstations.migrations.0012_station_activity_facts_by_station")
    migration.split_by_station(apps, None)

    assert station_cells(campaign) == {str(station_a.pk): 2, str(station_b.pk): 1}
    assert facts_stored(campaign) == facts_recount(campaign)
    # And back: one key again, the same totals.
    migration.back_to_one_key(apps, None)
    assert station_cells(campaign) == {"": 3}
