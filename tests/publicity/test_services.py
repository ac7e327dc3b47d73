"""The write path of activities and news items (records.services.record_save with publicity's
checks), publicity.services and the models' rules, called directly: bad input saves nothing, other
units get 404, leadership 403."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from evidence.models import Photo
from evidence.processing import process_upload
from publicity import services
from publicity.models import Adoption, NewsItem, PublicityActivity
from records import services as review
from records.models import ReviewLog, ReviewStatus
from records.services import record_save
from tests.evidence.images import jpeg, upload
from tests.microstations.factories import MicroStationFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

Channel = PublicityActivity.Channel
SHANGHAI = ZoneInfo("Asia/Shanghai")


def offline_data(**overrides):
    return {
        "title": "计量惠民进社区",
        "date": dt.date(2025, 5, 21),
        "channel": Channel.OFFLINE,
        "form": PublicityActivity.Form.COMMUNITY,
        "venue_type": PublicityActivity.VenueType.COMMUNITY_CENTER,
        "venue": "南陵社区服务中心",
        "participants": 150,
        "materials_distributed": 200,
        "consultations": 30,
        **overrides,
    }


def online_data(**overrides):
    return offline_data(
        **{
            "channel": Channel.ONLINE,
            "form": PublicityActivity.Form.ONLINE_PUSH,
            "venue_type": "",
            "platform": PublicityActivity.Platform.DOUYIN,
            "post_format": PublicityActivity.PostFormat.SHORT_VIDEO,
            "url": "https://www.douyin.com/video/520",
            "views": 15620,
            **overrides,
        }
    )


def save_activity(*, actor, data, activity=None, photos=(), submit=False):
    """The one write path of an activity, as the form, the API and the demo call it."""
    return record_save(
        actor=actor,
        model=PublicityActivity,
        record=activity,
        data=data,
        photos=photos,
        submit=submit,
        validate=services.activity_checks(actor),
    )


def save_news(*, actor, data, item=None, photos=(), submit=False):
    return record_save(actor=actor, model=NewsItem, record=item, data=data, photos=photos, submit=submit)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- publicity activities ---------------------------------------------------------------------------


def test_an_offline_activity_belongs_to_the_actors_unit_and_the_current_campaign(
    campaign, office_a, media_root
):
    photos = [process_upload(upload("现场.jpg", jpeg()))]

    activity = save_activity(actor=office_a, data=offline_data(), photos=photos, submit=True)

    assert (activity.unit, activity.campaign, activity.created_by) == (office_a.unit, campaign, office_a)
    assert activity.review_status == ReviewStatus.SUBMITTED
    assert Photo.objects.get().record == activity
    assert ReviewLog.objects.get().action == ReviewLog.Action.SUBMITTED


def test_an_online_activity_with_its_post_is_saved(campaign, office_a):
    activity = save_activity(actor=office_a, data=online_data(), photos=[])

    assert (activity.is_online, activity.is_offline, activity.views) == (True, False, 15620)


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.BLENDED])
def test_an_online_or_blended_activity_without_platform_url_or_views_is_refused(campaign, office_a, channel):
    data = online_data(channel=channel, platform="", post_format="", url="", views=None)
    data["venue_type"] = PublicityActivity.VenueType.GOV_HALL

    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=data, photos=[])

    assert set(errors_of(excinfo)) == {"platform", "post_format", "url", "views"}
    assert errors_of(excinfo)["url"] == ["线上、融合宣传须填写作品链接。"]
    assert not PublicityActivity.objects.exists()


def test_a_blended_activity_needs_its_venue_type_too(campaign, office_a):
    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=online_data(channel=Channel.BLENDED), photos=[])

    assert errors_of(excinfo) == {"venue_type": ["线下、融合宣传须选择场所类型。"]}


@pytest.mark.parametrize(
    "url",
    [
        "ftp://files.example.com/video.mp4",
        "javascript:alert(1)",
        "mailto:office@example.com",
        "www.example.com/a b",
    ],
)
def test_a_url_that_is_not_http_or_https_is_refused(campaign, office_a, url):
    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=online_data(url=url), photos=[])

    assert errors_of(excinfo)["url"] == ["请输入以 http:// 或 https:// 开头的有效网址。"]
    assert not PublicityActivity.objects.exists()


@pytest.mark.parametrize("field", ["views", "participants", "materials_distributed", "integrity_pledges"])
def test_negative_counters_are_refused(campaign, office_a, field):
    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=online_data(**{field: -1}), photos=[])

    assert field in errors_of(excinfo)
    assert not PublicityActivity.objects.exists()


def test_the_database_itself_refuses_an_online_activity_without_its_post(campaign, office_a):
    activity = PublicityActivityFactory.build(unit=office_a.unit, created_by=office_a, channel=Channel.ONLINE)
    activity.campaign = campaign

    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_more_volunteers_than_participants_is_refused(campaign, office_a):
    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=offline_data(volunteers_present=20, participants=10), photos=[])

    assert "volunteers_present" in errors_of(excinfo)


@pytest.mark.parametrize("day", [dt.date(2025, 4, 1), dt.date(2025, 7, 1)])
def test_a_date_outside_the_campaign_is_refused(campaign, office_a, day):
    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=offline_data(date=day), photos=[])

    assert errors_of(excinfo)["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]


def test_a_station_of_another_unit_is_refused(campaign, office_a, unit_b):
    station = MicroStationFactory(supervising_unit=unit_b, opened=True)

    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, data=offline_data(station=station), photos=[])

    assert errors_of(excinfo) == {"station": ["只能选择本单位联系的微站。"]}


def test_leadership_cannot_record_anything(campaign, leader):
    with pytest.raises(PermissionDenied):
        save_activity(actor=leader, data=offline_data(), photos=[])
    with pytest.raises(PermissionDenied):
        save_news(actor=leader, data={"title": "标题", "body": "正文"})
    assert not PublicityActivity.objects.exists()
    assert not NewsItem.objects.exists()


def test_a_bureau_user_without_a_unit_cannot_record_anything(campaign, bureau_admin):
    bureau_admin.unit = None
    bureau_admin.save(update_fields=["unit"])

    with pytest.raises(PermissionDenied, match="未关联单位"):
        save_activity(actor=bureau_admin, data=offline_data(), photos=[])


def test_partner_units_are_kept_and_recorded_in_history(campaign, office_a, unit_b):
    activity = save_activity(actor=office_a, data=offline_data(partner_units=[unit_b]), photos=[])

    assert list(activity.partner_units.all()) == [unit_b]
    assert [row.unit for row in activity.history.latest().partner_units.all()] == [unit_b]


def test_an_approved_activity_cannot_be_changed(activity_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=activity_a)
    review.record_approve(actor=bureau_admin, record=activity_a)

    with pytest.raises(ValidationError, match="已审核通过"):
        save_activity(actor=office_a, activity=activity_a, data={"title": "改"})


# --- news items and adoptions -----------------------------------------------------------------------


def test_a_news_item_may_relate_only_to_its_own_units_activity(campaign, office_a, activity_b):
    with pytest.raises(ValidationError) as excinfo:
        save_news(actor=office_a, data={"title": "标题", "body": "正文", "activity": activity_b}, photos=[])

    assert errors_of(excinfo) == {"activity": ["只能关联本单位的宣传活动。"]}
    assert not NewsItem.objects.exists()


def adopt(actor, item, **overrides):
    return services.adoption_record(
        actor=actor,
        item=item,
        **{
            "level": Adoption.Level.CITY,
            "outlet": "重庆市市场监督管理局网站",
            "url": "https://scjgj.cq.gov.cn/news/520",
            "adopted_on": dt.date(2025, 5, 23),
            **overrides,
        },
    )


def test_the_bureau_records_adoptions_of_an_approved_item(news_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=news_a)
    review.record_approve(actor=bureau_admin, record=news_a)

    adoption = adopt(bureau_admin, news_a)
    adopt(bureau_admin, news_a, level=Adoption.Level.COUNTY, outlet="巫山报", url="")

    assert (adoption.news_item, adoption.recorded_by) == (news_a, bureau_admin)
    assert news_a.adoptions.count() == 2


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_an_adoption_of_an_item_that_is_not_approved_is_refused(news_a, office_a, bureau_admin, state):
    if state != "draft":
        review.record_submit(actor=office_a, record=news_a)
    if state == "returned":
        review.record_return(actor=bureau_admin, record=news_a, reason="请补充数据。")

    with pytest.raises(ValidationError) as excinfo:
        adopt(bureau_admin, news_a)

    assert errors_of(excinfo) == {"news_item": ["只有审核通过的信息才能登记采用。"]}
    assert not Adoption.objects.exists()


def test_an_office_cannot_record_adoptions(news_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=news_a)
    review.record_approve(actor=bureau_admin, record=news_a)

    with pytest.raises(PermissionDenied):
        adopt(office_a, news_a)
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "ftp://scjgj.cq.gov.cn/news"}, "url"),
        ({"adopted_on": dt.date(2099, 1, 1)}, "adopted_on"),
        ({"outlet": "  "}, "outlet"),
        ({"level": "township"}, "level"),
    ],
)
def test_bad_adoptions_are_refused(bureau_admin, overrides, field):
    item = NewsItemFactory(approved=True)

    with pytest.raises(ValidationError) as excinfo:
        adopt(bureau_admin, item, **overrides)

    assert field in errors_of(excinfo)
    assert not Adoption.objects.exists()


def test_the_same_outlet_at_the_same_level_is_recorded_once(bureau_admin):
    item = NewsItemFactory(approved=True)
    adopt(bureau_admin, item)

    with pytest.raises(ValidationError, match="已登记过"):
        adopt(bureau_admin, item)


# --- the kit's gate: scope, permission, allow-list --------------------------------------------------


def test_another_units_office_gets_not_found(activity_a, news_a, office_b):
    with pytest.raises(Http404):
        save_activity(actor=office_b, activity=activity_a, data={"title": "改"})
    with pytest.raises(Http404):
        save_news(actor=office_b, item=news_a, data={"title": "改"})
    with pytest.raises(Http404):
        review.record_submit(actor=office_b, record=activity_a)

    assert PublicityActivity.objects.get(pk=activity_a.pk).title == activity_a.title
    assert NewsItem.objects.get(pk=news_a.pk).title == news_a.title


def test_leadership_reads_but_cannot_change(activity_a, news_a, leader):
    with pytest.raises(PermissionDenied):
        save_activity(actor=leader, activity=activity_a, data={"title": "改"})
    with pytest.raises(PermissionDenied):
        save_news(actor=leader, item=news_a, data={"title": "改"})

    assert PublicityActivity.objects.get(pk=activity_a.pk).title == activity_a.title


@pytest.mark.parametrize("field", ["unit", "review_status", "campaign", "created_by"])
def test_fields_outside_the_allow_list_are_refused(activity_a, office_a, unit_b, field):
    value = {"unit": unit_b, "review_status": ReviewStatus.APPROVED, "campaign": None, "created_by": None}[
        field
    ]

    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=office_a, activity=activity_a, data={"title": "改", field: value})

    assert field in errors_of(excinfo)
    stored = PublicityActivity.objects.get(pk=activity_a.pk)
    assert (stored.title, stored.unit_id, stored.review_status) == (
        activity_a.title,
        activity_a.unit_id,
        ReviewStatus.DRAFT,
    )


def test_adoptions_of_another_units_item_are_not_found_by_an_office_reviewer(news_b, office_a):
    NewsItem.objects.filter(pk=news_b.pk).update(review_status=ReviewStatus.APPROVED)

    with pytest.raises(Http404):
        adopt(office_a, news_b)


def test_an_office_cannot_delete_an_adoption(office_a, bureau_admin, news_a):
    NewsItem.objects.filter(pk=news_a.pk).update(review_status=ReviewStatus.APPROVED)
    adoption = adopt(bureau_admin, NewsItem.objects.get(pk=news_a.pk))

    with pytest.raises(PermissionDenied):
        services.adoption_delete(actor=office_a, adoption=adoption)
    assert Adoption.objects.filter(pk=adoption.pk).exists()
