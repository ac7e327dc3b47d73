"""The office's publicity-activity pages: who sees and does what, bad input, photos, review buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evidence.models import Photo
from publicity.models import PublicityActivity
from records import services as review
from records.models import ReviewStatus
from tests.evidence.images import jpeg, stored_files, upload
from tests.microstations.factories import MicroStationFactory

LIST = "/workbench/publicity/activities/"
CREATE = "/workbench/publicity/activities/new/"


def detail_url(activity) -> str:
    return f"/workbench/publicity/activities/{activity.pk}/"


def edit_url(activity) -> str:
    return f"/workbench/publicity/activities/{activity.pk}/edit/"


def review_url(activity, action: str) -> str:
    return f"/workbench/publicity/activities/{activity.pk}/{action}/"


def form_data(**overrides):
    return {
        "title": "计量惠民进社区",
        "date": "2025-05-21",
        "channel": "offline",
        "form": "community",
        "venue_type": "community_center",
        "venue": "南陵社区服务中心",
        "volunteers_present": "2",
        "participants": "150",
        "materials_distributed": "200",
        "consultations": "30",
        "posters": "4",
        "phone_weight_labels": "50",
        "free_verifications": "12",
        "integrity_pledges": "3",
        "action": "save",
        **overrides,
    }


def online_form(**overrides):
    return form_data(
        **{
            "channel": "online",
            "form": "online_push",
            "venue_type": "",
            "platform": "douyin",
            "post_format": "short_video",
            "url": "https://www.douyin.com/video/520",
            "views": "15620",
            **overrides,
        }
    )


def listed(response) -> list[PublicityActivity]:
    return list(response.context["paginator"].object_list)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_reverse_names_match_the_paths_the_tests_use(activity_a):
    assert reverse("publicity:activity_list") == LIST
    assert reverse("publicity:activity_create") == CREATE
    assert reverse("publicity:activity_detail", args=[activity_a.pk]) == detail_url(activity_a)
    assert reverse("publicity:activity_edit", args=[activity_a.pk]) == edit_url(activity_a)


# --- scoping ------------------------------------------------------------------------------------------


def test_office_lists_only_its_own_units_activities(client, office_a, activity_a, activity_b):
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [activity_a]
    html = response.content.decode()
    assert "甲地计量进社区" in html
    assert "乙地加油站宣传" not in html
    assert "unit" not in response.context["filter_form"].fields  # offices cannot even ask for another unit
    # The figures count approved activities only: a draft counts nowhere, not even as pending.
    assert (response.context["totals"]["activities"], response.context["totals"]["pending"]) == (0, 0)


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_list_every_units_activities_and_filter_by_unit(
    client, request, activity_a, activity_b, actor
):
    client.force_login(request.getfixturevalue(actor))

    assert set(listed(client.get(LIST))) == {activity_a, activity_b}
    assert listed(client.get(LIST, {"unit": activity_b.unit_id})) == [activity_b]
    assert (f'href="{CREATE}"' in client.get(LIST).content.decode()) is (actor == "bureau_admin")


@pytest.mark.parametrize("method", ["get_detail", "get_edit", "post_edit", "submit", "approve", "return"])
def test_another_units_office_gets_404_everywhere(client, office_b, activity_a, method):
    client.force_login(office_b)

    if method == "get_detail":
        response = client.get(detail_url(activity_a))
    elif method == "get_edit":
        response = client.get(edit_url(activity_a))
    elif method == "post_edit":
        response = client.post(edit_url(activity_a), form_data(title="被改了"))
    else:
        response = client.post(review_url(activity_a, method), {"reason": "x"})

    assert response.status_code == 404
    stored = PublicityActivity.objects.get(pk=activity_a.pk)
    assert (stored.title, stored.review_status) == ("甲地计量进社区", ReviewStatus.DRAFT)


def test_leader_reads_any_activity_but_gets_403_on_every_write(client, leader, activity_a):
    client.force_login(leader)

    assert client.get(detail_url(activity_a)).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert client.post(edit_url(activity_a), form_data(title="被改了")).status_code == 403
    assert client.post(review_url(activity_a, "submit")).status_code == 403
    assert PublicityActivity.objects.count() == 1
    assert PublicityActivity.objects.get().title == "甲地计量进社区"


def test_anonymous_visitors_are_sent_to_log_in(client, activity_a):
    for url in (LIST, CREATE, detail_url(activity_a), edit_url(activity_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# --- creating ---------------------------------------------------------------------------------------


def test_office_records_an_offline_activity_with_a_photo_and_submits_it(
    client, office_a, campaign, media_root
):
    client.force_login(office_a)

    response = client.post(
        CREATE, form_data(action="submit", photos=[upload("现场.jpg", jpeg())]), follow=True
    )

    activity = PublicityActivity.objects.get()
    assert response.redirect_chain == [(detail_url(activity), 302)]
    assert "宣传活动已保存并提交县局审核。" in messages_of(response)
    assert (activity.unit, activity.campaign, activity.review_status) == (
        office_a.unit,
        campaign,
        ReviewStatus.SUBMITTED,
    )
    assert Photo.objects.get().record == activity
    assert len(stored_files(media_root)) == 2  # the photo and its thumbnail


def test_a_double_submit_makes_one_activity(client, office_a, campaign):
    client.force_login(office_a)
    key = client.get(CREATE).context["submission_key"]

    first = client.post(CREATE, form_data(action="submit", submission_key=key))
    second = client.post(CREATE, form_data(action="submit", submission_key=key), follow=True)

    activity = PublicityActivity.objects.get()
    assert first.status_code == 302
    assert second.redirect_chain == [(detail_url(activity), 302)]
    assert "该表单已提交过，未重复保存。" in messages_of(second)
    assert activity.review_status == ReviewStatus.SUBMITTED


def test_the_form_carries_its_double_submit_key(client, office_a, campaign):
    client.force_login(office_a)

    html = client.get(CREATE).content.decode()

    assert 'name="submission_key"' in html


def test_office_records_an_online_post(client, office_a, campaign):
    client.force_login(office_a)

    client.post(CREATE, online_form())

    activity = PublicityActivity.objects.get()
    assert (activity.channel, activity.views, activity.url) == (
        "online",
        15620,
        "https://www.douyin.com/video/520",
    )


def test_a_unit_or_campaign_in_the_post_is_ignored(client, office_a, campaign, unit_b):
    client.force_login(office_a)

    client.post(CREATE, form_data(unit=unit_b.pk, campaign=999, created_by=1))

    activity = PublicityActivity.objects.get()
    assert (activity.unit, activity.campaign, activity.created_by) == (office_a.unit, campaign, office_a)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            online_form(url="ftp://files.example.com/a.mp4"),
            "url",
            "请输入以 http:// 或 https:// 开头的有效网址。",
        ),
        (online_form(url="javascript:alert(1)"), "url", "请输入以 http:// 或 https:// 开头的有效网址。"),
        (online_form(views="-1"), "views", "确保该值大于或等于0。"),
        (online_form(platform="", url=""), "platform", "线上、融合宣传须选择发布平台。"),
        (online_form(platform="", url=""), "url", "线上、融合宣传须填写作品链接。"),
        (online_form(views=""), "views", "线上、融合宣传须填写阅读/播放量（没有时填 0）。"),
        (form_data(participants="-3"), "participants", "确保该值大于或等于0。"),
        (form_data(participants="很多"), "participants", "输入整数。"),
        (form_data(date="2025-07-01"), "date", "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
        (form_data(venue_type=""), "venue_type", "线下、融合宣传须选择场所类型。"),
    ],
)
def test_bad_input_shows_a_clear_message_and_saves_nothing(
    client, office_a, campaign, media_root, data, field, message
):
    client.force_login(office_a)

    response = client.post(CREATE, {**data, "photos": [upload("现场.jpg", jpeg())]})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not PublicityActivity.objects.exists()
    assert not Photo.objects.exists()
    assert stored_files(media_root) == []


def test_the_station_choices_are_the_offices_own(client, office_a, unit_b, campaign):
    own = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    other = MicroStationFactory(supervising_unit=unit_b, opened=True)
    client.force_login(office_a)

    form = client.get(CREATE).context["form"]
    response = client.post(CREATE, form_data(station=other.pk))

    assert list(form.fields["station"].queryset) == [own]
    assert "station" in response.context["form"].errors
    assert not PublicityActivity.objects.exists()


# --- editing and review -------------------------------------------------------------------------------


def test_office_edits_its_draft(client, office_a, activity_a):
    client.force_login(office_a)

    client.post(edit_url(activity_a), form_data(title="改过的标题"))

    assert PublicityActivity.objects.get(pk=activity_a.pk).title == "改过的标题"


def test_the_bureau_approves_and_the_record_locks(client, office_a, bureau_admin, activity_a):
    review.record_submit(actor=office_a, record=activity_a)
    client.force_login(bureau_admin)

    html = client.get(detail_url(activity_a)).content.decode()
    response = client.post(review_url(activity_a, "approve"), follow=True)

    assert 'data-testid="approve-record"' in html
    assert "已审核通过，记录已锁定。" in messages_of(response)
    client.force_login(office_a)
    locked = client.get(edit_url(activity_a), follow=True)
    assert "该记录已审核通过，不能再修改。" in messages_of(locked)


def test_the_office_cannot_approve_its_own_activity(client, office_a, activity_a):
    review.record_submit(actor=office_a, record=activity_a)
    client.force_login(office_a)

    assert client.post(review_url(activity_a, "approve")).status_code == 403
    assert PublicityActivity.objects.get(pk=activity_a.pk).review_status == ReviewStatus.SUBMITTED


def test_the_detail_page_shows_an_online_posts_link_safely(client, office_a, activity_a):
    PublicityActivity.objects.filter(pk=activity_a.pk).update(
        channel="blended",
        platform="wechat",
        post_format="graphic",
        url="https://mp.weixin.qq.com/s/a?b=1&c=<x>",
        views=10,
    )
    client.force_login(office_a)

    html = client.get(detail_url(activity_a)).content.decode()

    assert 'href="https://mp.weixin.qq.com/s/a?b=1&amp;c=&lt;x&gt;"' in html
    assert 'rel="noopener noreferrer"' in html


def test_the_edit_form_shows_the_stored_date_in_the_format_the_date_picker_reads(
    client, office_a, activity_a
):
    client.force_login(office_a)

    html = client.get(edit_url(activity_a)).content.decode()

    # The locale's display format (2025/05/20) would leave the phone's date picker empty.
    assert 'type="date" name="date" value="2025-05-20"' in html
