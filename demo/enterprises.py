"""Demo enterprises of Wushan (credit codes generated for region 500237 with our own check character),
伙伴计划 pairings, SME service visits and their problem tickets; deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Campaign
from demo.history import insert_with_history
from enterprises import services, uscc
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from evidence.processing import process_upload
from organizations.models import Unit, User
from records.models import ReviewStatus
from records.services import record_approve, record_return, record_save, record_submit

Kind = Enterprise.Kind
Industry = Enterprise.Industry
Size = Enterprise.Size
VisitType = EnterpriseVisit.VisitType
Status = MetrologyProblem.Status

# Fictitious holders' codes: authority and type (91 企业, 92 个体工商户, 93 合作社, 12 事业单位), the
# region 巫山县 500237, a made-up organisation code, and the check character computed by our validator.
PREFIX: dict[str, str] = {
    Kind.COMPANY: "91",
    Kind.UTILITY: "91",
    Kind.MARKET_OPERATOR: "91",
    Kind.INDIVIDUAL: "92",
    Kind.COOPERATIVE: "93",
    Kind.INSTITUTION: "12",
}


def demo_credit_code(kind: str, number: int) -> str:
    organisation = f"MA5U{number:05d}" if kind != Kind.INSTITUTION else f"{45020000 + number:08d}X"
    return uscc.make_code(f"{PREFIX[kind]}{uscc.WUSHAN_REGION}{organisation}")


# name, kind, industry, size, township, address, contact (one row a line: it reads as the table it is)
# fmt: off
DEMO_ENTERPRISES: list[tuple[str, str, str, str, str, str, str]] = [
    ("国网重庆市电力公司巫山供电分公司", Kind.UTILITY, Industry.UTILITIES, Size.LARGE, "高唐街道", "广东中路", "刘经理"),
    ("巫山县自来水有限公司", Kind.UTILITY, Industry.UTILITIES, Size.MEDIUM, "高唐街道", "平湖西路", "陈经理"),
    ("巫山县天然气有限责任公司", Kind.UTILITY, Industry.UTILITIES, Size.MEDIUM, "龙门街道", "翠屏路", "杨经理"),
    ("中国石化销售股份有限公司重庆巫山高唐加油站", Kind.COMPANY, Industry.FUEL, Size.SMALL, "高唐街道", "滨江路", "赵站长"),
    ("中国石油天然气股份有限公司重庆巫山龙门加油站", Kind.COMPANY, Industry.FUEL, Size.SMALL, "龙门街道", "龙井路", "黄站长"),
    ("巫山县神女市场管理有限公司", Kind.MARKET_OPERATOR, Industry.RETAIL, Size.SMALL, "高唐街道", "神女大道", "周主任"),
    ("巫山县平湖市场管理有限公司", Kind.MARKET_OPERATOR, Industry.RETAIL, Size.SMALL, "龙门街道", "平湖路", "吴主任"),
    ("巫山县三峡红脆李食品有限公司", Kind.COMPANY, Industry.FOOD, Size.SMALL, "曲尺乡", "柑园村", "郑经理"),
    ("巫山县庙宇镇脆李种植专业合作社", Kind.COOPERATIVE, Industry.AGRICULTURE, Size.MICRO, "庙宇镇", "庙宇村", "王社长"),
    ("巫山县大昌古镇文化旅游有限公司", Kind.COMPANY, Industry.TOURISM, Size.MEDIUM, "大昌镇", "大昌古镇东门", "冯经理"),
    ("巫山县官渡镇农副产品加工厂", Kind.COMPANY, Industry.FOOD, Size.MICRO, "官渡镇", "官渡街", "褚厂长"),
    ("巫山县巫峡镇老腊肉加工坊", Kind.INDIVIDUAL, Industry.FOOD, Size.MICRO, "巫峡镇", "江东路", "卫老板"),
    ("巫山县明目眼镜店", Kind.INDIVIDUAL, Industry.OPTICAL, Size.MICRO, "高唐街道", "圣泉路", "蒋老板"),
    ("巫山县视康眼镜有限公司", Kind.COMPANY, Industry.OPTICAL, Size.SMALL, "龙门街道", "龙门大道", "沈经理"),
    ("巫山县福田建材有限公司", Kind.COMPANY, Industry.CONSTRUCTION, Size.SMALL, "福田镇", "福田街", "韩经理"),
    ("巫山县骡坪镇云雾茶业有限公司", Kind.COMPANY, Industry.FOOD, Size.SMALL, "骡坪镇", "茶园路", "朱经理"),
    ("巫山县人民医院", Kind.INSTITUTION, Industry.HEALTH, Size.LARGE, "高唐街道", "健康路", "秦科长"),
    ("巫山县中医院", Kind.INSTITUTION, Industry.HEALTH, Size.MEDIUM, "高唐街道", "广东西路", "尤科长"),
    ("巫山县长江客运有限公司", Kind.COMPANY, Industry.TRANSPORT, Size.MEDIUM, "龙门街道", "港口路", "许经理"),
    ("巫山县神女峰酒店有限公司", Kind.COMPANY, Industry.HOSPITALITY, Size.SMALL, "高唐街道", "神女大道", "何经理"),
    ("巫山县恒达预拌混凝土有限公司", Kind.COMPANY, Industry.CONSTRUCTION, Size.MEDIUM, "龙门街道", "工业园区", "吕经理"),
    ("巫山县鑫源机械制造有限公司", Kind.COMPANY, Industry.MANUFACTURING, Size.SMALL, "双龙镇", "双龙工业园", "施经理"),
    ("神女市场 A-12 号摊（王记水果）", Kind.STALL, Industry.RETAIL, Size.MICRO, "高唐街道", "神女市场 A-12", "王师傅"),
    ("平湖市场 B-03 号摊（李记蔬菜）", Kind.STALL, Industry.RETAIL, Size.MICRO, "龙门街道", "平湖市场 B-03", "李师傅"),
]
# fmt: on

# lead, partners
DEMO_PARTNERSHIPS: list[tuple[str, list[str]]] = [
    (
        "国网重庆市电力公司巫山供电分公司",
        ["巫山县三峡红脆李食品有限公司", "巫山县鑫源机械制造有限公司", "巫山县神女峰酒店有限公司"],
    ),
    ("巫山县恒达预拌混凝土有限公司", ["巫山县福田建材有限公司", "巫山县官渡镇农副产品加工厂"]),
]

NEEDS = [
    "电能表、水表计量准确性疑问，希望开展比对",
    "生产线电子秤、压力表临近检定周期，需集中送检",
    "缺少计量管理制度和计量器具台账，希望指导建立",
    "计量人员缺乏培训，不熟悉计量法律法规",
    "希望了解能源计量器具配备要求（GB 17167）",
    "眼镜制配场所验光仪、焦度计检定安排",
    "定量包装商品净含量计量要求咨询",
]
PROBLEMS: list[tuple[str, str, str]] = [
    (
        MetrologyProblem.Category.INSTRUMENTS,
        "3 台电子计价秤超期未检",
        "巫山检测所上门集中检定，已贴检定合格标志",
    ),
    (MetrologyProblem.Category.MANAGEMENT, "未建立计量器具台账", "指导企业建立计量器具台账和周期检定计划"),
    (
        MetrologyProblem.Category.PERSONNEL,
        "计量管理人员不熟悉检定周期要求",
        "组织计量管理人员参加培训并发放学习资料",
    ),
    (MetrologyProblem.Category.CAPABILITY, "压力表无法自行校准", "由巫山检测所提供校准服务并减免部分费用"),
    (MetrologyProblem.Category.ENERGY, "能源计量器具配备不足", "按 GB 17167 指导补充配备二级能源计量器具"),
    (MetrologyProblem.Category.STANDARDS, "定量包装净含量抽检方法不清楚", "讲解 JJF 1070 并现场示范抽检"),
]


def demo_photo(seed: str, taken: dt.date) -> Any:
    """A photo-like JPEG with EXIF time, as a phone would upload it."""
    rng = random.Random(seed)  # noqa: S311 (demo pictures)
    image = Image.new(
        "RGB", (1200, 900), (rng.randint(150, 220), rng.randint(150, 220), rng.randint(150, 220))
    )
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randint(0, 1000), rng.randint(0, 700)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.rectangle((x, y, x + rng.randint(60, 300), y + rng.randint(40, 200)), fill=colour)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = f"{taken:%Y:%m:%d} 15:{rng.randint(0, 59):02d}:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(f"企业服务-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_enterprises(admin: User) -> list[Enterprise]:
    """The demo registry; existing rows (matched by credit code, or by name for stalls) are kept."""
    enterprises = []
    for number, (name, kind, industry, size, township, road, contact) in enumerate(DEMO_ENTERPRISES, start=1):
        code = demo_credit_code(kind, number) if kind != Kind.STALL else ""
        lookup = {"credit_code": code} if code else {"name": name}
        enterprise = Enterprise.objects.filter(**lookup).first()
        if enterprise is None:
            enterprise = services.enterprise_create(
                actor=admin,
                data={
                    "name": name,
                    "credit_code": code,
                    "kind": kind,
                    "industry": industry,
                    "size": size,
                    "address": f"巫山县{township}{road}",
                    "township": township,
                    "contact_name": contact,
                    "contact_phone": f"023-5768{3000 + number:04d}",
                },
            )
        enterprises.append(enterprise)
    return enterprises


def seed_partnerships(campaign: Campaign, enterprises: list[Enterprise], admin: User) -> list[Partnership]:
    by_name = {e.name: e for e in enterprises}
    pairings = []
    for lead_name, partner_names in DEMO_PARTNERSHIPS:
        lead = by_name[lead_name]
        partnership = Partnership.objects.filter(campaign=campaign, lead=lead).first()
        if partnership is None:
            partnership = services.partnership_save(
                actor=admin,
                data={
                    "campaign": campaign,
                    "lead": lead,
                    "name": f"{lead_name}计量伙伴结对",
                    "signed_on": campaign.metrology_day,
                    "note": "龙头企业开放计量实验室，帮助结对中小企业开展计量器具比对和能源计量管理。",
                },
                partners=[by_name[n] for n in partner_names],
            )
        pairings.append(partnership)
    return pairings


def _visit_data(
    rng: random.Random, enterprise: Enterprise, day: dt.date, testing: Unit | None
) -> dict[str, Any]:
    types = sorted(rng.sample(list(VisitType.values), rng.randint(1, 3)), key=list(VisitType.values).index)
    instruments = rng.choice([0, 0, 2, 5, 8, 12, 20])
    saving = Decimal(instruments * rng.randint(40, 120))
    return {
        "enterprise": enterprise,
        "date": day,
        "visit_types": types,
        "staff": rng.choice(
            ["张伟、李娜", "王强、刘洋（巫山检测所）", "陈静、杨帆", "赵磊、黄敏（巫山检测所）"]
        ),
        "technical_partner": testing if instruments else None,
        "needs_identified": rng.choice(NEEDS),
        "summary": f"走访{enterprise.name}，了解企业计量需求并现场答疑。",
        "instruments_serviced": instruments,
        "fees_waived": Decimal(instruments * rng.choice([20, 30, 50])),
        "estimated_saving": saving,
        "saving_basis": f"免费检定校准 {instruments} 台件，按收费标准估算" if saving else "",
        "standards_guided": rng.randint(0, 3),
        "trainees": rng.choice([0, 0, 8, 15, 30]) if VisitType.TRAINING in types else 0,
        "follow_up_on": day + dt.timedelta(days=30) if rng.random() < 0.4 else None,
    }


def _programme(
    enterprise: Enterprise, pairings: list[Partnership], members: dict[int, set[int]]
) -> dict[str, Any]:
    for partnership in pairings:
        if enterprise.pk == partnership.lead_id or enterprise.pk in members[partnership.pk]:
            return {"programme": EnterpriseVisit.Programme.PARTNERSHIP, "partner_lead": partnership.lead}
    return {"programme": EnterpriseVisit.Programme.SME_SERVICE, "partner_lead": None}


def seed_enterprise_demo(
    campaign: Campaign, *, scale: int, seed: int, office_users: dict[int, User], admin: User
) -> int:
    """Everything above, in order; returns the number of new visits."""
    enterprises = seed_enterprises(admin)
    pairings = seed_partnerships(campaign, enterprises, admin)
    return seed_visits(
        campaign, enterprises, pairings, scale=scale, seed=seed, office_users=office_users, admin=admin
    )


def seed_visits(
    campaign: Campaign,
    enterprises: list[Enterprise],
    pairings: list[Partnership],
    *,
    scale: int,
    seed: int,
    office_users: dict[int, User],
    admin: User,
) -> int:
    """12×scale visits spread over the registry: the first four through the real services (photos,
    problem tickets through every step, review); the rest bulk-created already approved."""
    if EnterpriseVisit.objects.filter(campaign=campaign, enterprise__in=enterprises).exists():
        return 0  # already seeded: a rerun changes nothing
    assert campaign.start_date is not None  # noqa: S101 (the campaign demo fills in its dates first)
    last = min(campaign.end_date or timezone.localdate(), timezone.localdate())
    span = max((last - campaign.start_date).days, 0)
    testing = Unit.objects.filter(kind=Unit.Kind.TESTING).order_by("sort_order", "pk").first()
    offices = {u.township: u for u in Unit.objects.filter(kind=Unit.Kind.OFFICE) if u.township}
    members = {p.pk: set(p.partners.values_list("pk", flat=True)) for p in pairings}
    now = timezone.now()
    total = 12 * scale
    created = 0
    batch: list[tuple[EnterpriseVisit, random.Random]] = []

    def actor_for(enterprise: Enterprise) -> User:
        office = offices.get(enterprise.township)
        return office_users.get(office.pk, admin) if office else admin

    def flush() -> None:
        insert_with_history(EnterpriseVisit, [visit for visit, _rng in batch], admin)
        problems = []
        for visit, rng in batch:
            for _ in range(rng.choice([0, 1, 1, 2])):
                category, description, solution = rng.choice(PROBLEMS)
                problems.append(
                    MetrologyProblem(
                        visit=visit,
                        category=category,
                        description=description,
                        status=Status.CONFIRMED,
                        raised_by=visit.created_by,
                        raised_at=now,
                        assigned_unit=testing or visit.unit,
                        assigned_by=visit.created_by,
                        assigned_at=now,
                        solution=solution,
                        solved_by=visit.created_by,
                        solved_at=now,
                        confirmed_by_name=visit.enterprise.contact_name or "企业负责人",
                        confirmation_recorded_by=visit.created_by,
                        confirmed_at=now,
                    )
                )
        insert_with_history(MetrologyProblem, problems, admin)
        batch.clear()

    for n in range(total):
        rng = random.Random(f"{seed}:visit:{n}")  # noqa: S311 (demo data)
        enterprise = enterprises[n % len(enterprises)]
        day = campaign.start_date + dt.timedelta(days=rng.randint(0, span))
        data = {**_visit_data(rng, enterprise, day, testing), **_programme(enterprise, pairings, members)}
        actor = actor_for(enterprise)
        if n < 4:
            _seed_through_services(campaign, data, actor, admin, testing, n)
        else:
            unit = actor.unit or services.visiting_unit_for(admin)
            assert unit is not None  # noqa: S101 (the demo units include 价监科)
            visit = EnterpriseVisit(
                campaign=campaign,
                unit=unit,
                created_by=actor,
                review_status=ReviewStatus.APPROVED,
                submitted_at=now,
                reviewed_at=now,
                reviewed_by=admin,
                **data,
            )
            batch.append((visit, rng))
            if len(batch) >= 2000:
                flush()
        created += 1
    flush()
    return created


def _seed_through_services(
    campaign: Campaign,
    data: dict[str, Any],
    actor: User,
    admin: User,
    testing: Unit | None,
    n: int,
) -> None:
    """One visit as an office would log it: photo, problems moved along to different steps, review."""
    photos = [process_upload(demo_photo(f"visit-{n}", data["date"]))]
    visit = record_save(
        actor=actor,
        model=EnterpriseVisit,
        data=data,
        photos=photos,
        campaign=campaign,
        unit=services.visiting_unit_for(actor),
    )
    for step, (category, description, solution) in enumerate(PROBLEMS[n : n + 2 + n % 2]):
        problem = services.problem_raise(actor=actor, visit=visit, category=category, description=description)
        if step + n >= 1 and testing is not None:
            problem = services.problem_assign(
                actor=actor, problem=problem, assigned_unit=testing, assignee_name="检测所 刘工"
            )
            if step + n >= 2:
                problem = services.problem_solve(actor=actor, problem=problem, solution=solution)
                if step + n >= 3:
                    services.problem_confirm(
                        actor=actor,
                        problem=problem,
                        confirmed_by_name=visit.enterprise.contact_name or "企业负责人",
                        note="问题已解决，感谢市场监管部门的帮助。",
                    )
    if n == 3:
        return  # left as a draft
    visit = record_submit(actor=actor, record=visit)
    if n == 0:
        record_approve(actor=admin, record=visit)
    elif n == 2:
        record_return(actor=admin, record=visit, reason="请补充节约成本的测算依据和现场照片。")
