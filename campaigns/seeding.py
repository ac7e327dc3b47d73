"""The 2025 campaign: the importer run on the county bureau's notice, with the bureau's own cuts.

`notice_import` reads the workstreams, parties, targets, 工作要求 and the campaign's name, theme and
title from `notices/2025-world-metrology-day-notice.txt`. What no rule can read is the bureau's
editorial choice of how a section splits into tasks, with their stable keys: those are below, as
quotes of the notice (the importer refuses a quote the section does not contain). The units the
notice names are created with their kinds if missing. The notice sets no start, end or due dates,
so those stay empty for the bureau admin to fill in.
"""

from __future__ import annotations

from pathlib import Path

from campaigns.models import Campaign
from campaigns.notice_import import TaskCut, refine
from campaigns.notice_services import NEW, campaign_import_notice, notice_parse
from organizations.models import Unit

NOTICE_PATH = Path(__file__).resolve().parent / "notices" / "2025-world-metrology-day-notice.txt"

Kind = Unit.Kind

# The units the notice names, with their kinds, created by the seed if missing (in this order).
NAMED_UNITS: dict[str, str] = {
    "价监科": Kind.SECTION,
    "执法一大队": Kind.ENFORCEMENT,
    "神女市场": Kind.MARKET,
    "平湖市场": Kind.MARKET,
    "巫山检测所": Kind.TESTING,
}

# How the bureau split each section into tasks: key (stable across renames), title, description.
TASKS: dict[str, tuple[TaskCut, ...]] = {
    "二（一）": (
        TaskCut(
            "ws1.stations",
            "在全县建设9个“民生计量科普宣传服务微站”",
            "主要开展社区、人口集中区域、投诉集中区域等日常计量科普、收费政策、用水用电用气、"
            "用车加油安全服务等的日常宣传。",
        ),
        TaskCut(
            "ws1.volunteers",
            "发动募集9名计量科普义务宣传员、小小宣传员",
            "面向街道社区居委会代表、小区业委会代表、中小学生、外卖小哥、快递小哥等群体发动募集9名"
            "计量科普义务宣传员、小小宣传员，开展日常计量宣传工作，让计量科普进万家。",
        ),
    ),
    "二（二）": (
        TaskCut(
            "ws2.online",
            "全方位开展线上计量科普知识宣传",
            "构建线上宣传矩阵，充分发挥官方网站、社交媒体平台的便捷性、互动性优势，采取推送计量科普"
            "图文、动画、短视频等方式，全方位开展线上计量科普知识宣传，增强公众参与感。",
        ),
        TaskCut(
            "ws2.offline",
            "丰富线下宣传阵地",
            "紧扣民用三表、电子计价秤、加油机等综合整治工作，在政务服务大厅、社区服务中心、加油站、"
            "商场超市等人流密集场所，通过张贴海报、发放宣传手册等形式，将计量知识送到群众身边，"
            "实现线上线下联动互补，全方位覆盖不同受众群体。",
        ),
    ),
    "二（三）": (
        TaskCut(
            "ws3.inspections",
            "组织开展“民用三表”、电子计价秤、加油机、出租车计价器、充电桩、眼镜制配等重点民生领域计量专项检查",
            "严厉打击短斤少两、计量作弊等违法行为，维护公平公正市场秩序，保护消费者合法权益。",
        ),
    ),
    "二（四）": (
        TaskCut(
            "ws4.partners",
            "推动中小企业计量伙伴计划落地",
            "持续推进“计量服务中小企业行”活动，推动中小企业计量伙伴计划落地，结合营商环境创新试点等工作",
        ),
        TaskCut(
            "ws4.visits",
            "组织企业座谈、调研走访等活动",
            "组织企业座谈、调研走访等活动，深入企业生产一线，为企业解决生产中的计量难题。",
        ),
    ),
    # 三（四） is addressed to 各相关科所队: tasks of every campaign that belong to no workstream.
    "三（四）": (
        TaskCut(
            "s3.opinion",
            "注意舆情监控和研判，重大舆情及时向县局报告",
            "各相关科所队要认真开展正面宣传引导，通过本次活动积极为群众办实事，建立计量惠民长效机制，"
            "同时要注意舆情监控和研判，重大舆情及时向县局报告。",
        ),
        TaskCut("s3.news", "加强信息报送", "注意舆情监控，加强信息报送。"),
    ),
}

# 三（一）–（三）, the 工作要求 as checklist items: key, and the part of the item that says what it asks.
# The notice names no unit for them, so the owner is left for the bureau admin to set.
REQUIREMENTS: dict[str, tuple[str, str]] = {
    "三（一）": (
        "s3.frugal",
        "要严格执行中央八项规定精神和党政机关带头过紧日子的要求，坚决杜绝违规举办节庆、论坛和展会行为，"
        "坚决杜绝过度投入、形式主义和铺张浪费行为，坚决杜绝“走秀式”服务、扰民宣传等脱离群众的行为。",
    ),
    "三（二）": (
        "s3.coordination",
        "动员相关供水供电供气公用企业、加油站等积极参与宣传活动，强化责任意识和计量意识，丰富宣传活动形式",
    ),
    "三（三）": ("s3.mechanism", "建立完善计量宣传长效工作机制，推动计量宣传工作提质增效。"),
}


def notice_text() -> str:
    return NOTICE_PATH.read_text(encoding="utf-8").strip()


def seed_campaign_2025() -> Campaign:
    """Create what is missing of the 2025 campaign from the notice; never change what exists."""
    proposal = refine(notice_parse(notice_text(), year=2025), tasks=TASKS, requirements=REQUIREMENTS)
    decisions = {name: f"{NEW}:{kind}" for name, kind in NAMED_UNITS.items()}
    return campaign_import_notice(actor=None, proposal=proposal, decisions=decisions).campaign
