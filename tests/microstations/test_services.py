"""microstations.services (the station life-cycle) and records.services.record_save for station
activities, called directly: the one write path every door (form, API, admin, demo) takes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from evidence.models import Photo
from evidence.processing import process_upload
from microstations import services
from microstations.models import MicroStation, StationActivity
from records import services as review
from records.models import ReviewLog, ReviewStatus
from tests.evidence.images import camera_exif, jpeg, upload
from tests.factories import CampaignFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

Stage = MicroStation.Stage


def activity_data(**overrides):
    return {
        "date": dt.date(2025, 5, 21),
        "topic": StationActivity.Topic.SCIENCE,
        "title": "计量科普进社区",
        "people_reached": 120,
        "materials_distributed": 80,
        "volunteers_present": 2,
        "summary": "",
        **overrides,
    }


def activity_create(*, actor, station, data, photos=(), submit=False) -> StationActivity:
    return review.record_save(
        actor=actor,
        model=StationActivity,
        data={**data, "station": station},
        photos=photos,
        submit=submit,
    )


def activity_update(*, actor, activity, data, photos=(), submit=False) -> StationActivity:
    return review.record_save(
        actor=actor, model=StationActivity, record=activity, data=data, photos=photos, submit=submit
    )


# --- station stages -------------------------------------------------------------------------------


def test_a_station_moves_forward_through_every_stage(campaign, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a)

    for stage in (Stage.BUILDER_CONFIRMED, Stage.FURNISHED):
        station = services.station_set_stage(actor=bureau_admin, station=station, stage=stage)
    station = services.station_set_stage(
        actor=bureau_admin, station=station, stage=Stage.OPENED, opened_on=dt.date(2025, 5, 20)
    )

    stored = MicroStation.objects.get(pk=station.pk)
    assert (stored.stage, stored.opened_on) == (Stage.OPENED, dt.date(2025, 5, 20))
    assert stored.history.first().history_user == bureau_admin


def test_a_station_may_skip_stages_forward(campaign, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a)

    services.station_set_stage(actor=bureau_admin, station=station, stage=Stage.FURNISHED)

    assert MicroStation.objects.get(pk=station.pk).stage == Stage.FURNISHED


@pytest.mark.parametrize("back_to", [Stage.PLANNED, Stage.BUILDER_CONFIRMED])
def test_a_station_never_moves_back(campaign, bureau_admin, unit_a, back_to):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)

    with pytest.raises(ValidationError, match="微站已是“已布置”，不能退回"):
        services.station_set_stage(actor=bureau_admin, station=station, stage=back_to)

    assert MicroStation.objects.get(pk=station.pk).stage == Stage.FURNISHED


def test_opening_a_station_needs_an_opening_date(campaign, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)

    with pytest.raises(ValidationError) as excinfo:
        services.station_set_stage(actor=bureau_admin, station=station, stage=Stage.OPENED)

    assert excinfo.value.message_dict == {"opened_on": ["已揭牌运行的微站必须填写揭牌日期。"]}
    assert MicroStation.objects.get(pk=station.pk).stage == Stage.FURNISHED


def test_an_opening_date_in_the_future_is_rejected(campaign, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        services.station_set_stage(
            actor=bureau_admin, station=station, stage=Stage.OPENED, opened_on=tomorrow
        )

    assert excinfo.value.message_dict == {"opened_on": ["揭牌日期不能晚于今天。"]}
    stored = MicroStation.objects.get(pk=station.pk)
    assert (stored.stage, stored.opened_on) == (Stage.FURNISHED, None)


def test_another_units_office_cannot_set_a_stations_stage(campaign, office_b, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a)

    with pytest.raises(Http404):
        services.station_set_stage(actor=office_b, station=station, stage=Stage.FURNISHED)

    assert MicroStation.objects.get(pk=station.pk).stage == Stage.PLANNED


@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_those_who_may_not_change_stations_cannot_set_a_stage_through_the_service(
    campaign, request, unit_a, actor
):
    station = MicroStationFactory(supervising_unit=unit_a)

    with pytest.raises(PermissionDenied):
        services.station_set_stage(
            actor=request.getfixturevalue(actor), station=station, stage=Stage.FURNISHED
        )

    assert MicroStation.objects.get(pk=station.pk).stage == Stage.PLANNED


def test_the_database_refuses_an_opened_station_without_an_opening_date(campaign, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)

    with pytest.raises(IntegrityError), transaction.atomic():
        MicroStation.objects.filter(pk=station.pk).update(stage=Stage.OPENED)

    assert MicroStation.objects.get(pk=station.pk).stage == Stage.FURNISHED


def test_full_clean_names_the_opening_date_constraint_in_chinese(campaign, unit_a):
    station = MicroStationFactory.build(supervising_unit=unit_a, stage=Stage.OPENED, opened_on=None)

    with pytest.raises(ValidationError, match="已揭牌运行的微站必须填写揭牌日期。"):
        station.full_clean()


def test_coordinates_come_in_pairs(campaign, unit_a):
    station = MicroStationFactory.build(supervising_unit=unit_a, latitude="31.075000", longitude=None)

    with pytest.raises(ValidationError, match="经度和纬度需同时填写或同时留空。"):
        station.full_clean()


# --- activities -----------------------------------------------------------------------------------


def test_an_activity_takes_its_unit_and_campaign_from_its_station(station_a, office_a, campaign):
    activity = activity_create(actor=office_a, station=station_a, data=activity_data(), photos=[])

    stored = StationActivity.objects.get(pk=activity.pk)
    assert stored.unit == station_a.supervising_unit
    assert stored.campaign == campaign
    assert stored.created_by == office_a
    assert stored.review_status == ReviewStatus.DRAFT
    assert stored.history.get().history_user == office_a


def test_an_activity_created_with_submit_is_submitted_and_logged(station_a, office_a):
    activity = activity_create(
        actor=office_a, station=station_a, data=activity_data(), photos=[], submit=True
    )

    assert StationActivity.objects.get(pk=activity.pk).review_status == ReviewStatus.SUBMITTED
    assert ReviewLog.objects.get(object_id=activity.pk).action == ReviewLog.Action.SUBMITTED


def test_photos_given_to_the_service_are_attached_to_the_activity(station_a, office_a, media_root):
    photos = [
        process_upload(upload("one.jpg", jpeg(exif=camera_exif()))),
        process_upload(upload("two.jpg", jpeg((800, 600)))),
    ]

    activity = activity_create(actor=office_a, station=station_a, data=activity_data(), photos=photos)

    attached = list(Photo.objects.filter(object_id=activity.pk).order_by("pk"))
    assert [p.record for p in attached] == [activity, activity]
    assert [p.original_name for p in attached] == ["one.jpg", "two.jpg"]
    assert attached[0].taken_at is not None
    assert attached[0].latitude is not None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": dt.date(2025, 4, 24)}, "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
        ({"date": dt.date(2025, 7, 1)}, "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
    ],
)
def test_an_activity_outside_the_campaign_is_rejected(station_a, office_a, overrides, message):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(actor=office_a, station=station_a, data=activity_data(**overrides), photos=[])

    assert excinfo.value.message_dict == {"date": [message]}
    assert not StationActivity.objects.exists()


def test_an_activity_dated_in_the_future_is_rejected(office_a, unit_a):
    today = timezone.localdate()
    campaign = CampaignFactory(year=today.year + 1, start_date=today - dt.timedelta(days=30), end_date=None)
    station = MicroStationFactory(campaign=campaign, supervising_unit=unit_a)

    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            actor=office_a,
            station=station,
            data=activity_data(date=today + dt.timedelta(days=1)),
            photos=[],
        )

    assert excinfo.value.message_dict == {"date": ["日期不能晚于今天。"]}
    assert not StationActivity.objects.exists()


def test_a_leader_cannot_attach_photos_through_the_service_and_nothing_is_saved(station_a, leader):
    photos = [process_upload(upload("one.jpg", jpeg()))]

    with pytest.raises(PermissionDenied):
        activity_create(actor=leader, station=station_a, data=activity_data(), photos=photos)

    assert not StationActivity.objects.exists()
    assert not Photo.objects.exists()


def test_updating_an_activity_moves_it_with_its_station(activity_a, office_a, unit_a):
    other_station = MicroStationFactory(supervising_unit=unit_a, opened=True)

    activity_update(
        actor=office_a,
        activity=activity_a,
        data={"station": other_station, "title": "改过的标题"},
        photos=[],
    )

    stored = StationActivity.objects.get(pk=activity_a.pk)
    assert (stored.station, stored.unit, stored.title) == (other_station, unit_a, "改过的标题")


def test_updating_a_returned_activity_with_submit_resubmits_it(activity_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=activity_a)
    review.record_return(actor=bureau_admin, record=activity_a, reason="请补充照片")

    activity_update(actor=office_a, activity=activity_a, data={"people_reached": 150}, photos=[], submit=True)

    stored = StationActivity.objects.get(pk=activity_a.pk)
    assert (stored.review_status, stored.people_reached) == (ReviewStatus.SUBMITTED, 150)


# --- the one write path's gate ------------------------------------------------------------------------


def test_another_units_office_cannot_log_an_activity_at_a_station_it_does_not_supervise(station_a, office_b):
    with pytest.raises(Http404):
        activity_create(actor=office_b, station=station_a, data=activity_data())

    assert not StationActivity.objects.exists()


def test_another_units_office_cannot_update_an_activity(activity_a, office_b):
    with pytest.raises(Http404):
        activity_update(actor=office_b, activity=activity_a, data={"title": "被改了"})

    assert StationActivity.objects.get(pk=activity_a.pk).title == "甲地计量科普进社区"


def test_leadership_cannot_update_an_activity(activity_a, leader):
    with pytest.raises(PermissionDenied):
        activity_update(actor=leader, activity=activity_a, data={"title": "被改了"})

    assert StationActivity.objects.get(pk=activity_a.pk).title == "甲地计量科普进社区"


@pytest.mark.parametrize(
    "data",
    [
        {"unit": "other"},
        {"campaign": 1},
        {"review_status": ReviewStatus.APPROVED},
        {"created_by": 1},
        {"reviewed_by": 1},
    ],
)
def test_fields_outside_the_allow_list_are_refused(activity_a, office_a, data):
    with pytest.raises(ValidationError) as excinfo:
        activity_update(actor=office_a, activity=activity_a, data={"title": "改过的标题", **data})

    assert set(excinfo.value.message_dict) == set(data)
    stored = StationActivity.objects.get(pk=activity_a.pk)
    assert (stored.title, stored.review_status) == ("甲地计量科普进社区", ReviewStatus.DRAFT)


def test_an_approved_activity_is_locked(activity_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=activity_a)
    review.record_approve(actor=bureau_admin, record=activity_a)

    with pytest.raises(ValidationError, match="该记录已审核通过，不能再修改。"):
        activity_update(actor=office_a, activity=activity_a, data={"people_reached": 999})

    assert StationActivity.objects.get(pk=activity_a.pk).people_reached == 120


def test_moving_an_activity_to_another_units_station_is_404(activity_a, office_a, station_b):
    with pytest.raises(Http404):
        activity_update(actor=office_a, activity=activity_a, data={"station": station_b})

    assert StationActivity.objects.get(pk=activity_a.pk).station == activity_a.station


def test_more_volunteers_than_people_reached_is_the_models_rule(station_a, office_a):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            actor=office_a, station=station_a, data=activity_data(people_reached=1, volunteers_present=2)
        )

    assert excinfo.value.message_dict == {"volunteers_present": ["参加的宣传员人数不能多于覆盖人数。"]}
    assert not StationActivity.objects.exists()


def test_the_bureau_logs_an_activity_for_the_stations_unit(station_a, bureau_admin):
    activity = activity_create(actor=bureau_admin, station=station_a, data=activity_data())

    assert StationActivity.objects.get(pk=activity.pk).unit == station_a.supervising_unit


def test_a_factory_row_outside_its_campaign_fails_full_clean(station_a):
    # Whatever door built it, the model refuses the date (the admin, an import, a script).
    activity = StationActivityFactory.build(station=station_a, date=dt.date(2025, 7, 1))

    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()

    assert excinfo.value.message_dict["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]
