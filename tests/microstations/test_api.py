"""/api/v1/stations/ and /api/v1/station-activities/: scoping, writes through services, review actions."""

from __future__ import annotations

import pytest

from microstations.models import MicroStation, StationActivity
from records import services as review
from records.models import ReviewLog, ReviewStatus
from tests.microstations.factories import MicroStationFactory

STATIONS = "/api/v1/stations/"
ACTIVITIES = "/api/v1/station-activities/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def payload(station, **overrides):
    return {
        "station": station.pk,
        "date": "2025-05-21",
        "topic": StationActivity.Topic.UTILITIES,
        "title": "用水用电用气计量知识讲解",
        "people_reached": 60,
        "materials_distributed": 40,
        "volunteers_present": 1,
        "summary": "",
        **overrides,
    }


def fresh(activity: StationActivity) -> StationActivity:
    return StationActivity.objects.get(pk=activity.pk)


# --- stations -------------------------------------------------------------------------------------


def test_office_lists_only_its_supervised_stations(api_client, office_a, station_a, station_b):
    api_client.force_authenticate(office_a)

    response = api_client.get(STATIONS)

    assert response.status_code == 200
    assert ids(response) == {station_a.pk}
    row = response.json()["results"][0]
    assert row["supervising_unit_name"] == "甲地市场监管所"
    assert row["stage_display"] == "已揭牌运行"


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_list_every_station(api_client, request, station_a, station_b, actor):
    api_client.force_authenticate(request.getfixturevalue(actor))

    assert ids(api_client.get(STATIONS)) == {station_a.pk, station_b.pk}


def test_another_units_station_is_404_in_the_api(api_client, office_a, station_b):
    api_client.force_authenticate(office_a)

    assert api_client.get(f"{STATIONS}{station_b.pk}/").status_code == 404


def test_the_station_api_filters_by_stage_and_searches_by_name(api_client, leader, station_a, station_b):
    planned = MicroStationFactory(name="民生计量科普宣传服务微站（巫峡镇社区）")
    api_client.force_authenticate(leader)

    assert ids(api_client.get(STATIONS, {"stage": MicroStation.Stage.PLANNED})) == {planned.pk}
    assert ids(api_client.get(STATIONS, {"search": "乙地"})) == {station_b.pk}
    # The page's FilterSet: the same filters by the same rules.
    assert ids(api_client.get(STATIONS, {"q": "乙地"})) == {station_b.pk}
    assert ids(api_client.get(STATIONS, {"township": "高唐街道", "stage": "planned"})) == {planned.pk}


def test_anonymous_callers_get_nothing(api_client, station_a, activity_a):
    assert api_client.get(STATIONS).status_code in (401, 403)
    assert api_client.get(ACTIVITIES).status_code in (401, 403)


# --- activities: reading --------------------------------------------------------------------------


def test_office_lists_only_its_own_units_activities(api_client, office_a, activity_a, activity_b):
    api_client.force_authenticate(office_a)

    response = api_client.get(ACTIVITIES)

    assert ids(response) == {activity_a.pk}
    assert response.json()["results"][0]["unit_name"] == "甲地市场监管所"


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_read_every_activity(
    api_client, request, activity_a, activity_b, actor
):
    api_client.force_authenticate(request.getfixturevalue(actor))

    assert ids(api_client.get(ACTIVITIES)) == {activity_a.pk, activity_b.pk}
    assert api_client.get(f"{ACTIVITIES}{activity_b.pk}/").status_code == 200


def test_another_units_activity_is_404_in_the_api(api_client, office_a, activity_b):
    api_client.force_authenticate(office_a)

    assert api_client.get(f"{ACTIVITIES}{activity_b.pk}/").status_code == 404
    patch = api_client.patch(f"{ACTIVITIES}{activity_b.pk}/", {"title": "被改了"}, format="json")
    assert patch.status_code == 404
    assert api_client.post(f"{ACTIVITIES}{activity_b.pk}/submit/").status_code == 404
    stored = fresh(activity_b)
    assert (stored.title, stored.review_status) == ("乙地公平秤体验", ReviewStatus.DRAFT)


def test_the_activity_api_filters_by_review_status(api_client, office_a, activity_a, station_a):
    from tests.microstations.factories import StationActivityFactory

    other = StationActivityFactory(station=station_a)
    review.record_submit(actor=office_a, record=other)
    api_client.force_authenticate(office_a)

    assert ids(api_client.get(ACTIVITIES, {"review_status": "submitted"})) == {other.pk}


# --- activities: writing --------------------------------------------------------------------------


def test_office_creates_an_activity_whose_unit_follows_the_station(api_client, office_a, station_a, unit_b):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        ACTIVITIES, payload(station_a, unit=unit_b.pk, review_status="approved"), format="json"
    )

    assert response.status_code == 201
    activity = StationActivity.objects.get()
    assert response.json()["id"] == activity.pk
    assert (activity.unit, activity.campaign) == (station_a.supervising_unit, station_a.campaign)
    assert activity.review_status == ReviewStatus.DRAFT
    assert activity.created_by == office_a


def test_posting_another_units_station_to_the_api_is_rejected(api_client, office_a, station_b):
    api_client.force_authenticate(office_a)

    response = api_client.post(ACTIVITIES, payload(station_b), format="json")

    assert response.status_code == 400
    assert "station" in response.json()
    assert not StationActivity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"people_reached": -1}, "people_reached", "请确保该值大于或者等于 0。"),
        (
            {"people_reached": 1, "volunteers_present": 2},
            "volunteers_present",
            "参加的宣传员人数不能多于覆盖人数。",
        ),
        ({"date": "2025-07-01"}, "date", "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
    ],
)
def test_bad_activities_are_rejected_by_the_api_with_a_chinese_message(
    api_client, office_a, station_a, overrides, field, message
):
    api_client.force_authenticate(office_a)

    response = api_client.post(ACTIVITIES, payload(station_a, **overrides), format="json")

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not StationActivity.objects.exists()


def test_leader_cannot_create_or_change_activities_through_the_api(api_client, leader, station_a, activity_a):
    api_client.force_authenticate(leader)

    assert api_client.post(ACTIVITIES, payload(station_a), format="json").status_code == 403
    patch = api_client.patch(f"{ACTIVITIES}{activity_a.pk}/", {"title": "被改了"}, format="json")
    assert patch.status_code == 403
    assert StationActivity.objects.count() == 1
    assert fresh(activity_a).title == "甲地计量科普进社区"


# --- activities: review actions -------------------------------------------------------------------


def test_office_submits_through_the_api(api_client, office_a, activity_a):
    api_client.force_authenticate(office_a)

    response = api_client.post(f"{ACTIVITIES}{activity_a.pk}/submit/")

    assert response.status_code == 200
    assert response.json()["review_status"] == ReviewStatus.SUBMITTED
    assert fresh(activity_a).review_status == ReviewStatus.SUBMITTED


def test_leader_cannot_submit_through_the_api(api_client, leader, activity_a):
    api_client.force_authenticate(leader)

    assert api_client.post(f"{ACTIVITIES}{activity_a.pk}/submit/").status_code == 403
    assert fresh(activity_a).review_status == ReviewStatus.DRAFT


@pytest.mark.parametrize("actor", ["office_a", "leader"])
@pytest.mark.parametrize("action", ["approve", "return"])
def test_only_reviewers_may_approve_or_return_through_the_api(api_client, request, activity_a, actor, action):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    api_client.force_authenticate(request.getfixturevalue(actor))

    response = api_client.post(f"{ACTIVITIES}{activity_a.pk}/{action}/", {"reason": "不合格"}, format="json")

    assert response.status_code == 403
    assert fresh(activity_a).review_status == ReviewStatus.SUBMITTED


def test_bureau_admin_approves_through_the_api(api_client, bureau_admin, activity_a):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(f"{ACTIVITIES}{activity_a.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["review_status_display"] == "已通过"
    assert fresh(activity_a).reviewed_by == bureau_admin


def test_returning_through_the_api_needs_a_reason(api_client, bureau_admin, activity_a):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    api_client.force_authenticate(bureau_admin)

    missing = api_client.post(f"{ACTIVITIES}{activity_a.pk}/return/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {"reason": ["退回时必须填写原因。"]}
    assert fresh(activity_a).review_status == ReviewStatus.SUBMITTED

    given = api_client.post(f"{ACTIVITIES}{activity_a.pk}/return/", {"reason": "请补充照片"}, format="json")
    assert given.status_code == 200
    assert given.json()["return_reason"] == "请补充照片"
    assert ReviewLog.objects.filter(action=ReviewLog.Action.RETURNED, reason="请补充照片").count() == 1


def test_approving_a_draft_through_the_api_is_a_409(api_client, bureau_admin, activity_a):
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(f"{ACTIVITIES}{activity_a.pk}/approve/")

    # The request is fine; the record's state (a draft) refuses it.
    assert response.status_code == 409
    assert response.json() == {"detail": "只有“已提交”的记录可以审核，当前为“草稿”。"}


def test_the_activity_api_shares_the_pages_filters(api_client, office_a, activity_a, station_a):
    from tests.microstations.factories import StationActivityFactory

    other_station = MicroStationFactory(supervising_unit=station_a.supervising_unit, opened=True)
    other = StationActivityFactory(station=other_station, title="加油机计量讲解")
    api_client.force_authenticate(office_a)

    assert ids(api_client.get(ACTIVITIES, {"station": other_station.pk})) == {other.pk}
    assert ids(api_client.get(ACTIVITIES, {"q": "加油机"})) == {other.pk}
    assert ids(api_client.get(ACTIVITIES, {"date_from": "2025-06-01"})) == set()


def test_fields_outside_the_allow_list_are_read_only_in_the_api(api_client, office_a, activity_a):
    api_client.force_authenticate(office_a)

    response = api_client.patch(
        f"{ACTIVITIES}{activity_a.pk}/",
        {"title": "改过的标题", "review_status": "approved", "unit": 999, "campaign": 999},
        format="json",
    )

    assert response.status_code == 200
    stored = fresh(activity_a)
    assert (stored.title, stored.review_status) == ("改过的标题", ReviewStatus.DRAFT)
    assert stored.unit == activity_a.unit
