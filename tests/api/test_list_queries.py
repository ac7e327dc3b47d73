"""Every API list runs the same number of queries whatever the data size: measured for an office and
for leadership with one round of every kind of object per unit, then again after a second round.
(Hand-listed counts with their queries are in the lists' own tests: tests/campaigns/test_api.py,
tests/api/test_review_queue.py, tests/api/test_reports_inbox_me.py.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import User
from tests.api.world import unit_objects
from tests.microstations.factories import campaign_2025
from wushan_metrology.api_urls import router

LISTS = sorted(
    reverse(f"api:{basename}-list")
    for _prefix, _viewset, basename in router.registry
    if basename != "review-queue"
)


@pytest.fixture
def grow(db, settings, tmp_path, unit_a, unit_b, office_a, office_b):
    settings.MEDIA_ROOT = tmp_path / "media"
    rounds = iter(range(100))

    def add_a_round() -> None:
        n = next(rounds)
        for unit, user in ((unit_a, office_a), (unit_b, office_b)):
            unit_objects(
                unit=unit,
                user=user,
                campaign=campaign_2025(),
                mark=f"第{n}轮{unit.short_name}",
                plaque_no=f"Q-{unit.pk}-{n}",
            )

    return add_a_round


def queries(api_client, user: User, url: str) -> int | None:
    """The queries of one list request; None when the role may not read the list at all (403)."""
    # A fresh user object each time: permissions are cached on it after the first request.
    api_client.force_authenticate(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as context:
        response = api_client.get(url, {"page_size": 200})
    if response.status_code == 403:
        return None
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.parametrize("actor", ["office_a", "leader"])
def test_every_api_list_runs_a_fixed_number_of_queries(api_client, request, grow, actor):
    user = request.getfixturevalue(actor)
    grow()
    small = {url: queries(api_client, user, url) for url in LISTS}
    grow()
    grow()
    large = {url: queries(api_client, user, url) for url in LISTS}

    assert large == small
    forbidden = {url for url, count in small.items() if count is None}
    assert forbidden == ({"/api/v1/reports/"} if actor == "office_a" else set())
    assert max(count for count in small.values() if count is not None) <= 15, small
