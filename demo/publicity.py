"""Demo publicity activities (offline, online, blended) and news items with adoptions (舆情 incidents
are demo.opinion's; seed_publicity_demo seeds them too, so that seed_demo calls one function).

Deterministic (fixed data, seeded random figures for the scaled bulk) and idempotent (each kind is
seeded once per campaign). The first round goes through the real services (photos, review, adoption,
status changes); `scale` adds bulk-created approved records for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from campaigns.models import Campaign
from demo.history import insert_with_history
from demo.microstations import demo_photo
from demo.opinion import seed_incidents
from evidence.processing import process_upload
from microstations.models import MicroStation
from organizations.models import Unit, User
from publicity import services
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import ReviewStatus
from records.services import record_approve, record_return, record_save

Channel, Form, Venue = PublicityActivity.Channel, PublicityActivity.Form, PublicityActivity.VenueType
Platform, PostFormat = PublicityActivity.Platform, PublicityActivity.PostFormat
Level = Adoption.Level
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Which micro-station type an offline venue type may be held at.
STATION_TYPE_FOR_VENUE = {
    Venue.GAS_STATION: MicroStation.StationType.GAS_STATION,
    Venue.MARKET: MicroStation.StationType.MARKET,
    Venue.UTILITY_HALL: MicroStation.StationType.POWER_HALL,
}


@dataclass(frozen=True)
class DemoActivity:
    unit: str
    title: str
    day: dt.date
    channel: str
    form: str
    counters: dict[str, int] = field(default_factory=dict)
    venue_type: str = ""
    venue: str = ""
    partners: tuple[str, ...] = ()
    online: tuple[str, str, str, int] | None = None  # platform, format, url, views
    outcome: str = "approve"  # approve | return | submit | draft
    summary: str = ""


DEMO_ACTIVITIES: list[DemoActivity] = [
    DemoActivity(
        "价监科",
        "“5·20世界计量日”主题宣传活动",
        dt.date(2025, 5, 20),
        Channel.OFFLINE,
        Form.CONCENTRATED,
        {
            "participants": 620,
            "materials_distributed": 1500,
            "consultations": 168,
            "posters": 24,
            "phone_weight_labels": 400,
            "free_verifications": 86,
            "integrity_pledges": 12,
            "volunteers_present": 6,
        },
        Venue.SQUARE,
        "神女广场",
        ("神女市场", "国网重庆市电力公司巫山供电分公司", "巫山检测所"),
        summary="设置咨询台和免费检定点，现场为群众免费检定血压计、电子秤，发放宣传资料。",
    ),
    DemoActivity(
        "高唐市场监管所",
        "计量惠民进社区：免费校准家用电子秤",
        dt.date(2025, 5, 16),
        Channel.OFFLINE,
        Form.COMMUNITY,
        {
            "participants": 180,
            "materials_distributed": 300,
            "consultations": 45,
            "posters": 4,
            "phone_weight_labels": 120,
            "free_verifications": 37,
            "volunteers_present": 2,
        },
        Venue.COMMUNITY_CENTER,
        "高唐街道南陵社区服务中心",
        summary="为社区居民免费校准家用电子秤，讲解“手机变砝码”自查方法。",
    ),
    DemoActivity(
        "高唐市场监管所",
        "加油站计量知识宣传",
        dt.date(2025, 5, 22),
        Channel.OFFLINE,
        Form.CONCENTRATED,
        {"participants": 95, "materials_distributed": 200, "consultations": 20, "posters": 3},
        Venue.GAS_STATION,
        "中国石化巫山高唐加油站",
        ("中国石化巫山高唐加油站",),
        outcome="return",
    ),
    DemoActivity(
        "龙门市场监管所",
        "集贸市场“公平秤”与“手机变砝码”宣传",
        dt.date(2025, 5, 18),
        Channel.OFFLINE,
        Form.MARKET,
        {
            "participants": 260,
            "materials_distributed": 420,
            "consultations": 60,
            "posters": 6,
            "phone_weight_labels": 350,
            "free_verifications": 52,
            "integrity_pledges": 18,
        },
        Venue.MARKET,
        "平湖市场",
        ("平湖市场",),
    ),
    DemoActivity(
        "龙门市场监管所",
        "计量知识进校园",
        dt.date(2025, 5, 27),
        Channel.OFFLINE,
        Form.SCHOOL,
        {"participants": 320, "materials_distributed": 350, "consultations": 15, "posters": 2},
        Venue.SCHOOL,
        "巫山县龙门小学",
        outcome="submit",
    ),
    DemoActivity(
        "执法一大队",
        "诚信计量承诺签约活动",
        dt.date(2025, 6, 5),
        Channel.OFFLINE,
        Form.PLEDGE,
        {"participants": 60, "materials_distributed": 80, "consultations": 12, "integrity_pledges": 25},
        Venue.MALL,
        "巫山县城区商场超市",
    ),
    DemoActivity(
        "价监科",
        "《计量顺时代之需，应民生之盼》科普图文",
        dt.date(2025, 5, 19),
        Channel.ONLINE,
        Form.ONLINE_PUSH,
        online=(
            Platform.WECHAT,
            PostFormat.GRAPHIC,
            "https://mp.weixin.qq.com/s/wushan-jiliang-20250519",
            3260,
        ),
    ),
    DemoActivity(
        "高唐市场监管所",
        "“手机变砝码”操作短视频",
        dt.date(2025, 5, 21),
        Channel.ONLINE,
        Form.ONLINE_PUSH,
        online=(
            Platform.DOUYIN,
            PostFormat.SHORT_VIDEO,
            "https://www.douyin.com/video/7500000000000520001",
            15620,
        ),
    ),
    DemoActivity(
        "龙门市场监管所",
        "民用“三表”计量知识动画",
        dt.date(2025, 6, 3),
        Channel.ONLINE,
        Form.ONLINE_PUSH,
        online=(
            Platform.WEBSITE,
            PostFormat.ANIMATION,
            "https://www.cqws.gov.cn/bmjz/scjgj/jlzs/202506/t20250603.html",
            860,
        ),
        outcome="draft",
    ),
    DemoActivity(
        "价监科",
        "政务服务大厅计量宣传暨视频号直播",
        dt.date(2025, 5, 23),
        Channel.BLENDED,
        Form.CONCENTRATED,
        {
            "participants": 150,
            "materials_distributed": 260,
            "consultations": 38,
            "posters": 5,
            "phone_weight_labels": 80,
        },
        Venue.GOV_HALL,
        "巫山县政务服务中心",
        ("国网重庆市电力公司巫山供电分公司", "巫山县自来水有限公司", "巫山县天然气有限责任公司"),
        online=(
            Platform.CHANNELS,
            PostFormat.SHORT_VIDEO,
            "https://channels.weixin.qq.com/wushan/20250523",
            5410,
        ),
    ),
]

# activity index, title, body, adoptions (level, outlet, url, day), outcome
DEMO_NEWS: list[tuple[int, str, str, list[tuple[str, str, str, dt.date]], str]] = [
    (
        0,
        "巫山县开展2025年“5·20世界计量日”主题宣传活动",
        "5月20日，巫山县市场监管局在神女广场开展“5·20世界计量日”主题宣传活动，现场免费检定计量器具86台件，发放宣传资料1500余份。",
        [
            (
                Level.COUNTY,
                "巫山县人民政府网",
                "https://www.cqws.gov.cn/zwxx/bmdt/202505/t20250521.html",
                dt.date(2025, 5, 21),
            ),
            (
                Level.CITY,
                "重庆市市场监督管理局网站",
                "https://scjgj.cq.gov.cn/zwxx/qxdt/202505/t20250523.html",
                dt.date(2025, 5, 23),
            ),
        ],
        "approve",
    ),
    (
        1,
        "高唐市场监管所为社区居民免费校准电子秤",
        "高唐市场监管所走进南陵社区，为居民免费校准家用电子秤37台，讲解“手机变砝码”自查方法。",
        [
            (
                Level.COUNTY,
                "巫山发布微信公众号",
                "https://mp.weixin.qq.com/s/wushan-fabu-20250517",
                dt.date(2025, 5, 17),
            )
        ],
        "approve",
    ),
    (
        3,
        "龙门市场监管所推广“手机变砝码”守护“菜篮子”",
        "龙门市场监管所在平湖市场张贴“手机变砝码”标签350张，18家经营户签订诚信计量承诺书。",
        [
            (Level.COUNTY, "巫山报", "", dt.date(2025, 5, 20)),
            (
                Level.CITY,
                "重庆市市场监督管理局微信公众号",
                "https://mp.weixin.qq.com/s/cqscjg-20250521",
                dt.date(2025, 5, 21),
            ),
            (
                Level.PROVINCE,
                "重庆日报客户端",
                "https://app.cqrb.cn/economic/2025-05-22/wushan-jiliang.html",
                dt.date(2025, 5, 22),
            ),
        ],
        "approve",
    ),
    (
        5,
        "执法一大队组织商超签订诚信计量承诺",
        "执法一大队组织城区25家商场超市签订诚信计量承诺书，推动经营者自我管理。",
        [],
        "approve",
    ),
    (4, "龙门小学迎来计量科普课", "龙门市场监管所走进巫山县龙门小学，为学生讲解计量小知识。", [], "submit"),
    (
        7,
        "“手机变砝码”短视频播放量破万",
        "高唐市场监管所制作的“手机变砝码”短视频在抖音播放量超过1.5万次。",
        [],
        "draft",
    ),
]


def _actor(unit: Unit, office_users: dict[int, User], admin: User) -> User:
    return office_users.get(unit.pk, admin)


def seed_publicity_activities(
    campaign: Campaign,
    units: dict[str, Unit],
    stations: list[MicroStation],
    *,
    scale: int,
    seed: int,
    office_users: dict[int, User],
    admin: User,
) -> list[PublicityActivity]:
    """The demo activities through the services, then (scale − 1) more rounds bulk-created approved.

    Returns the activities made through the services (empty on a rerun)."""
    if PublicityActivity.objects.filter(campaign=campaign).exists():
        return []
    made: list[PublicityActivity] = []
    for index, spec in enumerate(DEMO_ACTIVITIES):
        unit = units[spec.unit]
        actor = _actor(unit, office_users, admin)
        data: dict[str, Any] = {
            "title": spec.title,
            "date": spec.day,
            "channel": spec.channel,
            "form": spec.form,
            "venue_type": spec.venue_type,
            "venue": spec.venue,
            "summary": spec.summary,
            "station": _station_for(spec, unit, stations),
            "partner_units": [units[name] for name in spec.partners if name in units],
            **spec.counters,
        }
        if spec.online:
            data["platform"], data["post_format"], data["url"], data["views"] = spec.online
        photos = [process_upload(demo_photo(f"publicity-{index}", spec.day))]
        activity = record_save(
            actor=actor,
            model=PublicityActivity,
            data=data,
            photos=photos,
            submit=spec.outcome != "draft",
            campaign=campaign,
            validate=services.activity_checks(actor),
        )
        if spec.outcome == "approve":
            activity = record_approve(actor=admin, record=activity)
        elif spec.outcome == "return":
            activity = record_return(
                actor=admin, record=activity, reason="请补充现场照片和参与人数的统计依据。"
            )
        made.append(activity)
    _bulk_activities(campaign, units, scale=scale, seed=seed, office_users=office_users, admin=admin)
    return made


def _station_for(spec: DemoActivity, unit: Unit, stations: list[MicroStation]) -> MicroStation | None:
    wanted = STATION_TYPE_FOR_VENUE.get(spec.venue_type)  # type: ignore[call-overload]
    return next((s for s in stations if s.supervising_unit_id == unit.pk and s.station_type == wanted), None)


def _bulk_activities(
    campaign: Campaign,
    units: dict[str, Unit],
    *,
    scale: int,
    seed: int,
    office_users: dict[int, User],
    admin: User,
) -> None:
    rng = random.Random(f"{seed}:publicity")  # noqa: S311 (demo data)
    bulk = [
        activity_copy(
            spec,
            round_no,
            rng,
            campaign=campaign,
            unit=units[spec.unit],
            office_users=office_users,
            admin=admin,
        )
        for round_no in range(1, scale)
        for spec in DEMO_ACTIVITIES
    ]
    insert_with_history(PublicityActivity, bulk, admin)


def activity_copy(
    spec: DemoActivity,
    round_no: int,
    rng: random.Random,
    *,
    campaign: Campaign,
    unit: Unit,
    office_users: dict[int, User],
    admin: User,
) -> PublicityActivity:
    """The `round_no`-th approved copy of a demo activity, its counters varied by `rng` (not saved)."""
    now = timezone.now()
    day = min(spec.day + dt.timedelta(days=round_no % 30), campaign.end_date or spec.day)
    counters = {
        name: max(0, value + rng.randint(-value // 3, value // 3)) for name, value in spec.counters.items()
    }
    online: dict[str, Any] = {}
    if spec.online:
        platform, post_format, url, views = spec.online
        online = {
            "platform": platform,
            "post_format": post_format,
            "url": f"{url}?n={round_no}",
            "views": rng.randint(views // 2, views * 2),
        }
    return PublicityActivity(
        campaign=campaign,
        unit=unit,
        created_by=_actor(unit, office_users, admin),
        review_status=ReviewStatus.APPROVED,
        submitted_at=now,
        reviewed_at=now,
        reviewed_by=admin,
        title=f"{spec.title}（第{round_no + 1}期）",
        date=day,
        channel=spec.channel,
        form=spec.form,
        venue_type=spec.venue_type,
        venue=spec.venue,
        summary=spec.summary,
        **counters,
        **online,
    )


def seed_news(
    campaign: Campaign,
    activities: list[PublicityActivity],
    *,
    scale: int,
    office_users: dict[int, User],
    admin: User,
) -> int:
    """The demo news items (review and adoptions through the services), and (scale − 1) bulk rounds."""
    if NewsItem.objects.filter(campaign=campaign).exists() or not activities:
        return 0
    created = 0
    for activity_index, title, body, adoptions, outcome in DEMO_NEWS:
        activity = activities[activity_index]
        actor = _actor(activity.unit, office_users, admin)
        item = record_save(
            actor=actor,
            model=NewsItem,
            data={"title": title, "body": body, "activity": activity},
            submit=outcome != "draft",
            campaign=campaign,
        )
        # Written (and sent) the day after the activity, as the office would have; the database stamps
        # "now". The weekly reporting windows judge timeliness by the first submission.
        written = dt.datetime.combine(activity.date + dt.timedelta(days=1), dt.time(10), tzinfo=SHANGHAI)
        stamps = {"created_at": written, **({"submitted_at": written} if item.submitted_at else {})}
        NewsItem.objects.filter(pk=item.pk).update(**stamps)
        item.refresh_from_db()
        if outcome == "approve":
            item = record_approve(actor=admin, record=item)
            for level, outlet, url, day in adoptions:
                services.adoption_record(
                    actor=admin, item=item, level=level, outlet=outlet, url=url, adopted_on=day
                )
        created += 1
    created += _bulk_news(campaign, activities, scale=scale, admin=admin)
    return created


def _bulk_news(campaign: Campaign, activities: list[PublicityActivity], *, scale: int, admin: User) -> int:
    now = timezone.now()
    items = [
        NewsItem(
            campaign=campaign,
            unit=activities[activity_index].unit,
            created_by=admin,
            review_status=ReviewStatus.APPROVED,
            submitted_at=now,
            reviewed_at=now,
            reviewed_by=admin,
            title=f"{title}（第{round_no + 1}期）",
            body=body,
        )
        for round_no in range(1, scale)
        for activity_index, title, body, _adoptions, _outcome in DEMO_NEWS
    ]
    insert_with_history(NewsItem, items, admin)
    adoptions = [
        Adoption(
            news_item=item,
            level=Level.COUNTY,
            outlet="巫山县人民政府网",
            adopted_on=dt.date(2025, 6, 1),
            recorded_by=admin,
        )
        for n, item in enumerate(items)
        if n % 2 == 0 and item.pk is not None
    ]
    insert_with_history(Adoption, adoptions, admin)
    return len(items)


def seed_publicity_demo(
    campaign: Campaign,
    units: dict[str, Unit],
    stations: list[MicroStation],
    *,
    scale: int,
    seed: int,
    office_users: dict[int, User],
    admin: User,
) -> dict[str, int]:
    """Activities, news items (with adoptions) and incidents; counts of what was new this run."""
    activities = seed_publicity_activities(
        campaign, units, stations, scale=scale, seed=seed, office_users=office_users, admin=admin
    )
    news = seed_news(campaign, activities, scale=scale, office_users=office_users, admin=admin)
    incidents = seed_incidents(campaign, units, scale=scale, office_users=office_users, admin=admin)
    return {
        "activities": len(activities) * scale if activities else 0,
        "news": news,
        "incidents": incidents,
    }
