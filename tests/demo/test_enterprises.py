"""The enterprise demo data: valid Wushan credit codes, visits and tickets, deterministic, idempotent, scalable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from campaigns.seeding import seed_campaign_2025
from demo.campaigns import seed_campaign_demo
from demo.enterprises import DEMO_ENTERPRISES, seed_enterprise_demo
from demo.organizations import seed_accounts, seed_units
from enterprises import uscc
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from evidence.models import Photo

PASSWORD = "demo-password-for-tests"


# The module's tests share one module-scoped seeding: under `--dist=loadgroup` (make test) they stay on
# one xdist worker, which seeds once, instead of each worker that draws one of them seeding again.
pytestmark = pytest.mark.xdist_group("demo-enterprises")


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """Units, accounts and the 2025 campaign with its demo dates, as seed_demo makes them before us:
    made once for the module in a transaction rolled back when it ends (each test has its savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        units = seed_units()
        campaign = seed_campaign_2025()
        accounts = seed_accounts(units, PASSWORD)
        actors = {user.unit_id: user for user in accounts.values() if user.unit_id}
        seed_campaign_demo(campaign, scale=1, seed=520, actors=actors)
        yield {"campaign": campaign, "actors": actors, "admin": accounts["demo_admin"]}
        transaction.set_rollback(True)


@pytest.fixture
def demo_base(base, db):
    """`load(scale, seed)` seeds the enterprise demo on the module's base, in this test's savepoint."""
    campaign, actors, admin = base["campaign"], base["actors"], base["admin"]
    for row in (campaign, admin, *actors.values()):
        row.refresh_from_db()  # what an earlier test changed in memory was rolled back in the database

    def load(scale: int = 1, seed: int = 520) -> int:
        return seed_enterprise_demo(campaign, scale=scale, seed=seed, office_users=actors, admin=admin)

    return load


def snapshot() -> list[tuple]:
    """The visits as identified in any database: by enterprise, date and types, with their figures."""
    return sorted(
        EnterpriseVisit.objects.values_list(
            "enterprise__name", "date", "visit_types", "unit__name", "instruments_serviced", "review_status"
        ),
        key=repr,
    )


def test_demo_enterprises_have_valid_wushan_codes_except_the_stalls(demo_base):
    demo_base()

    enterprises = list(Enterprise.objects.all())
    assert len(enterprises) == len(DEMO_ENTERPRISES)
    for enterprise in enterprises:
        if enterprise.kind == Enterprise.Kind.STALL:
            assert enterprise.credit_code == ""
        else:
            assert uscc.is_valid(enterprise.credit_code), enterprise.credit_code
            assert enterprise.region_code == uscc.WUSHAN_REGION
    assert Enterprise.objects.get(name="巫山县人民医院").entity_type_label == "事业单位"
    assert Enterprise.objects.get(name="巫山县明目眼镜店").entity_type_label == "个体工商户"


def test_demo_visits_and_tickets_cover_every_state(demo_base):
    created = demo_base()

    assert created == EnterpriseVisit.objects.count() == 12
    assert set(EnterpriseVisit.objects.values_list("review_status", flat=True)) == {
        "draft",
        "submitted",
        "approved",
        "returned",
    }
    assert set(MetrologyProblem.objects.values_list("status", flat=True)) == set(
        MetrologyProblem.Status.values
    )
    assert Partnership.objects.count() == 2
    assert EnterpriseVisit.objects.filter(programme=EnterpriseVisit.Programme.PARTNERSHIP).exists()
    assert Photo.objects.count() == 4
    for visit in EnterpriseVisit.objects.all():
        visit.full_clean()  # bulk-created rows obey the same rules as the services' rows


def test_a_second_load_changes_nothing(demo_base):
    demo_base()
    first = snapshot()

    assert demo_base() == 0

    assert snapshot() == first
    assert Enterprise.objects.count() == len(DEMO_ENTERPRISES)


def forget_visits() -> None:
    MetrologyProblem.objects.all().delete()
    EnterpriseVisit.objects.all().delete()


def test_the_same_seed_gives_the_same_visits_and_another_seed_others(demo_base):
    demo_base(seed=7)
    first = snapshot()
    forget_visits()

    demo_base(seed=7)
    again = snapshot()
    forget_visits()
    demo_base(seed=8)

    assert again == first
    assert snapshot() != first


def test_scale_multiplies_the_visits(demo_base):
    assert demo_base(scale=3) == 36
    assert EnterpriseVisit.objects.count() == 36
