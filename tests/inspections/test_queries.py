"""Query budgets of the inspection list, the statistics page, the API lists and the admin changelists:
the same at 2 and 12 inspections per unit."""

from __future__ import annotations

import pytest

from evidence.processing import process_upload
from evidence.services import photos_attach
from inspections.models import Domain
from records.models import ReviewStatus
from tests.evidence.images import jpeg, upload
from tests.inspections.factories import InspectionFactory, InstrumentFactory, instrument_type

SIZES = [2, 12]


@pytest.fixture
def populate(campaign, unit_a, unit_b, bureau_admin):
    """`size` approved inspections in each unit (official figures count approved ones), alternating listed instruments and entered counts, each
    with a photo; the fuel ones list two nozzles."""
    photo = jpeg((64, 48))

    def _populate(size: int) -> None:
        for unit in (unit_a, unit_b):
            for n in range(size):
                if n % 2:
                    record = InspectionFactory(
                        unit=unit,
                        review_status=ReviewStatus.APPROVED,
                        domain=Domain.FUEL,
                        dispensers=1,
                        nozzles=2,
                        instruments_checked=0,
                        mandatory_count=0,
                        fair_scale_present=None,
                        instruments_registered=None,
                    )
                    InstrumentFactory.create_batch(
                        2, inspection=record, instrument_type=instrument_type("fuel_nozzle")
                    )
                else:
                    record = InspectionFactory(unit=unit, review_status=ReviewStatus.APPROVED)
                photos_attach(
                    actor=bureau_admin, record=record, photos=[process_upload(upload("a.jpg", photo))]
                )

    return _populate


@pytest.mark.parametrize("size", SIZES)
def test_office_inspection_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    client.force_login(office_a)

    # 1 session, 2 user, 3 current campaign, 4-5 user and group permissions, 6 page count,
    # 7 the page of inspections (party, market and unit joined; listed instruments counted in a
    # subquery), 8 the page's photos, 9 the user's groups (role), 10 the user's unit (header),
    # 11 campaign choices of the filter form (inspections.filters, shared with the API).
    with django_assert_num_queries(11):
        response = client.get("/workbench/inspections/")

    inspections = response.context["inspections"]
    assert len(inspections) == size
    assert {r.listed_count for r in inspections} == {0, 2}
    assert all(len(r.thumbs) == 1 for r in inspections)


@pytest.mark.parametrize("size", SIZES)
def test_leader_inspection_list_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, populate, size
):
    populate(size)
    client.force_login(leader)

    # 1 session, 2 user, 3 current campaign, 4-5 permissions, 6 page count, 7 page of inspections,
    # 8 their photos, 9 groups, 10 unit choices and 11 campaign choices of the filter form.
    with django_assert_num_queries(11):
        response = client.get("/workbench/inspections/")

    assert len(response.context["inspections"]) == min(2 * size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_office_statistics_page_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 permissions, 5 current campaign, 6 the user's unit (the figures' scope),
    # 7 entered counts set aside (records listing instruments), 8 listed instruments by domain and
    # status, 9 records by domain, 10 distinct parties of the total, 11 records awaiting review
    # (待审核, shown beside the table), 12 groups.
    with django_assert_num_queries(12):
        response = client.get("/workbench/inspections/statistics/")

    total = response.context["rows"][-1]
    assert total.figures.instruments == (size + 1) // 2 * 10 + size // 2 * 2


@pytest.mark.parametrize("size", SIZES)
def test_leader_statistics_split_by_unit_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, leader, populate, size
):
    populate(size)
    client.force_login(leader)

    # 1 session, 2 user, 3-4 permissions, 5 current campaign, 6 entered counts set aside, 7 listed
    # instruments by unit, domain and status, 8 records by unit and domain, 9-11 distinct parties by
    # unit, by domain and in all, 12 records awaiting review, 13 groups, 14 unit choices of the filter form.
    with django_assert_num_queries(14):
        response = client.get("/workbench/inspections/statistics/", {"by_unit": "on"})

    assert len(response.context["rows"]) == 21


@pytest.mark.parametrize("size", SIZES)
def test_inspection_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, leader, populate, size
):
    populate(size)
    api_client.force_login(leader)

    # 1 session, 2 user, 3-4 permissions (scoping), 5 count, 6 the page of inspections (party, market,
    # units joined), 7 their instruments with their types (one prefetch).
    with django_assert_num_queries(7):
        response = api_client.get("/api/v1/inspections/")

    assert response.json()["count"] == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_instrument_type_api_list_runs_the_same_queries_whatever_the_data_size(
    api_client, django_assert_num_queries, office_a, populate, size
):
    populate(size)
    api_client.force_login(office_a)

    # 1 session, 2 user, 3-4 user and group permissions (the catalogue's model permissions, now that
    # the bureau writes it through the API), 5 count, 6 the page of types.
    with django_assert_num_queries(6):
        response = api_client.get("/api/v1/instrument-types/")

    assert response.json()["count"] == 13


@pytest.mark.parametrize("size", SIZES)
def test_inspection_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 campaign filter choices, 6 unit filter choices,
    # 7 filtered count, 8 total count, 9 the page (party and unit joined), 10 groups,
    # 11 date range and 12 dates of the date hierarchy.
    with django_assert_num_queries(12):
        response = client.get("/admin/inspections/inspectionrecord/")

    assert response.context["cl"].result_count == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_instrument_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 instrument type filter choices, 6 filtered count,
    # 7 total count, 8 the page (type, inspection and party joined; status computed in Python), 9 groups.
    with django_assert_num_queries(9):
        response = client.get("/admin/inspections/inspectedinstrument/")

    assert response.context["cl"].result_count == 2 * (size // 2) * 2


@pytest.mark.parametrize("size", SIZES)
def test_instrument_type_changelist_runs_the_same_queries_whatever_the_data_size(
    client, django_assert_num_queries, bureau_admin, populate, size
):
    populate(size)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 permissions, 5 filtered count, 6 total count, 7 the page, 8 groups.
    with django_assert_num_queries(8):
        response = client.get("/admin/inspections/instrumenttype/")

    assert response.context["cl"].result_count == 13
