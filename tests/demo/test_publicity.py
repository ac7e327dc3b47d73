"""demo.publicity and demo.opinion: realistic, deterministic, idempotent demo records that `--scale` multiplies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from campaigns.seeding import seed_campaign_2025
from demo.campaigns import seed_campaign_demo
from demo.microstations import seed_stations
from demo.opinion import DEMO_INCIDENTS
from demo.organizations import seed_accounts, seed_units
from demo.publicity import DEMO_ACTIVITIES, DEMO_NEWS, seed_publicity_demo
from evidence.models import Photo
from opinion.models import OpinionIncident
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import ReviewStatus

# The module's tests share one module-scoped seeding: under `--dist=loadgroup` (make test) they stay on
# one xdist worker, which seeds once, instead of each worker that draws one of them seeding again.
pytestmark = pytest.mark.xdist_group("demo-publicity")


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """Units, accounts, the campaign's demo and the stations, made once for the module in a transaction
    rolled back when it ends (each test has its savepoint)."""
    media = tmp_path_factory.mktemp("publicity-demo-base")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        units = seed_units()
        campaign = seed_campaign_2025()
        accounts = seed_accounts(units, "demo-password")
        actors = {user.unit_id: user for user in accounts.values() if user.unit_id}
        seed_campaign_demo(campaign, scale=1, seed=520, actors=actors)
        stations = seed_stations(campaign, units, accounts["demo_admin"])
        yield {
            "campaign": campaign,
            "units": units,
            "stations": stations,
            "actors": actors,
            "admin": accounts["demo_admin"],
        }
        transaction.set_rollback(True)


@pytest.fixture
def demo(base, db, settings, tmp_path):
    """`run(scale)` seeds the publicity and 舆情 demo on the module's base, in this test's savepoint."""
    settings.MEDIA_ROOT = tmp_path
    campaign, units, stations = base["campaign"], base["units"], base["stations"]
    actors, admin = base["actors"], base["admin"]
    for row in (campaign, admin, *units.values(), *stations, *actors.values()):
        row.refresh_from_db()  # what an earlier test changed in memory was rolled back in the database

    def run(scale: int = 1) -> dict[str, int]:
        return seed_publicity_demo(
            campaign, units, stations, scale=scale, seed=520, office_users=actors, admin=admin
        )

    return run


def snapshot() -> dict[str, object]:
    return {
        "activities": sorted(
            PublicityActivity.objects.values_list(
                "unit__name", "title", "channel", "review_status", "participants", "views"
            )
        ),
        "news": sorted(NewsItem.objects.values_list("unit__name", "title", "review_status")),
        "adoptions": sorted(Adoption.objects.values_list("news_item__title", "level", "outlet")),
        "incidents": sorted(
            OpinionIncident.objects.values_list("title", "level__name", "status", "reported_to_county_at")
        ),
    }


def test_the_demo_has_offline_and_online_activities_news_with_adoptions_and_incidents_at_several_levels(demo):
    counts = demo()

    assert counts == {
        "activities": len(DEMO_ACTIVITIES),
        "news": len(DEMO_NEWS),
        "incidents": len(DEMO_INCIDENTS),
    }
    channels = set(PublicityActivity.objects.values_list("channel", flat=True))
    assert channels == {"offline", "online", "blended"}
    assert set(PublicityActivity.objects.values_list("review_status", flat=True)) == set(ReviewStatus.values)
    assert Adoption.objects.values("level").distinct().count() >= 3
    assert set(OpinionIncident.objects.values_list("level__name", flat=True)) >= {"一般", "较大", "重大"}
    assert set(OpinionIncident.objects.values_list("status", flat=True)) == set(OpinionIncident.Status.values)
    assert Photo.objects.filter(content_type__model="publicityactivity").count() == len(DEMO_ACTIVITIES)


def test_the_demo_is_idempotent(demo):
    demo()
    first = snapshot()

    assert demo() == {"activities": 0, "news": 0, "incidents": 0}
    assert snapshot() == first


def test_scale_multiplies_the_records(demo):
    demo(scale=3)

    assert PublicityActivity.objects.count() == 3 * len(DEMO_ACTIVITIES)
    assert NewsItem.objects.count() == 3 * len(DEMO_NEWS)
    assert OpinionIncident.objects.count() == 3 * len(DEMO_INCIDENTS)
