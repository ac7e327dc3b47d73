"""The record kit's one write path and one gate, exercised on StationActivity (the other record types
are covered in their apps): out of scope is not found, read-only is forbidden, approved is locked,
only allow-listed fields are set, and the unit hears of every review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from microstations.models import StationActivity
from notifications.models import Digest
from records import services
from records.models import ReviewStatus
from tests.microstations.factories import ACTIVITY_DAY, MicroStationFactory, StationActivityFactory


@pytest.fixture
def station_a(office_a):
    return MicroStationFactory(supervising_unit=office_a.unit, opened=True)


@pytest.fixture
def station_b(office_b):
    return MicroStationFactory(supervising_unit=office_b.unit, opened=True)


def activity_data(station, **changes):
    data = {
        "station": station,
        "date": ACTIVITY_DAY,
        "topic": StationActivity.Topic.SCIENCE,
        "title": "计量科普进社区",
        "people_reached": 100,
        "materials_distributed": 50,
        "volunteers_present": 2,
        "summary": "现场解答群众咨询。",
    }
    data.update(changes)
    return data


def save(actor, *, record=None, **data):
    return services.record_save(actor=actor, model=StationActivity, record=record, data=data)


def test_office_creates_an_activity_whose_unit_and_campaign_follow_the_station(office_a, station_a):
    saved = save(office_a, **activity_data(station_a))
    assert (saved.unit, saved.campaign, saved.created_by) == (office_a.unit, station_a.campaign, office_a)
    assert saved.review_status == ReviewStatus.DRAFT
    assert saved.history.get().history_user == office_a


def test_a_station_of_another_unit_is_not_found_and_nothing_is_saved(office_a, station_b):
    with pytest.raises(Http404):
        save(office_a, **activity_data(station_b))
    assert not StationActivity.objects.exists()


def test_leadership_may_not_create_or_change_records(leader, office_a, station_a):
    with pytest.raises(PermissionDenied):
        save(leader, **activity_data(station_a))
    activity = StationActivityFactory(station=station_a, created_by=office_a)
    with pytest.raises(PermissionDenied):
        save(leader, record=activity, title="改")
    assert StationActivity.objects.get().title == activity.title


def test_an_office_cannot_change_another_units_record(office_b, office_a, station_a):
    activity = StationActivityFactory(station=station_a, created_by=office_a)
    with pytest.raises(Http404):
        save(office_b, record=activity, title="改")
    assert StationActivity.objects.get().title == activity.title


@pytest.mark.parametrize(
    "field",
    ["unit", "campaign", "review_status", "reviewed_by", "created_by", "return_reason", "no_such_field"],
)
def test_fields_outside_the_allow_list_are_refused(office_a, station_a, field):
    activity = StationActivityFactory(station=station_a, created_by=office_a)
    with pytest.raises(ValidationError) as caught:
        save(office_a, record=activity, **{field: None})
    assert field in caught.value.message_dict
    assert StationActivity.objects.get().review_status == ReviewStatus.DRAFT


@pytest.mark.parametrize("day", [dt.date(2025, 4, 1), dt.date(2025, 7, 15)])
def test_a_date_outside_the_campaign_is_refused_with_its_reason(office_a, station_a, day):
    with pytest.raises(ValidationError) as caught:
        save(office_a, **activity_data(station_a, date=day))
    assert "活动期间" in caught.value.message_dict["date"][0]
    assert not StationActivity.objects.exists()


def test_an_approved_record_is_locked_for_everyone(office_a, bureau_admin, station_a):
    activity = StationActivityFactory(station=station_a, created_by=office_a)
    services.record_submit(actor=office_a, record=activity)
    services.record_approve(actor=bureau_admin, record=activity)
    for actor in (office_a, bureau_admin):
        with pytest.raises(ValidationError):
            save(actor, record=activity, title="改")
    assert StationActivity.objects.get().title == activity.title


def test_review_services_check_scope_and_permission(office_a, office_b, leader, bureau_admin, station_a):
    activity = StationActivityFactory(station=station_a, created_by=office_a)
    with pytest.raises(Http404):
        services.record_submit(actor=office_b, record=activity)
    with pytest.raises(PermissionDenied):
        services.record_submit(actor=leader, record=activity)
    services.record_submit(actor=office_a, record=activity)
    with pytest.raises(Http404):
        services.record_approve(actor=office_b, record=activity)
    with pytest.raises(PermissionDenied):
        services.record_approve(actor=office_a, record=activity)
    with pytest.raises(PermissionDenied):
        services.record_return(actor=leader, record=activity, reason="不行")
    assert StationActivity.objects.get().review_status == ReviewStatus.SUBMITTED


def test_the_unit_is_told_of_an_approval_and_of_a_return_with_its_reason(office_a, bureau_admin, station_a):
    approved, returned = StationActivityFactory.create_batch(2, station=station_a, created_by=office_a)
    for record in (approved, returned):
        services.record_submit(actor=office_a, record=record)
    services.record_approve(actor=bureau_admin, record=approved)
    services.record_return(actor=bureau_admin, record=returned, reason="照片不清楚")
    digests = list(Digest.objects.filter(audience=f"unit:{office_a.unit_id}").order_by("pk"))
    assert [d.subject for d in digests] == [f"【已通过】{approved}", f"【已退回】{returned}"]
    assert "照片不清楚" in digests[1].body
    assert set(digests[1].deliveries.values_list("recipient__username", flat=True)) == {"office_a"}


def test_bulk_review_counts_what_it_did_and_what_it_skipped(office_a, bureau_admin, station_a):
    submitted = StationActivityFactory.create_batch(2, station=station_a, created_by=office_a)
    for record in submitted:
        services.record_submit(actor=office_a, record=record)
    draft = StationActivityFactory(station=station_a, created_by=office_a)
    records = list(StationActivity.objects.filter(pk__in=[r.pk for r in [*submitted, draft]]))
    result = services.records_review_bulk(actor=bureau_admin, records=records, action="approve")
    assert (result.done, result.skipped) == (2, 1)
    assert StationActivity.objects.get(pk=draft.pk).review_status == ReviewStatus.DRAFT


def test_bulk_return_needs_one_reason_and_reviewers_only(office_a, bureau_admin, leader, station_a):
    record = StationActivityFactory(station=station_a, created_by=office_a)
    services.record_submit(actor=office_a, record=record)
    with pytest.raises(ValidationError):
        services.records_review_bulk(actor=bureau_admin, records=[record], action="return", reason=" ")
    with pytest.raises(PermissionDenied):
        services.records_review_bulk(actor=leader, records=[record], action="approve")
    # An office reviews what others enter for it, not its own entries: they are skipped.
    result = services.records_review_bulk(actor=office_a, records=[record], action="approve")
    assert (result.done, result.skipped) == (0, 1)
    assert StationActivity.objects.get().review_status == ReviewStatus.SUBMITTED


def test_delete_refuses_other_units_and_approved_records(office_a, office_b, bureau_admin, station_a):
    record = StationActivityFactory(station=station_a, created_by=office_a)
    with pytest.raises(Http404):
        services.record_delete(actor=office_b, record=record)
    services.record_submit(actor=office_a, record=record)
    services.record_approve(actor=bureau_admin, record=record)
    with pytest.raises(ValidationError):
        services.record_delete(actor=bureau_admin, record=record)
    assert StationActivity.objects.filter(pk=record.pk).exists()


def test_a_user_without_a_unit_files_under_the_parents_unit_or_not_at_all(station_a, db):
    from tests.factories import UserFactory

    superuser = UserFactory(username="root", unit=None, is_staff=True, is_superuser=True)
    saved = save(superuser, **activity_data(station_a))
    assert saved.unit == station_a.supervising_unit
    from tests.publicity.factories import PublicityActivityFactory

    with pytest.raises(PermissionDenied):
        services.record_save(
            actor=superuser, model=PublicityActivityFactory._meta.model, data={"title": "无单位"}
        )
