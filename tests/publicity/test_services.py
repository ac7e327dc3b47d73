"""publicity.services and the models' rules, called directly: bad input saves nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evidence.models import Photo
from evidence.processing import process_upload
from publicity import services
from publicity.models import Adoption, NewsItem, OpinionIncident, PublicityActivity
from records import services as review
from records.models import ReviewLog, ReviewStatus
from tests.evidence.images import jpeg, upload
from tests.microstations.factories import MicroStationFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory, level

Channel = PublicityActivity.Channel
Status = OpinionIncident.Status
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


def incident_data(**overrides):
    return {
        "title": "网传超市电子秤缺斤少两",
        "discovered_at": dt.datetime(2025, 5, 20, 23, 30, tzinfo=SHANGHAI),
        "discovered_by": "舆情监测员",
        "source": OpinionIncident.Source.SELF_MEDIA,
        "platform": "抖音",
        "url": "https://www.douyin.com/video/1",
        "summary": "网民发布视频称购买水果缺斤少两。",
        "domain": OpinionIncident.Domain.SCALES,
        "level": level("major"),
        **overrides,
    }


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- publicity activities ---------------------------------------------------------------------------


def test_an_offline_activity_belongs_to_the_actors_unit_and_the_current_campaign(
    campaign, office_a, media_root
):
    photos = [process_upload(upload("现场.jpg", jpeg()))]

    activity = services.activity_create(actor=office_a, data=offline_data(), photos=photos, submit=True)

    assert (activity.unit, activity.campaign, activity.created_by) == (office_a.unit, campaign, office_a)
    assert activity.review_status == ReviewStatus.SUBMITTED
    assert Photo.objects.get().record == activity
    assert ReviewLog.objects.get().action == ReviewLog.Action.SUBMITTED


def test_an_online_activity_with_its_post_is_saved(campaign, office_a):
    activity = services.activity_create(actor=office_a, data=online_data(), photos=[])

    assert (activity.is_online, activity.is_offline, activity.views) == (True, False, 15620)


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.BLENDED])
def test_an_online_or_blended_activity_without_platform_url_or_views_is_refused(campaign, office_a, channel):
    data = online_data(channel=channel, platform="", post_format="", url="", views=None)
    data["venue_type"] = PublicityActivity.VenueType.GOV_HALL

    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=office_a, data=data, photos=[])

    assert set(errors_of(excinfo)) == {"platform", "post_format", "url", "views"}
    assert errors_of(excinfo)["url"] == ["线上、融合宣传须填写作品链接。"]
    assert not PublicityActivity.objects.exists()


def test_a_blended_activity_needs_its_venue_type_too(campaign, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=office_a, data=online_data(channel=Channel.BLENDED), photos=[])

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
        services.activity_create(actor=office_a, data=online_data(url=url), photos=[])

    assert errors_of(excinfo)["url"] == ["请输入以 http:// 或 https:// 开头的有效网址。"]
    assert not PublicityActivity.objects.exists()


@pytest.mark.parametrize("field", ["views", "participants", "materials_distributed", "integrity_pledges"])
def test_negative_counters_are_refused(campaign, office_a, field):
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=office_a, data=online_data(**{field: -1}), photos=[])

    assert field in errors_of(excinfo)
    assert not PublicityActivity.objects.exists()


def test_the_database_itself_refuses_an_online_activity_without_its_post(campaign, office_a):
    activity = PublicityActivityFactory.build(unit=office_a.unit, created_by=office_a, channel=Channel.ONLINE)
    activity.campaign = campaign

    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_more_volunteers_than_participants_is_refused(campaign, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(
            actor=office_a, data=offline_data(volunteers_present=20, participants=10), photos=[]
        )

    assert "volunteers_present" in errors_of(excinfo)


@pytest.mark.parametrize("day", [dt.date(2025, 4, 1), dt.date(2025, 7, 1)])
def test_a_date_outside_the_campaign_is_refused(campaign, office_a, day):
    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=office_a, data=offline_data(date=day), photos=[])

    assert errors_of(excinfo)["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]


def test_a_station_of_another_unit_is_refused(campaign, office_a, unit_b):
    station = MicroStationFactory(supervising_unit=unit_b, opened=True)

    with pytest.raises(ValidationError) as excinfo:
        services.activity_create(actor=office_a, data=offline_data(station=station), photos=[])

    assert errors_of(excinfo) == {"station": ["只能选择本单位联系的微站。"]}


def test_a_user_without_a_unit_cannot_record_anything(campaign, leader):
    with pytest.raises(ValidationError, match="未关联单位"):
        services.activity_create(actor=leader, data=offline_data(), photos=[])


def test_partner_units_are_kept_and_recorded_in_history(campaign, office_a, unit_b):
    activity = services.activity_create(actor=office_a, data=offline_data(partner_units=[unit_b]), photos=[])

    assert list(activity.partner_units.all()) == [unit_b]
    assert [row.unit for row in activity.history.latest().partner_units.all()] == [unit_b]


def test_an_approved_activity_cannot_be_changed(activity_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=activity_a)
    review.record_approve(actor=bureau_admin, record=activity_a)

    with pytest.raises(ValidationError, match="已审核通过"):
        services.activity_update(actor=office_a, activity=activity_a, data={"title": "改"}, photos=[])


# --- news items and adoptions -----------------------------------------------------------------------


def test_a_news_item_may_relate_only_to_its_own_units_activity(campaign, office_a, activity_b):
    with pytest.raises(ValidationError) as excinfo:
        services.news_create(
            actor=office_a, data={"title": "标题", "body": "正文", "activity": activity_b}, photos=[]
        )

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


# --- incidents: the life-cycle ----------------------------------------------------------------------


def test_an_incident_is_handled_by_the_actors_unit_and_starts_discovered(campaign, office_a):
    incident = services.incident_create(actor=office_a, data=incident_data())

    assert (incident.handling_unit, incident.status, incident.campaign) == (
        office_a.unit,
        Status.DISCOVERED,
        campaign,
    )


def test_an_incident_moves_through_every_status_in_order(incident_a, office_a):
    services.incident_transition(actor=office_a, incident=incident_a, to_status=Status.ASSESSING)
    services.incident_transition(
        actor=office_a, incident=incident_a, to_status=Status.HANDLING, data={"assessment": "一般舆情。"}
    )
    closed = services.incident_transition(
        actor=office_a,
        incident=incident_a,
        to_status=Status.CLOSED,
        data={
            "response": "已核查并回应。",
            "responded_at": dt.datetime(2025, 5, 20, 20, 0, tzinfo=SHANGHAI),
            "handling_summary": "已责令整改。",
        },
    )

    assert closed.status == Status.CLOSED
    assert closed.closed_on == timezone.localdate()
    assert [h.status for h in closed.history.order_by("history_date")] == [
        Status.DISCOVERED,
        Status.ASSESSING,
        Status.HANDLING,
        Status.CLOSED,
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("discovered", "handling"),
        ("discovered", "closed"),
        ("handling", "assessing"),
        ("closed", "closed"),
        ("assessing", "bogus"),
    ],
)
def test_statuses_move_one_step_forward_only(incident_a, office_a, start, target):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(
        status=start, response="已回应。", handling_summary="已整改。", closed_on=dt.date(2025, 5, 21)
    )

    with pytest.raises(ValidationError, match="不能改为"):
        services.incident_transition(actor=office_a, incident=incident_a, to_status=target)
    assert OpinionIncident.objects.get(pk=incident_a.pk).status == start


def test_handling_starts_only_with_an_assessment(incident_a, office_a):
    services.incident_transition(actor=office_a, incident=incident_a, to_status=Status.ASSESSING)

    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(actor=office_a, incident=incident_a, to_status=Status.HANDLING)

    assert errors_of(excinfo) == {"assessment": ["进入处置前须填写研判意见。"]}


@pytest.fixture
def handling(incident_a, office_a):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(status=Status.HANDLING, assessment="一般舆情。")
    return OpinionIncident.objects.get(pk=incident_a.pk)


def test_closing_without_a_response_is_refused(handling, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a, incident=handling, to_status=Status.CLOSED, data={"handling_summary": "已整改。"}
        )

    assert errors_of(excinfo) == {
        "response": ["办结前须填写回应内容。"],
        "responded_at": ["办结前须填写回应时间。"],
    }
    stored = OpinionIncident.objects.get(pk=handling.pk)
    assert (stored.status, stored.closed_on, stored.handling_summary) == (Status.HANDLING, None, "")


def test_closing_without_a_handling_summary_is_refused(handling, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a,
            incident=handling,
            to_status=Status.CLOSED,
            data={"response": "已回应。", "responded_at": timezone.now(), "handling_summary": "   "},
        )

    assert errors_of(excinfo) == {"handling_summary": ["办结前须填写办结情况。"]}
    assert OpinionIncident.objects.get(pk=handling.pk).status == Status.HANDLING


def test_a_response_before_the_discovery_is_refused(handling, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a,
            incident=handling,
            to_status=Status.CLOSED,
            data={
                "response": "已回应。",
                "responded_at": handling.discovered_at - dt.timedelta(minutes=1),
                "handling_summary": "已整改。",
            },
        )

    assert errors_of(excinfo) == {"responded_at": ["回应时间不能早于发现时间。"]}


def test_the_database_refuses_a_closed_incident_without_its_response(incident_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpinionIncident.objects.filter(pk=incident_a.pk).update(
            status=Status.CLOSED, closed_on=dt.date(2025, 5, 21), handling_summary="已整改。"
        )


def test_a_closed_incident_cannot_be_edited(handling, office_a):
    services.incident_transition(
        actor=office_a,
        incident=handling,
        to_status=Status.CLOSED,
        data={"response": "已回应。", "responded_at": timezone.now(), "handling_summary": "已整改。"},
    )

    with pytest.raises(ValidationError, match="已办结"):
        services.incident_update(actor=office_a, incident=handling, data={"title": "改"})


def test_another_units_office_cannot_handle_an_incident(incident_a, office_b):
    with pytest.raises(PermissionDenied):
        services.incident_transition(actor=office_b, incident=incident_a, to_status=Status.ASSESSING)
    with pytest.raises(PermissionDenied):
        services.incident_report_to_county(actor=office_b, incident=incident_a)
    assert OpinionIncident.objects.get(pk=incident_a.pk).status == Status.DISCOVERED


def test_the_report_to_the_county_is_recorded_once(incident_a, office_a):
    reported = services.incident_report_to_county(actor=office_a, incident=incident_a)

    assert reported.reported_to_county_at is not None
    with pytest.raises(ValidationError, match="已于"):
        services.incident_report_to_county(actor=office_a, incident=incident_a)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("discovered_at", dt.datetime(2099, 1, 1, tzinfo=SHANGHAI), "发现时间不能晚于现在。"),
        (
            "reported_to_county_at",
            dt.datetime(2025, 5, 20, 23, 0, tzinfo=SHANGHAI),
            "向县局报告时间不能早于发现时间。",
        ),
        ("url", "ftp://bbs.example.com/thread/1", "请输入以 http:// 或 https:// 开头的有效网址。"),
        ("reach", -5, None),
    ],
)
def test_bad_incident_input_is_refused(campaign, office_a, field, value, message):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_create(actor=office_a, data=incident_data(**{field: value}))

    assert field in errors_of(excinfo)
    if message:
        assert errors_of(excinfo)[field] == [message]
    assert not OpinionIncident.objects.exists()
