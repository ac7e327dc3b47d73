"""Who reviews what (issue 18): the bureau reviews what the offices enter; the supervising office
reviews what others enter for it (every volunteer act, anything a 协办单位 account logs), and the
bureau does not. One rule (records.services.office_reviewed_q, stored on the record when it is
submitted and read by records.services.review_q) answers the approve and return services, the
review buttons, the review queue and its bulk actions: the record's reviewer may, everyone else in
scope gets 403, and out of scope is 404 as ever."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microstations.models import StationActivity
from notifications.models import Delivery
from organizations.models import User
from records import selectors, services
from records.models import ReviewStatus, SubmittedRecord
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory
from volunteers.models import VolunteerAct

pytestmark = pytest.mark.django_db


def submitted(record: SubmittedRecord) -> SubmittedRecord:
    """The record as submitted, on a fixed day, routed by the rule as the demo's bulk rows are
    (records.services.reviewers_fill; test_reviewer_stored.py submits through the service)."""
    type(record).objects.filter(pk=record.pk).update(
        review_status=ReviewStatus.SUBMITTED, submitted_at=dt.datetime(2025, 5, 20, 2, tzinfo=dt.UTC)
    )
    services.reviewers_fill(type(record))
    record.refresh_from_db()
    return record


@pytest.fixture
def by_cooperator(hosted, cooperator) -> StationActivity:
    return submitted(StationActivityFactory(station=hosted, created_by=cooperator, title="协办单位的活动"))


@pytest.fixture
def by_office(hosted, office_a) -> StationActivity:
    return submitted(StationActivityFactory(station=hosted, created_by=office_a, title="所里的活动"))


@pytest.fixture
def act(hosted, office_a) -> VolunteerAct:
    volunteer = VolunteerFactory(station=hosted, name="张晓红")
    return submitted(
        VolunteerAct.objects.create(
            volunteer=volunteer,
            unit=hosted.supervising_unit,
            campaign=hosted.campaign,
            created_by=office_a,  # a link acts on behalf of the office user who issued it
            date=dt.date(2025, 5, 19),
            place="南陵社区广场",
            description="讲解家用电能表读数",
            people_reached=30,
            hours="2.0",
        )
    )


@pytest.fixture
def inspection(office_a) -> SubmittedRecord:
    return submitted(InspectionFactory(unit=office_a.unit, created_by=office_a))


def outcome(actor: User, record: SubmittedRecord) -> str:
    """What approving `record` as `actor` gives: approved, 403 or 404 (rolled back either way)."""
    try:
        services.record_approve(actor=actor, record=record)
    except PermissionDenied:
        return "403"
    except Http404:
        return "404"
    record.refresh_from_db()
    return "approved" if record.review_status == ReviewStatus.APPROVED else record.review_status


@pytest.mark.parametrize(
    ("record_name", "actor_name", "expected"),
    [
        # An office's own entries: the bureau reviews them, the office does not review itself.
        ("by_office", "bureau_admin", "approved"),
        ("by_office", "office_a", "403"),
        ("inspection", "bureau_admin", "approved"),
        ("inspection", "office_a", "403"),
        # A 协办单位's entry: the supervising office, not the bureau, not the cooperator itself.
        ("by_cooperator", "office_a", "approved"),
        ("by_cooperator", "bureau_admin", "403"),
        ("by_cooperator", "cooperator", "403"),
        ("by_cooperator", "office_b", "404"),
        ("by_cooperator", "leader", "403"),
        # A volunteer's act: the supervising office.
        ("act", "office_a", "approved"),
        ("act", "bureau_admin", "403"),
        ("act", "office_b", "404"),
        ("act", "leader", "403"),
    ],
)
def test_who_may_approve_each_type(request, record_name, actor_name, expected):
    record = request.getfixturevalue(record_name)
    actor = request.getfixturevalue(actor_name)
    assert outcome(actor, record) == expected


def test_a_returned_entry_by_the_office_reaches_the_office_and_the_cooperator(
    by_cooperator, office_a, cooperator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        services.record_return(actor=office_a, record=by_cooperator, reason="请补充现场照片")
    told = Delivery.objects.filter(digest__kind__startswith="review-").select_related("recipient", "digest")
    assert {delivery.recipient for delivery in told if delivery.recipient_id} >= {office_a, cooperator}
    body = told[0].digest.body
    assert "甲地所" in body
    assert "县局" not in body


def test_an_entry_left_with_a_unit_that_is_not_an_office_stays_with_the_bureau(
    cooperator, bureau_admin, power_company
):
    """No record is left without a reviewer: only an office can be the supervising office."""
    odd = MicroStationFactory(supervising_unit=power_company, opened=True)
    record = submitted(StationActivityFactory(station=odd, created_by=cooperator))
    assert not services.reviewed_by_office(record)
    assert outcome(bureau_admin, record) == "approved"


def test_each_reviewers_queue_lists_what_is_theirs(
    client, by_cooperator, by_office, act, inspection, office_a, office_b, bureau_admin
):
    def queue(user: User) -> set[str]:
        _page, items = selectors.review_queue_page(user=user)
        return {str(item.record) for item in items}

    assert queue(office_a) == {str(by_cooperator), str(act)}
    assert queue(bureau_admin) == {str(by_office), str(inspection)}
    assert queue(office_b) == set()
    assert selectors.review_queue_count(user=office_a) == 2


def test_bulk_keys_reach_only_the_records_the_user_reviews(by_cooperator, by_office, act, office_a):
    keys = [
        f"microstations.stationactivity:{by_cooperator.pk}",
        f"microstations.stationactivity:{by_office.pk}",
    ]
    keys.append(f"volunteers.volunteeract:{act.pk}")
    found = selectors.records_from_keys(user=office_a, keys=keys)
    assert {record.pk for record in found if isinstance(record, StationActivity)} == {by_cooperator.pk}
    result = services.records_review_bulk(actor=office_a, records=found, action="approve")
    assert (result.done, result.skipped) == (2, 0)
    assert StationActivity.objects.get(pk=by_office.pk).review_status == ReviewStatus.SUBMITTED


def test_the_review_buttons_show_for_the_records_reviewer_only(
    client, by_cooperator, by_office, office_a, bureau_admin
):
    def buttons(user: User, record: StationActivity) -> bool:
        client.force_login(user)
        return bool(client.get(record.get_absolute_url()).context["can_review"])

    assert buttons(office_a, by_cooperator)
    assert not buttons(bureau_admin, by_cooperator)
    assert buttons(bureau_admin, by_office)
    assert not buttons(office_a, by_office)


def test_the_approve_button_answers_403_to_the_bureau_for_an_offices_record(
    client, by_cooperator, bureau_admin, office_a
):
    url = reverse("microstations:activity_review", args=[by_cooperator.pk, "approve"])
    client.force_login(bureau_admin)
    assert client.post(url).status_code == 403
    client.force_login(office_a)
    assert client.post(url).status_code == 302
    by_cooperator.refresh_from_db()
    assert by_cooperator.review_status == ReviewStatus.APPROVED
    assert by_cooperator.reviewed_by == office_a


def test_the_queue_runs_the_same_queries_whatever_the_number_of_entries(hosted, cooperator, office_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            _page, items = selectors.review_queue_page(user=office_a)
            [str(item.record) for item in items]
        return len(context.captured_queries)

    submitted(StationActivityFactory(station=hosted, created_by=cooperator))
    queries()  # the user's permissions, read once per user object
    few = queries()
    for _number in range(4):
        submitted(StationActivityFactory(station=hosted, created_by=cooperator))
    # The count, the page of (kind, pk) rows, one query for the station activities on the page.
    assert queries() == few == 3


def test_users_without_a_review_duty(leader, cooperator, office_a, bureau_admin) -> None:
    reviewers: dict[str, Any] = {
        user.username: services.may_review_any(user) for user in (leader, cooperator, office_a, bureau_admin)
    }
    assert reviewers == {"leader": False, "power_co": False, "office_a": True, "bureau_admin": True}
