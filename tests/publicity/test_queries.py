"""Query budgets of every publicity list page, the ranking, the API lists and the admin changelists:
the same at 2 and 12 rows per unit."""

from __future__ import annotations

import pytest

from campaigns.models import Target
from evidence.processing import process_upload
from evidence.services import photos_attach
from organizations.roles import Role
from tests.evidence.images import jpeg, upload
from tests.factories import add_role
from tests.microstations.factories import MicroStationFactory
from tests.publicity.factories import (
    AdoptionFactory,
    NewsItemFactory,
    PublicityActivityFactory,
)

SIZES = [2, 12]


@pytest.fixture
def populate(campaign, unit_a, unit_b, bureau_admin):
    """`size` of every kind of record in each of the two units: activities (with a photo, a station and
    partners), approved news items with two adoptions."""
    Target.objects.create(campaign=campaign, metric="publicity.online_posts", label="线上作品", goal=20)
    Target.objects.create(campaign=campaign, metric="publicity.offline_activities", label="线下活动", goal=20)
    photo = jpeg((64, 48))

    def _populate(size: int) -> None:
        for unit, partner in ((unit_a, unit_b), (unit_b, unit_a)):
            station = MicroStationFactory(supervising_unit=unit, opened=True)
            for n in range(size):
                activity = PublicityActivityFactory(
                    unit=unit, station=station, approved=n % 2 == 0, online=n % 3 == 0
                )
                activity.partner_units.add(partner)
                photos_attach(
                    actor=bureau_admin, record=activity, photos=[process_upload(upload("a.jpg", photo))]
                )
                item = NewsItemFactory(unit=unit, approved=True, activity=activity)
                AdoptionFactory(news_item=item, level="county", recorded_by=bureau_admin)
                AdoptionFactory(news_item=item, level="city", recorded_by=bureau_admin)

    return _populate


PAGES = [
    "/workbench/publicity/",
    "/workbench/publicity/activities/",
    "/workbench/publicity/news/",
    "/workbench/publicity/news/ranking/",
]

# Every page: 1 session, 2 user, 3-4 user and group permissions (the view's permission and scoping),
# then as listed, with the user's groups (role context processor) and, for an office, the user's unit
# (header) where the base template renders them. (leader, office):
PAGE_QUERIES = {
    # 5 current campaign, 6 targets, 7-8 one count per registered metric a target names, 9 totals
    # aggregate, 10 per-unit grouped sums, 11 groups, (12 unit).
    "/workbench/publicity/": (11, 12),
    # 5 page count, 6 page of activities (unit, station and creator joined), 7 the page's photos,
    # 8 the counted figures from the precomputed facts, 9 the pending count, 10 groups, then the filter
    # set's choices: 11 campaigns, 12 unit choices (leader) or the user's unit (office), 13 stations.
    "/workbench/publicity/activities/": (13, 13),
    # 5 page count, 6 groups, 7 campaign choices of the filter set, 8 unit choices (leader) or the
    # user's unit (office), 9 page of items (unit, activity and creator joined), 10 their adoptions.
    # (The activity filter is a hidden id, not a list of every activity.)
    "/workbench/publicity/news/": (10, 10),
    # 5 current campaign, 6 the ranking (every count a correlated subquery), 7 groups, (8 unit).
    "/workbench/publicity/news/ranking/": (7, 8),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_every_list_page_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, request, populate, actor, url, size
):
    populate(size)
    client.force_login(request.getfixturevalue(actor))
    leader_count, office_count = PAGE_QUERIES[url]

    with django_assert_num_queries(leader_count if actor == "leader" else office_count):
        response = client.get(url)

    assert response.status_code == 200


# Every API list: 1 session, 2 user, 3-4 user and group permissions, 5 count, then as listed.
API_QUERIES = {
    # 6 page (unit, station, creator joined), 7 partner units.
    "/api/v1/publicity-activities/": 7,
    # 6 page (unit, activity, creator joined), 7 adoptions.
    "/api/v1/news-items/": 7,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", list(API_QUERIES))
@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_every_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, request, populate, actor, url, size
):
    populate(size)
    api_client.force_login(request.getfixturevalue(actor))

    with django_assert_num_queries(API_QUERIES[url]):
        response = api_client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= min(size, 4)


# Every changelist: 1 session, 2 user, 3-4 user and group permissions, then as listed; the user's
# groups (role context processor) after the page, then the date hierarchy's range and its dates.
ADMIN_QUERIES = {
    # 5 campaign and 6 unit choices (filters), 7 count, 8 unfiltered count, 9 page (unit joined),
    # 10 groups, 11 first and last date, 12 the dates to drill into.
    "/admin/publicity/publicityactivity/": 12,
    # 5 campaign and 6 unit choices, 7 count, 8 unfiltered count, 9 page (unit joined, adoptions
    # counted), 10 groups, 11-12 date hierarchy.
    "/admin/publicity/newsitem/": 12,
    # 5 count, 6 unfiltered count, 7 page (item, its unit and the recorder joined), 8 groups,
    # 9-10 date hierarchy.
    "/admin/publicity/adoption/": 10,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", list(ADMIN_QUERIES))
def test_every_admin_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, url, size
):
    populate(size)
    client.force_login(bureau_admin)

    with django_assert_num_queries(ADMIN_QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= min(size, 4)


def test_an_office_clerk_with_admin_access_sees_only_their_units_rows(client, office_a, populate, unit_a):
    populate(2)
    office_a.is_staff = True
    office_a.save(update_fields=["is_staff"])
    add_role(office_a, Role.OFFICE)
    client.force_login(office_a)

    for url in (
        "/admin/publicity/publicityactivity/",
        "/admin/publicity/newsitem/",
    ):
        rows = client.get(url).context["cl"].result_list
        assert rows
        assert {row.unit_id for row in rows} == {unit_a.pk}
    adoptions = client.get("/admin/publicity/adoption/").context["cl"].result_list
    assert {row.news_item.unit_id for row in adoptions} == {unit_a.pk}
