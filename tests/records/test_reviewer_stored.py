"""Who reviews a record is decided once, when it is submitted (records.services.reviewer_route, the
routing rule), and stored on it (`reviewer`); the review queue reads the stored value, so its count and
its page are an index range on (review_status, reviewer, submitted_at) of each record type, without
joining each row's unit or its author's groups (issue 14 list budget)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import User
from organizations.roles import Role
from records import selectors, services
from records.models import Reviewer, ReviewStatus, SubmittedRecord, record_types
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import StationActivityFactory, VolunteerFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory
from volunteers.models import VolunteerAct

pytestmark = pytest.mark.django_db


def volunteer_act(hosted: Any, author: User) -> VolunteerAct:
    return VolunteerAct.objects.create(
        volunteer=VolunteerFactory(station=hosted, name="张晓红"),
        unit=hosted.supervising_unit,
        campaign=hosted.campaign,
        created_by=author,
        date=dt.date(2025, 5, 19),
        place="南陵社区广场",
        description="讲解家用电能表读数",
        people_reached=30,
        hours="2.0",
    )


# Each record type, as a draft its author entered: (make(hosted, author), who reviews it).
DRAFTS: dict[str, Callable[[Any, User], SubmittedRecord]] = {
    "microstations.stationactivity": lambda hosted, author: StationActivityFactory(
        station=hosted, created_by=author
    ),
    "volunteers.volunteeract": volunteer_act,
    "publicity.publicityactivity": lambda hosted, author: PublicityActivityFactory(
        unit=hosted.supervising_unit, created_by=author, campaign=hosted.campaign
    ),
    "publicity.newsitem": lambda hosted, author: NewsItemFactory(
        unit=hosted.supervising_unit, created_by=author, campaign=hosted.campaign
    ),
    "inspections.inspectionrecord": lambda hosted, author: InspectionFactory(
        unit=hosted.supervising_unit, created_by=author, campaign=hosted.campaign
    ),
    "enterprises.enterprisevisit": lambda hosted, author: EnterpriseVisitFactory(
        unit=hosted.supervising_unit, created_by=author, campaign=hosted.campaign
    ),
}
# What an office enters for itself goes to the bureau, but a volunteer's act to the office.
BY_OFFICE = dict.fromkeys(DRAFTS, Reviewer.BUREAU) | {"volunteers.volunteeract": Reviewer.OFFICE}


def test_the_drafts_cover_every_record_type():
    assert set(DRAFTS) == {selectors.type_key(model) for model in record_types()}


@pytest.mark.parametrize("kind", sorted(DRAFTS))
def test_submitting_stores_the_reviewer_the_rule_gives_for_every_type(kind, hosted, office_a, bureau_admin):
    record = DRAFTS[kind](hosted, office_a)
    assert record.reviewer == ""  # a draft has none yet

    submitted = services.record_submit(actor=office_a, record=record)

    record.refresh_from_db()
    assert record.reviewer == submitted.reviewer == BY_OFFICE[kind]
    assert services.reviewer_route(record) == record.reviewer
    reviewer = bureau_admin if record.reviewer == Reviewer.BUREAU else office_a
    _page, items = selectors.review_queue_page(user=reviewer)
    assert [item.key for item in items] == [f"{kind}:{record.pk}"]


@pytest.mark.parametrize("kind", ["microstations.stationactivity", "publicity.publicityactivity"])
def test_a_cooperators_entry_is_stored_as_its_offices_to_review(
    kind, hosted, cooperator, office_a, bureau_admin
):
    if kind == "publicity.publicityactivity":
        record = PublicityActivityFactory(
            unit=hosted.supervising_unit, station=hosted, created_by=cooperator, campaign=hosted.campaign
        )
    else:
        record = DRAFTS[kind](hosted, cooperator)

    services.record_submit(actor=cooperator, record=record)

    record.refresh_from_db()
    assert record.reviewer == Reviewer.OFFICE
    assert services.reviewed_by_office(record)
    assert [item.record.pk for item in selectors.review_queue_page(user=office_a)[1]] == [record.pk]
    assert selectors.review_queue_page(user=bureau_admin)[1] == []
    services.record_approve(actor=office_a, record=record)
    record.refresh_from_db()
    assert (record.review_status, record.reviewer) == (ReviewStatus.APPROVED, Reviewer.OFFICE)


def test_the_stored_reviewer_holds_when_the_authors_groups_change_later(
    hosted, cooperator, office_a, bureau_admin
):
    """The queue and the services read what was decided at submit, not the author's roles of today."""
    record = StationActivityFactory(station=hosted, created_by=cooperator)
    services.record_submit(actor=cooperator, record=record)
    cooperator.groups.remove(Group.objects.get(name=Role.COOPERATOR))

    assert selectors.review_queue_count(user=office_a) == 1
    assert selectors.review_queue_count(user=bureau_admin) == 0
    assert services.may_review_record(office_a, record)
    assert not services.may_review_record(bureau_admin, record)


def test_a_returned_record_is_routed_again_when_resubmitted(hosted, office_a, bureau_admin):
    record = StationActivityFactory(station=hosted, created_by=office_a)
    services.record_submit(actor=office_a, record=record)
    services.record_return(actor=bureau_admin, record=record, reason="请补充照片")
    type(record).objects.filter(pk=record.pk).update(reviewer="")  # as if routed under another rule

    services.record_submit(actor=office_a, record=record)

    record.refresh_from_db()
    assert (record.review_status, record.reviewer) == (ReviewStatus.SUBMITTED, Reviewer.BUREAU)


def test_rows_no_service_routed_are_routed_by_the_same_rule(hosted, office_a, cooperator):
    """Fixtures and demo builders that save a submitted record, and the demo's bulk rows
    (reviewers_fill), get the value record_submit would have stored."""
    saved = StationActivityFactory(
        station=hosted, created_by=cooperator, review_status=ReviewStatus.SUBMITTED
    )
    assert saved.reviewer == Reviewer.OFFICE
    draft = StationActivityFactory(station=hosted, created_by=office_a)
    type(draft).objects.filter(pk=draft.pk).update(review_status=ReviewStatus.APPROVED)

    assert services.reviewers_fill(type(draft)) == 1

    draft.refresh_from_db()
    assert draft.reviewer == Reviewer.BUREAU
    assert services.reviewers_fill(type(draft)) == 0
    still_draft = StationActivityFactory(station=hosted, created_by=office_a)
    services.reviewers_fill(type(still_draft))
    still_draft.refresh_from_db()
    assert still_draft.reviewer == ""


def queue_queries(user: User) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        _page, items = selectors.review_queue_page(user=user)
        [str(item.record) for item in items]
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("reviewer_name", ["bureau_admin", "office_a"])
def test_the_queue_runs_the_same_queries_at_two_sizes_and_joins_nothing_for_the_routing(
    request, reviewer_name, hosted, office_a, cooperator
):
    reviewer = request.getfixturevalue(reviewer_name)
    author = office_a if reviewer_name == "bureau_admin" else cooperator

    def submit_one_of_each() -> None:
        for kind, make in DRAFTS.items():
            if kind == "volunteers.volunteeract" and reviewer_name == "bureau_admin":
                continue  # an act is never the bureau's
            services.record_submit(actor=office_a, record=make(hosted, author))

    submit_one_of_each()
    queue_queries(reviewer)  # the user's permissions, read once per user object
    small = queue_queries(reviewer)
    small_count = selectors.review_queue_count(user=reviewer)
    for _round in range(3):
        submit_one_of_each()
    large = queue_queries(reviewer)

    assert selectors.review_queue_count(user=reviewer) == 4 * small_count
    assert len(large) == len(small)
    # The count and the page of (kind, pk) rows: one range per type, no join to units or groups.
    count_sql, page_sql = large[0], large[1]
    for sql in (count_sql, page_sql):
        assert "JOIN" not in sql.upper()
        assert '"reviewer"' in sql


def test_who_reviews_is_told_in_one_query_before_and_after_submit(
    hosted, cooperator, office_a, django_assert_num_queries
):
    """The form's message names the reviewer of a draft (the rule) and of a submitted record (stored)."""
    by_cooperator = StationActivityFactory(station=hosted, created_by=cooperator)
    by_office = StationActivityFactory(station=hosted, created_by=office_a)
    with django_assert_num_queries(2):
        assert services.reviewed_by_office(by_cooperator)
        assert not services.reviewed_by_office(by_office)

    services.record_submit(actor=cooperator, record=by_cooperator)
    cooperator.groups.clear()  # the stored value holds, whatever the rule would say now
    with django_assert_num_queries(1):
        assert services.reviewed_by_office(by_cooperator)
