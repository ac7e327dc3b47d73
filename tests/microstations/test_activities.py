"""The office's station-activity pages: who sees and does what, bad input, photos, review buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import Photo
from microstations.models import StationActivity
from records import services as review
from records.models import ReviewLog, ReviewStatus
from tests.evidence.images import camera_exif, jpeg, png_bomb, stored_files, upload
from tests.factories import CampaignFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory
from tests.organizations import cooperators

LIST = "/workbench/microstations/activities/"
CREATE = "/workbench/microstations/activities/new/"


def detail_url(activity: StationActivity) -> str:
    return f"/workbench/microstations/activities/{activity.pk}/"


def edit_url(activity: StationActivity) -> str:
    return f"/workbench/microstations/activities/{activity.pk}/edit/"


def review_url(activity: StationActivity, action: str) -> str:
    return f"/workbench/microstations/activities/{activity.pk}/{action}/"


def form_data(station, **overrides):
    return {
        "station": station.pk,
        "date": "2025-05-21",
        "topic": StationActivity.Topic.SCIENCE,
        "title": "计量科普进社区",
        "people_reached": "120",
        "materials_distributed": "80",
        "volunteers_present": "2",
        "summary": "现场解答群众咨询。",
        "action": "save",
        **overrides,
    }


def listed(response) -> list[StationActivity]:
    return list(response.context["paginator"].object_list)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def fresh(activity: StationActivity) -> StationActivity:
    return StationActivity.objects.get(pk=activity.pk)


@pytest.fixture
def counts():
    """The StationActivity and Photo row counts, to compare after a rejected submission."""

    def _counts() -> tuple[int, int]:
        return StationActivity.objects.count(), Photo.objects.count()

    return _counts


# --- the list ---------------------------------------------------------------------------------------


def test_reverse_names_match_the_paths_the_tests_use(activity_a):
    assert reverse("microstations:activity_list") == LIST
    assert reverse("microstations:activity_create") == CREATE
    assert reverse("microstations:activity_detail", args=[activity_a.pk]) == detail_url(activity_a)
    assert reverse("microstations:activity_edit", args=[activity_a.pk]) == edit_url(activity_a)
    assert reverse("microstations:activity_review", args=[activity_a.pk, "submit"]) == review_url(
        activity_a, "submit"
    )


def test_office_lists_only_its_own_units_activities(client, office_a, activity_a, activity_b):
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [activity_a]
    html = response.content.decode()
    assert "甲地计量科普进社区" in html
    assert "乙地公平秤体验" not in html
    assert f'href="{CREATE}"' in html
    # The draft is listed but is no official figure yet.
    assert response.context["totals"] == {"count": 0, "people": 0, "materials": 0, "pending": 0}


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_list_every_units_activities(
    client, request, activity_a, activity_b, actor
):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(listed(response)) == {activity_a, activity_b}
    assert response.context["can_add"] is (actor == "bureau_admin")
    assert (f'href="{CREATE}"' in response.content.decode()) is (actor == "bureau_admin")


def test_anonymous_visitors_are_sent_to_log_in(client, activity_a):
    for url in (LIST, CREATE, detail_url(activity_a), edit_url(activity_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_list_filters_by_review_status_station_and_search(client, office_a, station_a, activity_a):
    other_station = MicroStationFactory(supervising_unit=station_a.supervising_unit, opened=True)
    submitted = StationActivityFactory(station=other_station, title="加油机计量讲解")
    review.record_submit(actor=office_a, record=submitted)
    client.force_login(office_a)

    assert listed(client.get(LIST, {"review_status": "submitted"})) == [submitted]
    assert listed(client.get(LIST, {"station": station_a.pk})) == [activity_a]
    assert listed(client.get(LIST, {"q": "加油机"})) == [submitted]
    assert listed(client.get(LIST, {"date_from": "2025-06-01"})) == []


def test_the_office_cannot_filter_by_another_units_station(client, office_a, activity_a, station_b):
    client.force_login(office_a)

    response = client.get(LIST, {"station": station_b.pk})

    # An invalid filter is shown on the form and ignored; it never reveals the other unit's rows.
    assert listed(response) == [activity_a]
    assert "station" in response.context["filter_form"].errors


def test_the_list_shows_thumbnails_of_each_activitys_photos(client, office_a, activity_a, media_root):
    from evidence.processing import process_upload
    from evidence.services import photos_attach

    photos = photos_attach(
        actor=office_a, record=activity_a, photos=[process_upload(upload("a.jpg", jpeg()))]
    )
    client.force_login(office_a)

    html = client.get(LIST).content.decode()

    assert f'src="{reverse("evidence:thumbnail", args=[photos[0].pk])}"' in html


# --- the detail page --------------------------------------------------------------------------------


def test_office_reads_its_own_activity_with_edit_and_submit_buttons(client, office_a, activity_a):
    client.force_login(office_a)

    response = client.get(detail_url(activity_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert "甲地计量科普进社区" in html
    assert f'href="{edit_url(activity_a)}"' in html
    assert 'data-testid="submit-record"' in html
    assert 'data-testid="approve-record"' not in html


@pytest.mark.parametrize("method", ["get_detail", "get_edit", "post_edit", "submit", "approve", "return"])
def test_another_units_office_gets_404_everywhere(client, office_b, activity_a, method):
    client.force_login(office_b)

    if method == "get_detail":
        response = client.get(detail_url(activity_a))
    elif method == "get_edit":
        response = client.get(edit_url(activity_a))
    elif method == "post_edit":
        response = client.post(edit_url(activity_a), form_data(activity_a.station, title="被改了"))
    else:
        response = client.post(review_url(activity_a, method), {"reason": "x"})

    assert response.status_code == 404
    stored = fresh(activity_a)
    assert (stored.title, stored.review_status) == ("甲地计量科普进社区", ReviewStatus.DRAFT)


def test_a_missing_activity_is_404(client, office_a):
    client.force_login(office_a)

    assert client.get("/workbench/microstations/activities/999999/").status_code == 404


def test_leader_reads_any_activity_without_buttons(client, leader, activity_a):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    client.force_login(leader)

    response = client.get(detail_url(activity_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert "甲地计量科普进社区" in html
    for marker in (
        'data-testid="submit-record"',
        'data-testid="approve-record"',
        f'href="{edit_url(activity_a)}"',
    ):
        assert marker not in html


def test_leader_gets_403_on_creating_an_activity(client, leader, station_a, counts):
    client.force_login(leader)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(station_a)).status_code == 403
    assert counts() == (0, 0)


def test_leader_gets_403_on_editing_an_activity(client, leader, activity_a):
    client.force_login(leader)

    assert client.get(edit_url(activity_a)).status_code == 403
    assert client.post(edit_url(activity_a), form_data(activity_a.station, title="被改了")).status_code == 403
    assert fresh(activity_a).title == "甲地计量科普进社区"


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_leader_gets_403_on_every_review_button(client, leader, activity_a, action):
    if action != "submit":
        review.record_submit(actor=activity_a.created_by, record=activity_a)
    before = fresh(activity_a).review_status
    client.force_login(leader)

    response = client.post(review_url(activity_a, action), {"reason": "不合格"})

    assert response.status_code == 403
    assert fresh(activity_a).review_status == before


def test_review_buttons_answer_only_post(client, office_a, activity_a):
    client.force_login(office_a)

    assert client.get(review_url(activity_a, "submit")).status_code == 405
    assert fresh(activity_a).review_status == ReviewStatus.DRAFT


def test_an_unknown_review_action_is_refused(client, office_a, activity_a):
    client.force_login(office_a)

    assert client.post(review_url(activity_a, "delete")).status_code == 403
    assert StationActivity.objects.filter(pk=activity_a.pk).exists()


# --- the review buttons -----------------------------------------------------------------------------


def test_office_submits_its_activity_from_the_detail_page(client, office_a, activity_a):
    client.force_login(office_a)

    response = client.post(review_url(activity_a, "submit"), follow=True)

    assert response.redirect_chain == [(detail_url(activity_a), 302)]
    assert "已提交，等待县局审核。" in messages_of(response)
    assert fresh(activity_a).review_status == ReviewStatus.SUBMITTED
    assert 'data-testid="submit-record"' not in response.content.decode()


@pytest.mark.parametrize("action", ["approve", "return"])
def test_office_cannot_review_its_own_submission(client, office_a, activity_a, action):
    review.record_submit(actor=office_a, record=activity_a)
    client.force_login(office_a)

    response = client.post(review_url(activity_a, action), {"reason": "自己退回"})

    assert response.status_code == 403
    assert fresh(activity_a).review_status == ReviewStatus.SUBMITTED


def test_bureau_admin_sees_the_review_buttons_on_a_submitted_activity(client, bureau_admin, activity_a):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    client.force_login(bureau_admin)

    html = client.get(detail_url(activity_a)).content.decode()

    assert 'data-testid="approve-record"' in html
    assert 'data-testid="return-record"' in html


def test_bureau_admin_approves_an_activity_from_its_page(client, bureau_admin, activity_a):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    client.force_login(bureau_admin)

    response = client.post(review_url(activity_a, "approve"), follow=True)

    assert "已审核通过，记录已锁定。" in messages_of(response)
    stored = fresh(activity_a)
    assert (stored.review_status, stored.reviewed_by) == (ReviewStatus.APPROVED, bureau_admin)
    html = response.content.decode()
    assert 'data-testid="approve-record"' not in html
    assert f'href="{edit_url(activity_a)}"' not in html


def test_bureau_admin_returning_without_a_reason_gets_an_error_and_nothing_changes(
    client, bureau_admin, activity_a
):
    review.record_submit(actor=activity_a.created_by, record=activity_a)
    client.force_login(bureau_admin)

    response = client.post(review_url(activity_a, "return"), {"reason": "  "}, follow=True)

    assert "退回时必须填写原因。" in messages_of(response)
    assert fresh(activity_a).review_status == ReviewStatus.SUBMITTED
    assert not ReviewLog.objects.filter(action=ReviewLog.Action.RETURNED).exists()


def test_a_returned_activity_shows_its_reason_to_the_office(client, office_a, bureau_admin, activity_a):
    review.record_submit(actor=office_a, record=activity_a)
    client.force_login(bureau_admin)
    client.post(review_url(activity_a, "return"), {"reason": "请补充现场照片。"})
    client.force_login(office_a)

    detail = client.get(detail_url(activity_a)).content.decode()
    edit = client.get(edit_url(activity_a)).content.decode()

    assert "请补充现场照片。" in detail
    assert "重新提交" in detail
    assert "请补充现场照片。" in edit


def test_bureau_admin_approving_a_draft_gets_an_error(client, bureau_admin, activity_a):
    client.force_login(bureau_admin)

    response = client.post(review_url(activity_a, "approve"), follow=True)

    assert "只有“已提交”的记录可以审核，当前为“草稿”。" in messages_of(response)
    assert fresh(activity_a).review_status == ReviewStatus.DRAFT


# --- creating ---------------------------------------------------------------------------------------


def test_the_create_form_offers_only_the_offices_own_stations(client, office_a, station_a, station_b):
    client.force_login(office_a)

    response = client.get(CREATE, {"station": station_a.pk})

    assert response.status_code == 200
    station_field = response.context["form"].fields["station"]
    assert list(station_field.queryset) == [station_a]
    assert response.context["form"].initial["station"] == str(station_a.pk)
    assert station_b.name not in response.content.decode()


def test_office_saves_a_draft_activity(client, office_a, station_a):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a), follow=True)

    activity = StationActivity.objects.get()
    assert response.redirect_chain == [(detail_url(activity), 302)]
    assert "活动已保存为草稿，提交后县局才能审核。" in messages_of(response)
    assert activity.review_status == ReviewStatus.DRAFT
    assert (activity.unit, activity.created_by, activity.people_reached) == (
        station_a.supervising_unit,
        office_a,
        120,
    )


power_company = cooperators.power_company
cooperator = cooperators.cooperator
hosted = cooperators.hosted


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("save", "活动已保存为草稿，提交后甲地市场监管所才能审核。"),
        ("submit", "活动已保存并提交甲地市场监管所审核。"),
    ],
)
def test_a_cooperators_activity_names_the_stations_office_as_its_reviewer(
    client, cooperator, hosted, action, message
):
    client.force_login(cooperator)

    response = client.post(CREATE, form_data(hosted, action=action), follow=True)

    activity = StationActivity.objects.get()
    assert activity.unit == hosted.supervising_unit
    assert messages_of(response) == [message]


def test_a_valid_activity_with_two_photos_is_saved_and_submitted(client, office_a, station_a, media_root):
    client.force_login(office_a)
    photos = [upload("现场1.jpg", jpeg(exif=camera_exif())), upload("现场2.jpg", jpeg((800, 600)))]

    response = client.post(CREATE, form_data(station_a, action="submit", photos=photos), follow=True)

    activity = StationActivity.objects.get()
    assert response.redirect_chain == [(detail_url(activity), 302)]
    assert "活动已保存并提交县局审核。" in messages_of(response)
    assert activity.review_status == ReviewStatus.SUBMITTED
    assert ReviewLog.objects.get().actor == office_a
    attached = Photo.objects.filter(object_id=activity.pk).order_by("pk")
    assert [p.record for p in attached] == [activity, activity]
    assert sorted(p.original_name for p in attached) == ["现场1.jpg", "现场2.jpg"]
    assert len(stored_files(media_root)) == 4  # each photo and its thumbnail


def test_posting_another_units_station_is_an_invalid_choice_and_nothing_is_saved(
    client, office_a, station_b, counts
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_b))

    assert response.status_code == 200
    assert any("选择一个有效的选项" in e for e in response.context["form"].errors["station"])
    assert counts() == (0, 0)


def test_a_unit_passed_in_the_post_is_ignored(client, office_a, station_a, unit_b):
    client.force_login(office_a)

    client.post(CREATE, form_data(station_a, unit=unit_b.pk, campaign=999))

    activity = StationActivity.objects.get()
    assert activity.unit == station_a.supervising_unit
    assert activity.campaign == station_a.campaign


@pytest.mark.parametrize("field", ["people_reached", "materials_distributed", "volunteers_present"])
def test_negative_counts_are_rejected_and_nothing_is_saved(client, office_a, station_a, counts, field):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a, **{field: "-1"}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["确保该值大于或等于0。"]
    assert counts() == (0, 0)


def test_more_volunteers_than_people_reached_is_rejected(client, office_a, station_a, counts):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a, people_reached="3", volunteers_present="5"))

    assert response.context["form"].errors["volunteers_present"] == ["参加的宣传员人数不能多于覆盖人数。"]
    assert "参加的宣传员人数不能多于覆盖人数。" in response.content.decode()
    assert counts() == (0, 0)


@pytest.mark.parametrize("day", ["2025-04-24", "2025-07-01"])
def test_a_date_outside_the_campaign_is_rejected_with_the_campaign_dates(
    client, office_a, station_a, counts, day, media_root
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a, date=day, photos=[upload("a.jpg", jpeg())]))

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]
    assert counts() == (0, 0)
    assert stored_files(media_root) == []


def test_a_date_in_the_future_is_rejected(client, office_a, unit_a, counts):
    today = timezone.localdate()
    open_campaign = CampaignFactory(
        year=today.year + 1, start_date=today - dt.timedelta(days=10), end_date=None
    )
    station = MicroStationFactory(campaign=open_campaign, supervising_unit=unit_a)
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station, date=(today + dt.timedelta(days=1)).isoformat()))

    assert response.context["form"].errors["date"] == ["日期不能晚于今天。"]
    assert counts() == (0, 0)


def truncated_jpeg() -> bytes:
    data = jpeg((800, 600), noisy=True)
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("说明.jpg", b"this is not an image at all", "照片“说明.jpg”不是可识别的图片文件。"),
        ("半张.jpg", truncated_jpeg(), "照片“半张.jpg”已损坏或不完整，无法读取。"),
        (
            "炸弹.png",
            png_bomb(20_000, 20_000),
            "照片“炸弹.png”像素过多（超过 5000 万像素），可能是恶意文件。",
        ),
    ],
)
def test_a_bad_photo_is_rejected_with_a_clear_message_and_nothing_is_saved(
    client, office_a, station_a, counts, media_root, name, data, message
):
    client.force_login(office_a)
    photos = [upload("好照片.jpg", jpeg()), upload(name, data)]

    response = client.post(CREATE, form_data(station_a, action="submit", photos=photos))

    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [message]
    assert message in response.content.decode()
    assert counts() == (0, 0)
    assert stored_files(media_root) == []


def test_an_oversize_photo_is_rejected_and_nothing_is_saved(
    client, settings, office_a, station_a, counts, media_root
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 2048
    client.force_login(office_a)
    big = jpeg((800, 600), noisy=True)
    assert len(big) > 2048

    response = client.post(CREATE, form_data(station_a, photos=[upload("大照片.jpg", big)]))

    assert response.context["form"].errors["photos"] == ["照片“大照片.jpg”超过 2 KB。"]
    assert counts() == (0, 0)
    assert stored_files(media_root) == []


# --- editing ----------------------------------------------------------------------------------------


def test_office_edits_its_draft_and_adds_a_photo(client, office_a, activity_a, media_root):
    client.force_login(office_a)

    response = client.post(
        edit_url(activity_a),
        form_data(
            activity_a.station, title="改过的标题", people_reached="200", photos=[upload("补.jpg", jpeg())]
        ),
    )

    assert response.status_code == 302
    stored = fresh(activity_a)
    assert (stored.title, stored.people_reached, stored.review_status) == (
        "改过的标题",
        200,
        ReviewStatus.DRAFT,
    )
    assert Photo.objects.get().record == activity_a


def test_the_edit_form_refuses_moving_an_activity_to_another_units_station(
    client, office_a, activity_a, station_b
):
    client.force_login(office_a)

    response = client.post(edit_url(activity_a), form_data(station_b))

    assert response.status_code == 200
    assert "station" in response.context["form"].errors
    assert fresh(activity_a).station == activity_a.station


def test_editing_a_returned_activity_with_save_and_submit_resubmits_it(
    client, office_a, bureau_admin, activity_a
):
    review.record_submit(actor=office_a, record=activity_a)
    review.record_return(actor=bureau_admin, record=activity_a, reason="人数有误")
    client.force_login(office_a)

    response = client.post(
        edit_url(activity_a), form_data(activity_a.station, people_reached="90", action="submit")
    )

    assert response.status_code == 302
    stored = fresh(activity_a)
    assert (stored.review_status, stored.people_reached) == (ReviewStatus.SUBMITTED, 90)


# --- official figures and double submits ------------------------------------------------------------


def test_the_list_totals_count_approved_activities_and_show_the_pending_beside(
    client, office_a, bureau_admin, station_a, activity_a
):
    approved = StationActivityFactory(station=station_a, people_reached=50, materials_distributed=5)
    submitted = StationActivityFactory(station=station_a, people_reached=70)
    for record in (approved, submitted):
        review.record_submit(actor=office_a, record=record)
    review.record_approve(actor=bureau_admin, record=approved)
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.context["totals"] == {"count": 1, "people": 50, "materials": 5, "pending": 1}
    assert 'data-testid="pending"' in response.content.decode()

    review.record_return(actor=bureau_admin, record=submitted, reason="人数有误")
    assert client.get(LIST).context["totals"] == {"count": 1, "people": 50, "materials": 5, "pending": 0}


def test_the_form_carries_a_submission_key(client, office_a, station_a):
    client.force_login(office_a)

    html = client.get(CREATE).content.decode()

    assert 'name="submission_key"' in html


def test_a_double_submit_makes_one_activity(client, office_a, station_a):
    client.force_login(office_a)
    data = form_data(station_a, action="submit", submission_key="render-1")

    first = client.post(CREATE, data)
    second = client.post(CREATE, data, follow=True)

    activity = StationActivity.objects.get()
    assert first["Location"] == detail_url(activity)
    assert second.redirect_chain == [(detail_url(activity), 302)]
    assert "该表单已提交过，未重复保存。" in messages_of(second)
    assert ReviewLog.objects.filter(action=ReviewLog.Action.SUBMITTED).count() == 1


def test_two_renders_of_the_form_make_two_activities(client, office_a, station_a):
    client.force_login(office_a)

    client.post(CREATE, form_data(station_a, submission_key="render-1"))
    client.post(CREATE, form_data(station_a, submission_key="render-2"))

    assert StationActivity.objects.count() == 2
