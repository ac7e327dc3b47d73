"""The 2025 campaign exactly as the county bureau's notice states it.

Every string below is copied from `notices/2025-world-metrology-day-notice.txt` (a test checks that
each one occurs in it); nothing the notice does not say is invented. The notice sets no start, end
or due dates, so those stay empty for the bureau admin to fill in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from campaigns.models import Campaign, Target, Task, TaskParty, Workstream
from campaigns.services import task_sync_assignments
from organizations.models import Unit

NOTICE_PATH = Path(__file__).resolve().parent / "notices" / "2025-world-metrology-day-notice.txt"

Kind = Unit.Kind
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Party:
    label: str
    unit: str = ""  # a named unit, created by the seed if missing
    kinds: tuple[str, ...] = ()  # or every unit of these kinds


@dataclass(frozen=True)
class TaskSpec:
    title: str
    description: str
    responsible: tuple[Party, ...]
    cooperating: tuple[Party, ...] = ()


@dataclass(frozen=True)
class WorkstreamSpec:
    number: int
    notice_ref: str
    title: str
    description: str
    tasks: tuple[TaskSpec, ...]
    targets: tuple[tuple[str, str, int, str], ...] = field(default=())  # metric, label, goal, unit label


JIANJIANKE = Party("价监科", unit="价监科")
ENFORCEMENT_1 = Party("执法一大队", unit="执法一大队")
OFFICES = Party("各市场监管所", kinds=(Kind.OFFICE,))
UTILITIES = Party("供水供电供气公用企业", kinds=(Kind.UTILITY,))
GAS_STATIONS = Party("加油站", kinds=(Kind.GAS_STATION,))
SHENNV_MARKET = Party("神女市场", unit="神女市场")
PINGHU_MARKET = Party("平湖市场", unit="平湖市场")
TESTING_INSTITUTE = Party("巫山检测所", unit="巫山检测所")
# 三（四）: "各相关科所队" — the relevant sections, offices and enforcement teams.
SECTIONS_OFFICES_TEAMS = Party("各相关科所队", kinds=(Kind.SECTION, Kind.OFFICE, Kind.ENFORCEMENT))

# The units the notice names, with their kinds.
NAMED_UNITS: dict[str, str] = {
    "价监科": Kind.SECTION,
    "执法一大队": Kind.ENFORCEMENT,
    "神女市场": Kind.MARKET,
    "平湖市场": Kind.MARKET,
    "巫山检测所": Kind.TESTING,
}

CAMPAIGN: dict[str, Any] = {
    "year": 2025,
    "name": "2025年“5·20世界计量日”主题活动",
    "theme": "计量顺时代之需，应民生之盼",
    "metrology_day": dt.date(2025, 5, 20),
    "notice_title": "关于进一步加强计量宣传工作深入开展“5·20世界计量日”主题活动的通知",
    "notice_issuer": "巫山县市场监督管理局",
}

WORKSTREAMS: tuple[WorkstreamSpec, ...] = (
    WorkstreamSpec(
        number=1,
        notice_ref="二（一）",
        title="参与“民生计量科普宣传服务微站”千万计划",
        description=(
            "充分发挥供水供电供气公用企业及营业网点、加油站等社会资源优势，积极参与市市场监管局组织的"
            "“民生计量科普宣传服务微站”千万计划，在全县建设9个“民生计量科普宣传服务微站”，主要开展社区、"
            "人口集中区域、投诉集中区域等日常计量科普、收费政策、用水用电用气、用车加油安全服务等的日常宣传。"
            "面向街道社区居委会代表、小区业委会代表、中小学生、外卖小哥、快递小哥等群体发动募集9名计量科普"
            "义务宣传员、小小宣传员，开展日常计量宣传工作，让计量科普进万家。"
        ),
        tasks=(
            TaskSpec(
                title="在全县建设9个“民生计量科普宣传服务微站”",
                description=(
                    "主要开展社区、人口集中区域、投诉集中区域等日常计量科普、收费政策、用水用电用气、"
                    "用车加油安全服务等的日常宣传。"
                ),
                responsible=(JIANJIANKE,),
                cooperating=(UTILITIES, GAS_STATIONS),
            ),
            TaskSpec(
                title="发动募集9名计量科普义务宣传员、小小宣传员",
                description=(
                    "面向街道社区居委会代表、小区业委会代表、中小学生、外卖小哥、快递小哥等群体发动募集9名"
                    "计量科普义务宣传员、小小宣传员，开展日常计量宣传工作，让计量科普进万家。"
                ),
                responsible=(JIANJIANKE,),
                cooperating=(UTILITIES, GAS_STATIONS),
            ),
        ),
        targets=(
            ("microstations.stations_opened", "民生计量科普宣传服务微站", 9, "个"),
            ("volunteers.recruited", "计量科普义务宣传员、小小宣传员", 9, "名"),
        ),
    ),
    WorkstreamSpec(
        number=2,
        notice_ref="二（二）",
        title="开展“守护民生 公平计量”线上线下多媒体融合宣传",
        description=(
            "构建线上宣传矩阵，充分发挥官方网站、社交媒体平台的便捷性、互动性优势，采取推送计量科普图文、"
            "动画、短视频等方式，全方位开展线上计量科普知识宣传，增强公众参与感。推动民生计量科普宣传服务"
            "微站建设，丰富线下宣传阵地，紧扣民用三表、电子计价秤、加油机等综合整治工作，在政务服务大厅、"
            "社区服务中心、加油站、商场超市等人流密集场所，通过张贴海报、发放宣传手册等形式，将计量知识送到"
            "群众身边，实现线上线下联动互补，全方位覆盖不同受众群体。"
        ),
        tasks=(
            TaskSpec(
                title="全方位开展线上计量科普知识宣传",
                description=(
                    "构建线上宣传矩阵，充分发挥官方网站、社交媒体平台的便捷性、互动性优势，采取推送计量科普"
                    "图文、动画、短视频等方式，全方位开展线上计量科普知识宣传，增强公众参与感。"
                ),
                responsible=(JIANJIANKE, OFFICES),
                cooperating=(UTILITIES, SHENNV_MARKET, PINGHU_MARKET, GAS_STATIONS),
            ),
            TaskSpec(
                title="丰富线下宣传阵地",
                description=(
                    "紧扣民用三表、电子计价秤、加油机等综合整治工作，在政务服务大厅、社区服务中心、加油站、"
                    "商场超市等人流密集场所，通过张贴海报、发放宣传手册等形式，将计量知识送到群众身边，"
                    "实现线上线下联动互补，全方位覆盖不同受众群体。"
                ),
                responsible=(JIANJIANKE, OFFICES),
                cooperating=(UTILITIES, SHENNV_MARKET, PINGHU_MARKET, GAS_STATIONS),
            ),
        ),
    ),
    WorkstreamSpec(
        number=3,
        notice_ref="二（三）",
        title="开展民生领域计量专项检查行动",
        description=(
            "组织开展“民用三表”、电子计价秤、加油机、出租车计价器、充电桩、眼镜制配等重点民生领域计量专项"
            "检查，严厉打击短斤少两、计量作弊等违法行为，维护公平公正市场秩序，保护消费者合法权益。"
        ),
        tasks=(
            TaskSpec(
                title="组织开展“民用三表”、电子计价秤、加油机、出租车计价器、充电桩、眼镜制配等重点民生领域计量专项检查",
                description="严厉打击短斤少两、计量作弊等违法行为，维护公平公正市场秩序，保护消费者合法权益。",
                responsible=(JIANJIANKE, ENFORCEMENT_1, OFFICES),
            ),
        ),
    ),
    WorkstreamSpec(
        number=4,
        notice_ref="二（四）",
        title="开展“计量中小企业服务行”活动",
        description=(
            "持续推进“计量服务中小企业行”活动，推动中小企业计量伙伴计划落地，结合营商环境创新试点等工作，"
            "组织企业座谈、调研走访等活动，深入企业生产一线，为企业解决生产中的计量难题。"
        ),
        tasks=(
            TaskSpec(
                title="推动中小企业计量伙伴计划落地",
                description="持续推进“计量服务中小企业行”活动，推动中小企业计量伙伴计划落地，结合营商环境创新试点等工作",
                responsible=(JIANJIANKE,),
                cooperating=(TESTING_INSTITUTE,),
            ),
            TaskSpec(
                title="组织企业座谈、调研走访等活动",
                description="组织企业座谈、调研走访等活动，深入企业生产一线，为企业解决生产中的计量难题。",
                responsible=(JIANJIANKE,),
                cooperating=(TESTING_INSTITUTE,),
            ),
        ),
    ),
)

# Section 三（四）: tasks of every campaign that belong to no workstream.
SAFEGUARD_REF = "三（四）"
SAFEGUARD_TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        title="注意舆情监控和研判，重大舆情及时向县局报告",
        description=(
            "各相关科所队要认真开展正面宣传引导，通过本次活动积极为群众办实事，建立计量惠民长效机制，"
            "同时要注意舆情监控和研判，重大舆情及时向县局报告。"
        ),
        responsible=(SECTIONS_OFFICES_TEAMS,),
    ),
    TaskSpec(
        title="加强信息报送",
        description="注意舆情监控，加强信息报送。",
        responsible=(SECTIONS_OFFICES_TEAMS,),
    ),
)


def notice_text() -> str:
    return NOTICE_PATH.read_text(encoding="utf-8").strip()


def _upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Create the row, or update only the fields that differ: a second run writes nothing."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj


def _seed_parties(task: Task, specs: tuple[Party, ...], role: str, units: dict[str, Unit]) -> None:
    for order, party in enumerate(specs):
        _upsert(
            TaskParty,
            {"task": task, "role": role, "label": party.label},
            {
                "unit": units[party.unit] if party.unit else None,
                "unit_kinds": list(party.kinds),
                "sort_order": order,
            },
        )


def _seed_task(
    campaign: Campaign,
    workstream: Workstream | None,
    ref: str,
    spec: TaskSpec,
    order: int,
    units: dict[str, Unit],
) -> Task:
    task = _upsert(
        Task,
        {"campaign": campaign, "notice_ref": ref, "title": spec.title},
        {"workstream": workstream, "description": spec.description, "sort_order": order},
    )
    _seed_parties(task, spec.responsible, TaskParty.Role.RESPONSIBLE, units)
    _seed_parties(task, spec.cooperating, TaskParty.Role.COOPERATING, units)
    task_sync_assignments(task=task)
    return task


@transaction.atomic
def seed_campaign_2025() -> Campaign:
    """Create or complete the 2025 campaign from the notice; idempotent."""
    units = {}
    for order, (name, kind) in enumerate(NAMED_UNITS.items()):
        unit = Unit.objects.filter(name=name).first() or Unit.objects.create(
            name=name, kind=kind, sort_order=order
        )
        units[name] = unit

    campaign = _upsert(
        Campaign,
        {"year": CAMPAIGN["year"]},
        {**{k: v for k, v in CAMPAIGN.items() if k != "year"}, "notice_text": notice_text()},
    )
    order = 0
    for ws_spec in WORKSTREAMS:
        workstream = _upsert(
            Workstream,
            {"campaign": campaign, "number": ws_spec.number},
            {"notice_ref": ws_spec.notice_ref, "title": ws_spec.title, "description": ws_spec.description},
        )
        for task_spec in ws_spec.tasks:
            order += 10
            _seed_task(campaign, workstream, ws_spec.notice_ref, task_spec, order, units)
        for metric, label, goal, unit_label in ws_spec.targets:
            _upsert(
                Target,
                {"campaign": campaign, "metric": metric},
                {"workstream": workstream, "label": label, "goal": goal, "unit_label": unit_label},
            )
    for task_spec in SAFEGUARD_TASKS:
        order += 10
        _seed_task(campaign, None, SAFEGUARD_REF, task_spec, order, units)
    return campaign
