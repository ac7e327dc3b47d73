"""Demo 舆情 incidents at every level, logged and moved along through opinion.services.

Deterministic (fixed data) and idempotent (seeded once per campaign); `scale` adds bulk-created
closed incidents for benchmarks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from campaigns.models import Campaign
from demo.history import insert_with_history
from opinion import services
from opinion.models import OpinionIncident, OpinionLevel
from organizations.models import Unit, User

Source, Domain, Sentiment = OpinionIncident.Source, OpinionIncident.Domain, OpinionIncident.Sentiment
Status = OpinionIncident.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _actor(unit: Unit, office_users: dict[int, User], admin: User) -> User:
    return office_users.get(unit.pk, admin)


@dataclass(frozen=True)
class DemoIncident:
    unit: str
    title: str
    level: str
    discovered: dt.datetime
    source: str
    platform: str
    domain: str
    summary: str
    involved_party: str
    reach: int
    sentiment: str = Sentiment.NEGATIVE
    reported_after: dt.timedelta | None = None
    responded_after: dt.timedelta | None = None
    stage: str = Status.DISCOVERED  # how far to move it
    assessment: str = ""
    actions: str = ""
    response: str = ""
    summary_closed: str = ""


DEMO_INCIDENTS: list[DemoIncident] = [
    DemoIncident(
        "高唐市场监管所",
        "网传神女市场某摊位电子秤缺斤少两",
        "general",
        dt.datetime(2025, 5, 24, 23, 30, tzinfo=SHANGHAI),
        Source.SELF_MEDIA,
        "抖音",
        Domain.SCALES,
        "网民发布视频称在神女市场某水果摊购买2斤荔枝，回家复称少了3两。",
        "神女市场某水果摊",
        5200,
        reported_after=dt.timedelta(hours=9),
        responded_after=dt.timedelta(hours=20),
        stage=Status.CLOSED,
        assessment="涉及民生计量，传播量不大，属一般舆情。",
        actions="当日执法人员到场核查，对该摊位电子秤进行检定，责令更换。",
        response="经核查，该摊位电子秤示值误差超差，已责令停用并立案调查，欢迎群众监督。",
        summary_closed="涉事电子秤已停用，经营者已整改，网民表示满意。",
    ),
    DemoIncident(
        "龙门市场监管所",
        "市民反映某加油站加油机“跳枪”计量不准",
        "larger",
        dt.datetime(2025, 6, 2, 8, 15, tzinfo=SHANGHAI),
        Source.HOTLINE,
        "12345",
        Domain.FUEL,
        "市民通过12345反映在某加油站加油时多次“跳枪”，怀疑计量不准，相关帖子在本地论坛转发较多。",
        "某加油站",
        12800,
        reported_after=dt.timedelta(hours=14),
        stage=Status.HANDLING,
        assessment="涉及加油机计量，关注度较高，按较大舆情处置。",
        actions="联合巫山检测所对该站加油机逐枪检定。",
    ),
    DemoIncident(
        "价监科",
        "自媒体称我县多家超市电子秤作弊",
        "major",
        dt.datetime(2025, 6, 10, 21, 0, tzinfo=SHANGHAI),
        Source.SELF_MEDIA,
        "微信公众号",
        Domain.SCALES,
        "某自媒体发文称我县多家超市电子秤存在作弊，文章阅读量迅速上升。",
        "城区多家超市",
        56000,
        reported_after=dt.timedelta(hours=1, minutes=30),
        stage=Status.ASSESSING,
    ),
    DemoIncident(
        "龙门市场监管所",
        "论坛网友质疑新装水表计量偏快",
        "general",
        dt.datetime(2025, 6, 18, 16, 40, tzinfo=SHANGHAI),
        Source.FORUM,
        "巫山论坛",
        Domain.METERS,
        "网友发帖称小区更换新水表后水费明显增加，质疑水表计量偏快。",
        "巫山县自来水有限公司",
        1800,
    ),
    DemoIncident(
        "高唐市场监管所",
        "网友点赞社区免费校准电子秤活动",
        "general",
        dt.datetime(2025, 5, 17, 10, 0, tzinfo=SHANGHAI),
        Source.SELF_MEDIA,
        "微博",
        Domain.SCALES,
        "网友发文点赞市场监管所进社区免费校准电子秤。",
        "",
        900,
        sentiment=Sentiment.POSITIVE,
        reported_after=dt.timedelta(hours=3),
        responded_after=dt.timedelta(hours=6),
        stage=Status.CLOSED,
        assessment="正面舆情，做好正面引导。",
        actions="转发并感谢网友关注。",
        response="感谢关注，我们将持续开展计量惠民服务。",
        summary_closed="正面引导，已办结。",
    ),
]


def seed_incidents(
    campaign: Campaign,
    units: dict[str, Unit],
    *,
    scale: int,
    office_users: dict[int, User],
    admin: User,
) -> int:
    """Incidents at several levels, moved along through the services, and (scale − 1) bulk closed rounds.

    Returns how many were new this run (0 on a rerun)."""
    if OpinionIncident.objects.filter(campaign=campaign).exists():
        return 0
    levels = {level.code: level for level in OpinionLevel.objects.all()}
    order: list[str] = [Status.ASSESSING, Status.HANDLING, Status.CLOSED]
    for spec in DEMO_INCIDENTS:
        unit = units[spec.unit]
        actor = _actor(unit, office_users, admin)
        discovered = spec.discovered
        incident = services.incident_create(
            actor=actor,
            data={
                "title": spec.title,
                "discovered_at": discovered,
                "discovered_by": str(actor),
                "source": spec.source,
                "platform": spec.platform,
                "summary": spec.summary,
                "domain": spec.domain,
                "involved_party": spec.involved_party,
                "reach": spec.reach,
                "sentiment": spec.sentiment,
                "level": levels[spec.level],
            },
            campaign=campaign,
        )
        if spec.reported_after is not None:
            incident = services.incident_report_to_county(
                actor=actor, incident=incident, at=discovered + spec.reported_after
            )
        for step in order[: order.index(spec.stage) + 1] if spec.stage in order else []:
            data: dict[str, Any] = {}
            if step == Status.HANDLING:
                data = {"assessment": spec.assessment, "actions": spec.actions}
            elif step == Status.CLOSED:
                assert spec.responded_after is not None  # noqa: S101 (demo data invariant)
                data = {
                    "response": spec.response,
                    "responded_at": discovered + spec.responded_after,
                    "handling_summary": spec.summary_closed,
                    "closed_on": (discovered + spec.responded_after + dt.timedelta(days=1)).date(),
                }
            incident = services.incident_transition(actor=actor, incident=incident, to_status=step, data=data)
    bulk = [
        OpinionIncident(
            campaign=campaign,
            handling_unit=units[spec.unit],
            created_by=_actor(units[spec.unit], office_users, admin),
            title=f"{spec.title}（{round_no + 1}）",
            discovered_at=spec.discovered + dt.timedelta(hours=round_no),
            discovered_by="舆情监测员",
            source=spec.source,
            platform=spec.platform,
            summary=spec.summary,
            domain=spec.domain,
            involved_party=spec.involved_party,
            reach=spec.reach,
            sentiment=spec.sentiment,
            level=levels[spec.level],
            assessment="已研判。",
            actions="已核查处置。",
            reported_to_county_at=spec.discovered + dt.timedelta(hours=round_no + 1),
            response="已回应关切。",
            responded_at=spec.discovered + dt.timedelta(hours=round_no + 4),
            handling_summary="已办结。",
            closed_on=(spec.discovered + dt.timedelta(days=2)).date(),
            status=Status.CLOSED,
        )
        for round_no in range(1, scale)
        for spec in DEMO_INCIDENTS
    ]
    insert_with_history(OpinionIncident, bulk, admin)
    return len(DEMO_INCIDENTS) + len(bulk)
