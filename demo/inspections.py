"""Demo inspections across the six domains, deterministic and idempotent.

A handful of showcase inspections go through the real services (listed instruments with an overdue
scale, a broken seal on a dispenser and a meter past its service life; rectification with its
follow-up task; a cheating case with fines; photos; review states). Then 30 × scale further
inspections with entered counts (every fifth with three listed instruments) are bulk-created,
already reviewed, so that `--scale` gives the statistics table a realistic volume quickly.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Campaign, TaskAssignment
from campaigns.services import assignment_acknowledge
from demo.history import insert_with_history
from enterprises import uscc
from enterprises.models import Enterprise
from evidence.processing import process_upload
from inspections import services
from inspections.models import (
    Domain,
    FollowUpStatus,
    InspectedInstrument,
    InspectionRecord,
    InstrumentType,
    ProblemType,
)
from inspections.verification import Result
from organizations.models import Unit, User
from records.models import ReviewStatus
from records.services import record_approve, record_return, record_submit

Kind = Enterprise.Kind
Industry = Enterprise.Industry
Size = Enterprise.Size
P = ProblemType

BULK_PER_SCALE = 30
BULK_MARK = "（演示批量数据）"
FIRST_DAY = dt.date(2025, 4, 28)
LAST_DAY = dt.date(2025, 6, 25)

# name, kind, industry, size, township, address (names shared with enterprises.demo are reused)
# fmt: off
PARTIES: dict[str, tuple[str, str, str, str, str]] = {
    "巫山县神女市场管理有限公司": (Kind.MARKET_OPERATOR, Industry.RETAIL, Size.SMALL, "高唐街道", "神女大道"),
    "巫山县平湖市场管理有限公司": (Kind.MARKET_OPERATOR, Industry.RETAIL, Size.SMALL, "龙门街道", "平湖路"),
    "神女市场3号摊位（李记水果）": (Kind.STALL, Industry.RETAIL, Size.MICRO, "高唐街道", "神女市场内"),
    "神女市场17号摊位（张氏猪肉）": (Kind.STALL, Industry.RETAIL, Size.MICRO, "高唐街道", "神女市场内"),
    "平湖市场8号摊位（刘记干货）": (Kind.STALL, Industry.RETAIL, Size.MICRO, "龙门街道", "平湖市场内"),
    "巫山县佳惠超市有限公司": (Kind.COMPANY, Industry.RETAIL, Size.SMALL, "高唐街道", "广东中路"),
    "中国石化销售股份有限公司重庆巫山高唐加油站": (Kind.COMPANY, Industry.FUEL, Size.SMALL, "高唐街道", "滨江路"),
    "中国石油天然气股份有限公司重庆巫山龙门加油站": (Kind.COMPANY, Industry.FUEL, Size.SMALL, "龙门街道", "龙井路"),
    "巫山县大昌加油站": (Kind.COMPANY, Industry.FUEL, Size.MICRO, "大昌镇", "大昌大道"),
    "巫山县自来水有限公司": (Kind.UTILITY, Industry.UTILITIES, Size.MEDIUM, "高唐街道", "平湖西路"),
    "国网重庆市电力公司巫山供电分公司": (Kind.UTILITY, Industry.UTILITIES, Size.LARGE, "高唐街道", "广东中路"),
    "巫山县天然气有限责任公司": (Kind.UTILITY, Industry.UTILITIES, Size.MEDIUM, "龙门街道", "翠屏路"),
    "巫山县出租汽车有限责任公司": (Kind.COMPANY, Industry.TRANSPORT, Size.SMALL, "高唐街道", "神女大道"),
    "巫山县城投新能源充电服务有限公司": (Kind.COMPANY, Industry.UTILITIES, Size.SMALL, "龙门街道", "巫峡路"),
    "巫山县明视眼镜店": (Kind.INDIVIDUAL, Industry.OPTICAL, Size.MICRO, "高唐街道", "广东中路"),
    "巫山县亮晶晶眼镜有限公司": (Kind.COMPANY, Industry.OPTICAL, Size.MICRO, "龙门街道", "龙门大道"),
}
# fmt: on
PREFIX: dict[str, str] = {Kind.INDIVIDUAL: "92"}

DOMAIN_PARTIES: dict[str, list[str]] = {
    Domain.SCALES: [
        "神女市场3号摊位（李记水果）",
        "神女市场17号摊位（张氏猪肉）",
        "平湖市场8号摊位（刘记干货）",
        "巫山县佳惠超市有限公司",
    ],
    Domain.FUEL: [
        "中国石化销售股份有限公司重庆巫山高唐加油站",
        "中国石油天然气股份有限公司重庆巫山龙门加油站",
        "巫山县大昌加油站",
    ],
    Domain.UTILITY_METERS: [
        "巫山县自来水有限公司",
        "国网重庆市电力公司巫山供电分公司",
        "巫山县天然气有限责任公司",
    ],
    Domain.TAXI: ["巫山县出租汽车有限责任公司"],
    Domain.EV_CHARGERS: ["巫山县城投新能源充电服务有限公司"],
    Domain.OPTICAL: ["巫山县明视眼镜店", "巫山县亮晶晶眼镜有限公司"],
}
STALL_MARKETS = {"神女": "巫山县神女市场管理有限公司", "平湖": "巫山县平湖市场管理有限公司"}
INSPECTORS = ["张伟、李娜", "王强、刘洋", "陈静、杨磊", "赵敏、黄涛", "周杰、吴芳"]


def demo_photo(seed: str, taken: dt.date) -> Any:
    """A photo-like JPEG with EXIF time, as an inspector's phone would upload it."""
    rng = random.Random(seed)  # noqa: S311 (demo pictures)
    image = Image.new(
        "RGB", (1200, 900), (rng.randint(140, 210), rng.randint(140, 210), rng.randint(140, 210))
    )
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randint(0, 1000), rng.randint(0, 700)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.rectangle((x, y, x + rng.randint(60, 300), y + rng.randint(40, 200)), fill=colour)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = f"{taken:%Y:%m:%d} 10:{rng.randint(0, 59):02d}:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(f"专项检查-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_parties(admin: User) -> dict[str, Enterprise]:
    """The inspected parties, reused by name when the registry (or its demo) already has them."""
    parties: dict[str, Enterprise] = {}
    for number, (name, (kind, industry, size, township, road)) in enumerate(PARTIES.items(), start=1):
        enterprise = Enterprise.objects.filter(name=name).order_by("pk").first()
        if enterprise is None:
            code = (
                ""
                if kind == Kind.STALL
                else uscc.make_code(f"{PREFIX.get(kind, '91')}{uscc.WUSHAN_REGION}MA6K{number:05d}")
            )
            enterprise = Enterprise(
                name=name,
                credit_code=code,
                kind=kind,
                industry=industry,
                size=size,
                address=f"巫山县{township}{road}",
                township=township,
                created_by=admin,
            )
            enterprise.full_clean()
            enterprise._history_user = admin  # type: ignore[attr-defined]
            enterprise.save()
        parties[name] = enterprise
    return parties


def _types() -> dict[str, InstrumentType]:
    return {t.code: t for t in InstrumentType.objects.all()}


def _instrument(code: str, serial: str, verified: dt.date | None, **facts: Any) -> dict[str, Any]:
    return {
        "instrument_type": _types()[code],
        "serial_no": serial,
        "certificate_no": f"巫检{verified:%Y%m}-{serial}" if verified else "",
        "verified_on": verified,
        "valid_until": None,
        "verifying_body": "巫山检测所" if verified else "",
        "result": Result.PASSED if verified else Result.NONE,
        "mark_present": verified is not None,
        "seal_intact": True,
        "service_life_end": None,
        **facts,
    }


@dataclass
class Showcase:
    key: str
    unit: str
    domain: str
    party: str
    day: dt.date
    data: dict[str, Any]
    instruments: list[dict[str, Any]] = field(default_factory=list)
    photos: int = 0
    review: str = ReviewStatus.SUBMITTED
    acknowledge: bool = False
    rectified_on: dt.date | None = None
    case: tuple[str, dt.date | None] | None = None  # case number, closed on


def showcases() -> list[Showcase]:
    return [
        Showcase(
            "scales-overdue",
            "高唐市场监管所",
            Domain.SCALES,
            "神女市场3号摊位（李记水果）",
            dt.date(2025, 5, 12),
            {
                "fair_scale_present": True,
                "instruments_registered": False,
                "problems_found": 2,
                "problem_types": [P.OVERDUE, P.NOT_REGISTERED],
                "findings": "1台电子计价秤超过检定有效期仍在使用；摊位计量器具未登记造册。",
                "rectification_notice_no": "巫市监高唐责改〔2025〕05号",
                "rectification_deadline": dt.date(2025, 5, 22),
            },
            [
                _instrument("price_scale", "TCS-30-0815", dt.date(2024, 9, 3)),
                _instrument("price_scale", "TCS-30-1102", dt.date(2024, 4, 28)),
                _instrument("price_scale", "ACS-15-0031", dt.date(2025, 3, 2)),
            ],
            photos=1,
            review=ReviewStatus.APPROVED,
            rectified_on=dt.date(2025, 5, 20),
        ),
        Showcase(
            "fuel-broken-seal",
            "龙门市场监管所",
            Domain.FUEL,
            "中国石油天然气股份有限公司重庆巫山龙门加油站",
            dt.date(2025, 5, 21),
            {
                "dispensers": 2,
                "nozzles": 4,
                "problems_found": 1,
                "problem_types": [P.SEAL],
                "findings": "2号加油机计量器铅封损坏，已现场封存该枪，责令限期重新检定。",
                "rectification_notice_no": "巫市监龙门责改〔2025〕11号",
                "rectification_deadline": dt.date(2025, 6, 20),
            },
            [
                _instrument("fuel_nozzle", "1号机1枪", dt.date(2024, 11, 6)),
                _instrument("fuel_nozzle", "1号机2枪", dt.date(2024, 11, 6)),
                _instrument("fuel_nozzle", "2号机1枪", dt.date(2024, 11, 6), seal_intact=False),
                _instrument("fuel_nozzle", "2号机2枪", dt.date(2024, 11, 6)),
            ],
            photos=2,
            acknowledge=True,
        ),
        Showcase(
            "meters-past-life",
            "高唐市场监管所",
            Domain.UTILITY_METERS,
            "巫山县自来水有限公司",
            dt.date(2025, 5, 26),
            {
                "problems_found": 1,
                "problem_types": [P.OTHER],
                "findings": "抽查居民小区水表，1只水表超过使用期限未轮换。",
            },
            [
                _instrument("water_meter", "WS2018-00412", dt.date(2018, 6, 1)),
                _instrument("water_meter", "WS2022-01377", dt.date(2022, 3, 15)),
                _instrument("electricity_meter", "DB2021-88130", dt.date(2021, 7, 9)),
                _instrument("gas_meter", "RQ2020-20455", dt.date(2020, 10, 12)),
            ],
            review=ReviewStatus.APPROVED,
        ),
        Showcase(
            "scales-cheating",
            "执法一大队",
            Domain.SCALES,
            "平湖市场8号摊位（刘记干货）",
            dt.date(2025, 5, 14),
            {
                "fair_scale_present": True,
                "instruments_registered": True,
                "instruments_checked": 2,
                "mandatory_count": 2,
                "cheating_device_count": 1,
                "problems_found": 1,
                "problem_types": [P.CHEATING],
                "findings": "1台电子计价秤加装遥控作弊装置，现场扣押。",
                "fine_amount": Decimal("5000.00"),
                "confiscated_income": Decimal("1200.00"),
                "confiscated_devices": 1,
                "confiscated_items": "作弊电子计价秤1台、遥控器1个",
                "cheating_case": True,
            },
            photos=1,
            review=ReviewStatus.APPROVED,
            case=("巫市监立〔2025〕18号", dt.date(2025, 6, 18)),
        ),
        Showcase(
            "taxi-counts",
            "龙门市场监管所",
            Domain.TAXI,
            "巫山县出租汽车有限责任公司",
            dt.date(2025, 5, 28),
            {
                "instruments_checked": 40,
                "mandatory_count": 40,
                "overdue_count": 2,
                "problems_found": 2,
                "problem_types": [P.OVERDUE],
                "findings": "抽查40辆出租车，2台计价器超期未检。",
                "rectification_notice_no": "巫市监龙门责改〔2025〕14号",
                "rectification_deadline": dt.date(2025, 6, 11),
            },
            review=ReviewStatus.SUBMITTED,
            case=("巫市监立〔2025〕21号", None),
        ),
        Showcase(
            "ev-chargers",
            "价监科",
            Domain.EV_CHARGERS,
            "巫山县城投新能源充电服务有限公司",
            dt.date(2025, 6, 4),
            {
                "ledger_present": True,
                "findings": "联合巫山检测所抽查充电站，运营商已建立计量器具台账。",
            },
            [
                _instrument("ac_charger", "AC-07-001", dt.date(2024, 3, 18)),
                _instrument("ac_charger", "AC-07-002", dt.date(2024, 3, 18)),
                _instrument("dc_charger", "DC-120-001", dt.date(2023, 2, 20)),
            ],
            review=ReviewStatus.APPROVED,
        ),
        Showcase(
            "optical",
            "高唐市场监管所",
            Domain.OPTICAL,
            "巫山县明视眼镜店",
            dt.date(2025, 6, 6),
            {
                "problems_found": 1,
                "problem_types": [P.OVERDUE],
                "findings": "验光镜片组超过检定有效期。",
            },
            [
                _instrument("refractometer", "YG-2201", dt.date(2025, 1, 8)),
                _instrument("lensmeter", "JD-1933", dt.date(2025, 1, 8)),
                _instrument("trial_lens_set", "JP-266", dt.date(2023, 5, 9)),
                _instrument("pupillometer", "TJ-07", None, result=Result.NONE),
            ],
            review=ReviewStatus.RETURNED,
        ),
    ]


def _seed_showcase(
    showcase: Showcase,
    *,
    campaign: Campaign,
    parties: dict[str, Enterprise],
    units: dict[str, Unit],
    office_users: dict[int, User],
    admin: User,
) -> InspectionRecord | None:
    unit = units.get(showcase.unit)
    actor = office_users.get(unit.pk) if unit else None
    if actor is None and unit is not None and admin.unit_id == unit.pk:
        actor = admin
    if actor is None:
        return None
    party = parties[showcase.party]
    market = next((parties[m] for key, m in STALL_MARKETS.items() if showcase.party.startswith(key)), None)
    data = {
        "domain": showcase.domain,
        "inspected_party": party,
        "market": market,
        "date": showcase.day,
        "inspectors": INSPECTORS[len(showcase.key) % len(INSPECTORS)],
        "staff_turnout": 2 if showcase.domain != Domain.FUEL else 3,
        "joint_unit": units.get("巫山检测所")
        if showcase.domain in (Domain.EV_CHARGERS, Domain.FUEL)
        else None,
        **showcase.data,
    }
    photos = [process_upload(demo_photo(f"{showcase.key}-{n}", showcase.day)) for n in range(showcase.photos)]
    record = services.inspection_save(
        actor=actor, campaign=campaign, data=data, instruments=showcase.instruments, photos=photos
    )
    if showcase.acknowledge and record.follow_up_task_id:
        # The office signs for its follow-up task, as it would on its workbench (and a signed task is
        # left alone when the campaign demo moves pending work along on a later run).
        assignment = TaskAssignment.objects.get(task_id=record.follow_up_task_id, unit_id=record.unit_id)
        assignment_acknowledge(actor=actor, assignment=assignment)
    if showcase.rectified_on:
        record = services.inspection_record_rectified(
            actor=actor, inspection=record, rectified_on=showcase.rectified_on
        )
    if showcase.case:
        case_no, closed_on = showcase.case
        record = services.inspection_file_case(actor=actor, inspection=record, case_no=case_no)
        if closed_on:
            record = services.inspection_close_case(actor=actor, inspection=record, closed_on=closed_on)
    if showcase.review != ReviewStatus.DRAFT:
        record = record_submit(actor=actor, record=record)
    if showcase.review == ReviewStatus.APPROVED:
        record = record_approve(actor=admin, record=record)
    elif showcase.review == ReviewStatus.RETURNED:
        record = record_return(actor=admin, record=record, reason="验光镜片组请补充检定证书号和检定机构。")
    return record


def _bulk_record(
    n: int, *, seed: int, campaign: Campaign, units: list[Unit], parties: dict[str, Enterprise], admin: User
) -> tuple[InspectionRecord, list[InspectedInstrument]]:
    """The n-th bulk inspection, drawn from its own (seed, n) so that any rerun gives the same one."""
    rng = random.Random(f"{seed}:inspection:{n}")  # noqa: S311 (demo data)
    domain = Domain.values[n % len(Domain.values)]
    party = parties[rng.choice(DOMAIN_PARTIES[domain])]
    day = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    unit = units[rng.randrange(len(units))]
    checked = rng.randint(3, 40) if domain != Domain.FUEL else 0
    dispensers = rng.randint(2, 6) if domain == Domain.FUEL else 0
    nozzles = dispensers * rng.choice((2, 4)) if domain == Domain.FUEL else 0
    total = nozzles or checked
    unverified = rng.choice((0, 0, 0, 1)) if total > 3 else 0
    overdue = rng.choice((0, 0, 1, 2)) if total > 5 else 0
    failed = rng.choice((0, 0, 0, 1)) if total > 8 else 0
    problems = unverified + overdue + failed
    cased = problems and rng.random() < 0.1
    record = InspectionRecord(
        campaign=campaign,
        unit=unit,
        created_by=admin,
        domain=domain,
        inspected_party=party,
        date=day,
        inspectors=INSPECTORS[n % len(INSPECTORS)],
        staff_turnout=rng.randint(2, 4),
        instruments_checked=total,
        mandatory_count=total,
        unverified_count=unverified,
        overdue_count=overdue,
        failed_count=failed,
        dispensers=dispensers,
        nozzles=nozzles,
        fair_scale_present=True if domain == Domain.SCALES else None,
        instruments_registered=(rng.random() < 0.9) if domain == Domain.SCALES else None,
        ledger_present=True if domain == Domain.EV_CHARGERS else None,
        problems_found=problems,
        problem_types=[
            code
            for code, count in ((P.UNVERIFIED, unverified), (P.OVERDUE, overdue), (P.FAILED, failed))
            if count
        ],
        findings=BULK_MARK,
        case_no=f"巫市监立〔2025〕演{n:07d}号" if cased else "",
        case_filed_on=day if cased else None,
        case_closed_on=min(day + dt.timedelta(days=20), LAST_DAY) if cased else None,
        fine_amount=Decimal(rng.choice((500, 1000, 2000, 5000))) if cased else Decimal(0),
        confiscated_income=Decimal(rng.randint(0, 800)) if cased else Decimal(0),
        follow_up_status=FollowUpStatus.CASE_CLOSED if cased else FollowUpStatus.CHECKED,
        review_status=ReviewStatus.APPROVED if rng.random() < 0.8 else ReviewStatus.SUBMITTED,
    )
    instruments: list[InspectedInstrument] = []
    if n % 5 == 0 and domain != Domain.FUEL:
        # Listed instead of entered: three instruments of the domain, one of them overdue.
        record.instruments_checked = record.mandatory_count = 0
        record.unverified_count = record.overdue_count = record.failed_count = 0
        record.problems_found, record.problem_types = 1, [P.OVERDUE]
        instruments = [
            InspectedInstrument(
                serial_no=f"D{n:07d}-{k}",
                verified_on=day - dt.timedelta(days=400 if k == 0 else 90),
                valid_until=day - dt.timedelta(days=35 if k == 0 else -275),
                verifying_body="巫山检测所",
                result=Result.PASSED,
            )
            for k in range(3)
        ]
    return record, instruments


def seed_inspections(
    campaign: Campaign,
    units: dict[str, Unit],
    *,
    scale: int,
    seed: int,
    office_users: dict[int, User],
    admin: User,
) -> int:
    """The showcase inspections (once) and 30 × scale bulk ones (those missing); returns how many were made."""
    parties = seed_parties(admin)
    created = 0
    if not InspectionRecord.objects.filter(campaign=campaign).exclude(findings=BULK_MARK).exists():
        for showcase in showcases():
            record = _seed_showcase(
                showcase,
                campaign=campaign,
                parties=parties,
                units=units,
                office_users=office_users,
                admin=admin,
            )
            created += record is not None

    existing = InspectionRecord.objects.filter(campaign=campaign, findings=BULK_MARK).count()
    wanted = BULK_PER_SCALE * scale
    if existing >= wanted:
        return created
    inspecting = sorted(
        (u for u in units.values() if u.kind in (Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT, Unit.Kind.SECTION)),
        key=lambda u: (u.sort_order, u.name),
    )
    inspecting = [u for u in inspecting if u.name != "办公室" and u.name != "执法支队"]
    types_by_domain: dict[str, InstrumentType] = {}
    for kind in InstrumentType.objects.filter(mandatory=True).order_by("sort_order"):
        types_by_domain.setdefault(kind.domain, kind)
    now = timezone.now()
    batch: list[tuple[InspectionRecord, list[InspectedInstrument]]] = []

    def flush() -> None:
        records = insert_with_history(InspectionRecord, [r for r, _i in batch], admin)
        listed = []
        for record, instruments in zip(records, (i for _r, i in batch), strict=True):
            for instrument in instruments:
                instrument.inspection = record
                instrument.instrument_type = types_by_domain[record.domain]
                listed.append(instrument)
        insert_with_history(InspectedInstrument, listed, admin)
        batch.clear()

    for n in range(existing, wanted):
        record, instruments = _bulk_record(
            n, seed=seed, campaign=campaign, units=inspecting, parties=parties, admin=admin
        )
        if record.review_status != ReviewStatus.DRAFT:
            record.submitted_at = now
        if record.review_status == ReviewStatus.APPROVED:
            record.reviewed_at, record.reviewed_by = now, admin
        batch.append((record, instruments))
        if len(batch) >= 2000:
            flush()
    if batch:
        flush()
    return created + wanted - existing
