"""The review queue at /workbench/review/: what awaits the user's review across the workstreams, with
filters, bulk approve and bulk return, and the header's 待审核 count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnterpriseVisit
from inspections.models import InspectionRecord
from microstations.models import StationActivity
from records import selectors
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.html import select
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

QUEUE = reverse("records:review_queue")
BULK = reverse("records:review_queue_bulk")
COUNT = reverse("records:review_queue_count")


def submitted(factory, **kwargs):
    return factory(review_status=ReviewStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs)


@pytest.fixture
def queue_data(office_a, office_b):
    """Submitted records of three types and two units, plus records the queue must not list."""
    station_a = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    return {
        "activity_a": submitted(StationActivityFactory, station=station_a, created_by=office_a),
        "visit_b": submitted(EnterpriseVisitFactory, unit=office_b.unit, created_by=office_b),
        "inspection_a": submitted(InspectionFactory, unit=office_a.unit, created_by=office_a),
        "draft": StationActivityFactory(station=station_a, created_by=office_a),
        "approved": StationActivityFactory(
            station=station_a, created_by=office_a, review_status=ReviewStatus.APPROVED
        ),
        "returned": EnterpriseVisitFactory(
            unit=office_b.unit, created_by=office_b, review_status=ReviewStatus.RETURNED
        ),
    }


def listed(response) -> set[str]:
    return {item.key for item in response.context["items"]}


def key(record) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}:{record.pk}"


def test_the_queue_lists_exactly_the_submitted_records_of_every_type(client, bureau_admin, queue_data):
    client.force_login(bureau_admin)
    response = client.get(QUEUE)
    assert response.status_code == 200
    expected = {key(queue_data[name]) for name in ("activity_a", "visit_b", "inspection_a")}
    assert listed(response) == expected
    assert response.context["page_obj"].paginator.count == 3
    body = response.content.decode()
    assert f'value="{key(queue_data["visit_b"])}"' in body


def test_the_queue_filters_by_type_and_unit(client, bureau_admin, office_a, queue_data):
    client.force_login(bureau_admin)
    response = client.get(QUEUE, {"kind": "enterprises.enterprisevisit"})
    assert listed(response) == {key(queue_data["visit_b"])}
    response = client.get(QUEUE, {"unit": office_a.unit_id})
    assert listed(response) == {key(queue_data["activity_a"]), key(queue_data["inspection_a"])}


def test_who_may_not_review_gets_403_and_a_zero_count(client, leader, queue_data):
    client.force_login(leader)
    assert client.get(QUEUE).status_code == 403
    assert (
        client.post(BULK, {"action": "approve", "items": [key(queue_data["activity_a"])]}).status_code == 403
    )
    assert client.get(COUNT).json() == {"count": 0}
    assert StationActivity.objects.get(pk=queue_data["activity_a"].pk).review_status == ReviewStatus.SUBMITTED


def test_an_office_opens_its_queue_but_never_reviews_its_own_entries(client, office_a, queue_data):
    """An office reviews what volunteers and 协办单位 enter for it (test_review_routing.py), not its own work."""
    client.force_login(office_a)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == set()
    client.post(BULK, {"action": "approve", "items": [key(queue_data["activity_a"])]})
    assert client.get(COUNT).json() == {"count": 0}
    assert StationActivity.objects.get(pk=queue_data["activity_a"].pk).review_status == ReviewStatus.SUBMITTED


def test_the_count_is_what_the_queue_lists(client, bureau_admin, queue_data):
    client.force_login(bureau_admin)
    assert client.get(COUNT).json() == {"count": 3}


def test_bulk_approve_approves_the_chosen_and_says_how_many(client, bureau_admin, queue_data):
    client.force_login(bureau_admin)
    chosen = [key(queue_data["activity_a"]), key(queue_data["visit_b"]), key(queue_data["draft"])]
    response = client.post(BULK, {"action": "approve", "items": chosen}, follow=True)
    assert StationActivity.objects.get(pk=queue_data["activity_a"].pk).review_status == ReviewStatus.APPROVED
    assert EnterpriseVisit.objects.get(pk=queue_data["visit_b"].pk).review_status == ReviewStatus.APPROVED
    assert StationActivity.objects.get(pk=queue_data["draft"].pk).review_status == ReviewStatus.DRAFT
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["已审核通过 2 条。另有 1 条已不在待审核状态，未处理。"]
    assert listed(response) == {key(queue_data["inspection_a"])}


def test_bulk_return_needs_a_reason_and_returns_all_chosen_with_it(client, bureau_admin, queue_data):
    client.force_login(bureau_admin)
    chosen = [key(queue_data["activity_a"]), key(queue_data["inspection_a"])]
    response = client.post(BULK, {"action": "return", "items": chosen, "reason": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["退回时必须填写原因。"]
    assert (
        InspectionRecord.objects.get(pk=queue_data["inspection_a"].pk).review_status == ReviewStatus.SUBMITTED
    )

    response = client.post(BULK, {"action": "return", "items": chosen, "reason": "照片缺失"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已退回 2 条。"]
    for record in (
        StationActivity.objects.get(pk=queue_data["activity_a"].pk),
        InspectionRecord.objects.get(pk=queue_data["inspection_a"].pk),
    ):
        assert (record.review_status, record.return_reason) == (ReviewStatus.RETURNED, "照片缺失")


def test_unknown_or_forged_keys_change_nothing(client, bureau_admin, queue_data):
    client.force_login(bureau_admin)
    response = client.post(
        BULK,
        {"action": "approve", "items": ["auth.user:1", "x", "microstations.stationactivity:abc"]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["请先勾选要审核的记录。"]


@pytest.mark.parametrize("extra", [0, 6])
def test_the_queue_runs_a_fixed_number_of_queries(
    client, bureau_admin, office_a, queue_data, extra, django_assert_num_queries
):
    station = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    for _ in range(extra):
        submitted(StationActivityFactory, station=station, created_by=office_a)
        submitted(InspectionFactory, unit=office_a.unit, created_by=office_a)
    client.force_login(bureau_admin)
    # session, user, permissions (user + group), the union count, the union page, one query per
    # record type on the page (3 types, each with its parents joined), the user's groups (role),
    # the header's unit, the filter's units
    with django_assert_num_queries(12):
        response = client.get(QUEUE)
    assert response.context["page_obj"].paginator.count == 3 + 2 * extra


def test_the_queue_flags_and_filters_records_over_the_cost_threshold(client, bureau_admin, office_a):
    """经费 above the campaign's threshold (issue 13) is marked in the queue; `over_cost` keeps only those."""
    station = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    costly = submitted(StationActivityFactory, station=station, created_by=office_a, cost=Decimal("8000"))
    cheap = submitted(StationActivityFactory, station=station, created_by=office_a, cost=Decimal("120"))
    inspection = submitted(InspectionFactory, unit=office_a.unit, created_by=office_a)  # no 经费 at all
    assert costly.campaign.cost_flag_threshold == Decimal("5000")

    _page, items = selectors.review_queue_page(user=bureau_admin)
    flags = {item.key: item.over_cost for item in items}
    assert flags == {key(costly): True, key(cheap): False, key(inspection): False}
    _page, items = selectors.review_queue_page(user=bureau_admin, over_cost=True)
    assert [item.key for item in items] == [key(costly)]

    client.force_login(bureau_admin)
    marked = select(client.get(QUEUE), "mark[data-cost-flag]")
    assert [mark.text_content() for mark in marked] == ["¥8000.00"]
