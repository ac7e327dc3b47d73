"""`seed_demo --records N`: a rerun adds only the difference, and the volume is deterministic. The shares,
history and review states of a volume on top of the default demo are in test_seeded_demo.py."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from demo.bulk import SHARES, planner_statistics_refresh
from enterprises.models import EnterpriseVisit
from inspections.models import InspectionRecord
from microstations.models import StationActivity
from publicity.models import NewsItem, PublicityActivity

RECORDS = 600


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-for-tests"


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label_lower: model.objects.count() for model in SHARES}


def snapshot() -> list[tuple]:
    """What identifies the volume in any database: values, never row ids."""
    rows: list[tuple] = []
    rows += InspectionRecord.objects.values_list(
        "domain", "inspected_party__name", "unit__name", "date", "instruments_checked", "review_status"
    )
    rows += StationActivity.objects.values_list("station__name", "date", "people_reached", "review_status")
    rows += PublicityActivity.objects.values_list("title", "date", "participants", "views", "review_status")
    rows += EnterpriseVisit.objects.values_list("enterprise__name", "date", "instruments_serviced")
    rows += NewsItem.objects.values_list("title", "unit__name", "review_status")
    return sorted(rows, key=repr)


def test_a_rerun_adds_nothing_and_a_larger_volume_only_the_difference(demo_mode, db):
    seed_demo("--records", "300")
    first = snapshot()

    assert "bulk: 0 inspections.inspectionrecord, 0 publicity.publicityactivity" in seed_demo(
        "--records", "300"
    )
    assert snapshot() == first

    seed_demo("--records", str(RECORDS))

    assert sum(counts().values()) == RECORDS
    assert set(first) <= set(snapshot())


def seeded_and_rolled_back(*args: str) -> list[tuple]:
    """The volume a load gives, as if in another database: all it wrote is rolled back."""
    with transaction.atomic():
        seed_demo(*args)
        loaded = snapshot()
        transaction.set_rollback(True)
    assert not InspectionRecord.objects.exists()
    return loaded


def test_the_same_seed_gives_the_same_volume_and_another_seed_another(demo_mode, db):
    first = seeded_and_rolled_back("--records", "300", "--seed", "7")
    other = seeded_and_rolled_back("--records", "300", "--seed", "8")

    seed_demo("--records", "300", "--seed", "7")

    assert snapshot() == first
    assert other != first


def test_a_load_leaves_planner_statistics_on_postgresql_and_nothing_elsewhere(demo_mode, db):
    """Autovacuum may be off (it is on the project's machine): seed_demo runs ANALYZE itself after
    loading on PostgreSQL, so the planner knows the tables' sizes (inside this test's transaction
    without VACUUM, which cannot run there); elsewhere it runs nothing."""
    out = seed_demo("--records", "60")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'inspections_inspectionrecord'")
            assert cursor.fetchone()[0] == InspectionRecord.objects.count()
            assert "planner statistics refreshed (ANALYZE)" in out
        else:
            assert "ANALYZE" not in out
            if connection.vendor == "sqlite":
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                assert cursor.fetchone()[0] == 0


def test_outside_a_transaction_the_refresh_also_vacuums_on_postgresql(db):
    """As `make run` seeds (no transaction around it): VACUUM ANALYZE, so the loaded pages are marked
    all-visible and the review queue's index-only scans read no table pages. On another connection,
    outside this test's transaction, over a table the migrations filled and committed."""
    if connection.vendor != "postgresql":
        assert planner_statistics_refresh() == ""
        return
    other = connections.create_connection("default")
    try:
        assert planner_statistics_refresh(other) == "VACUUM ANALYZE"
        with other.cursor() as cursor:
            cursor.execute("SELECT relallvisible, relpages FROM pg_class WHERE relname = 'django_migrations'")
            visible, pages = cursor.fetchone()
    finally:
        other.close()
    assert visible == pages > 0
    # Inside this test's transaction: the statistics only.
    assert planner_statistics_refresh() == "ANALYZE"
