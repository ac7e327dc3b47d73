"""/api/v1/review-queue/: what awaits review across record types, and bulk approve / return."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inspections.models import InspectionRecord
from microstations.models import StationActivity
from organizations.models import User
from records.models import ReviewLog, ReviewStatus
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

QUEUE = "/api/v1/review-queue/"
BULK = "/api/v1/review-queue/bulk/"


@pytest.fixture
def submitted(campaign, unit_a, unit_b):
    """One submitted inspection of 甲地所, one submitted station activity of 乙地所, one draft."""
    now = timezone.now()
    inspection = InspectionFactory(unit=unit_a, review_status=ReviewStatus.SUBMITTED, submitted_at=now)
    activity = StationActivityFactory(
        station=MicroStationFactory(supervising_unit=unit_b, opened=True),
        review_status=ReviewStatus.SUBMITTED,
        submitted_at=now,
    )
    InspectionFactory(unit=unit_a)
    return inspection, activity


def test_the_bureau_lists_what_awaits_review_across_types(api_client, bureau_admin, submitted):
    inspection, activity = submitted
    api_client.force_authenticate(bureau_admin)

    body = api_client.get(QUEUE).json()

    assert body["count"] == 2
    assert {row["key"] for row in body["results"]} == {
        f"inspections.inspectionrecord:{inspection.pk}",
        f"microstations.stationactivity:{activity.pk}",
    }
    only = api_client.get(QUEUE, {"kind": "inspections.inspectionrecord"}).json()
    assert [row["id"] for row in only["results"]] == [inspection.pk]


def test_bulk_approve_approves_each_and_logs_it(api_client, bureau_admin, submitted):
    inspection, activity = submitted
    api_client.force_authenticate(bureau_admin)
    keys = [f"inspections.inspectionrecord:{inspection.pk}", f"microstations.stationactivity:{activity.pk}"]

    response = api_client.post(BULK, {"action": "approve", "items": keys}, format="json")

    assert response.json() == {"done": 2, "skipped": 0}
    assert InspectionRecord.objects.get(pk=inspection.pk).review_status == ReviewStatus.APPROVED
    assert StationActivity.objects.get(pk=activity.pk).review_status == ReviewStatus.APPROVED
    assert ReviewLog.objects.filter(action=ReviewLog.Action.APPROVED).count() == 2


def test_bulk_return_needs_a_reason_and_changes_nothing_without_one(api_client, bureau_admin, submitted):
    inspection, _activity = submitted
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(
        BULK, {"action": "return", "items": [f"inspections.inspectionrecord:{inspection.pk}"]}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert InspectionRecord.objects.get(pk=inspection.pk).review_status == ReviewStatus.SUBMITTED


def test_leadership_does_not_reach_the_queue(api_client, leader, submitted):
    inspection, _activity = submitted
    api_client.force_authenticate(leader)

    assert api_client.get(QUEUE).status_code == 403
    items = [f"inspections.inspectionrecord:{inspection.pk}"]
    assert api_client.post(BULK, {"action": "approve", "items": items}, format="json").status_code == 403
    assert InspectionRecord.objects.get(pk=inspection.pk).review_status == ReviewStatus.SUBMITTED


def test_an_office_opens_its_queue_but_never_reviews_its_own_entries(api_client, office_a, submitted):
    """Offices review what others enter at their stations (issue 18), not what they enter themselves."""
    inspection, _activity = submitted
    api_client.force_authenticate(office_a)

    body = api_client.get(QUEUE).json()
    items = [f"inspections.inspectionrecord:{inspection.pk}"]
    answer = api_client.post(BULK, {"action": "approve", "items": items}, format="json")

    assert body["count"] == 0
    assert answer.json() == {"done": 0, "skipped": 1}
    assert InspectionRecord.objects.get(pk=inspection.pk).review_status == ReviewStatus.SUBMITTED


def test_unknown_keys_are_skipped_not_probed(api_client, bureau_admin, submitted):
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(
        BULK, {"action": "approve", "items": ["inspections.inspectionrecord:999999"]}, format="json"
    )
    malformed = api_client.post(BULK, {"action": "approve", "items": ["../etc"]}, format="json")

    assert response.json() == {"done": 0, "skipped": 1}
    assert malformed.status_code == 400


def test_the_queue_runs_the_same_queries_whatever_its_length(
    api_client, bureau_admin, submitted, django_assert_num_queries, unit_a
):
    def measured() -> int:
        # A fresh user each time: the permission cache lives on the user object.
        api_client.force_authenticate(User.objects.get(pk=bureau_admin.pk))
        # Queries: the reviewer's permissions (user's and groups'), the count, the page of
        # (kind, pk) rows, then one query per record type on the page (2 here).
        with django_assert_num_queries(6):
            response = api_client.get(QUEUE)
        return response.json()["count"]

    assert measured() == 2
    for _ in range(3):
        InspectionFactory(unit=unit_a, review_status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    assert measured() == 5
