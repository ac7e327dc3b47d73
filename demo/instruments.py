"""Demo lines of the 计量器具台账 (issue 20): a few dozen instruments of the demo enterprises across the
offices, 公平秤 in the two markets with coordinates, some due within 30 days, some overdue, failed or
never verified; reminder contacts for two owners, and a few scans and ratings from the public pages.

Written through instruments.services (the door every write takes), dated from today so that
`make run` always shows lines due and overdue; deterministic and idempotent (a line is known by its
owner and 出厂编号, and the public's use is added only with the lines that are new).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from enterprises.models import Enterprise
from inspections.models import InstrumentType
from inspections.verification import Result, period_end
from instruments import services
from instruments.models import Purpose, RegisteredInstrument
from organizations.models import Unit, User

WECHAT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 MicroMessenger/8.0.47"
ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"

# How a line's last verification stands today: days until its valid-until date (negative: overdue),
# or a fixed state. "valid" lines run out in 200 days, "due" in 12, "overdue" 40 days ago.
VALID, DUE, OVERDUE, FAILED, UNVERIFIED, NEW_METER = "valid", "due", "overdue", "failed", "unverified", "new"
DAYS_LEFT = {VALID: 200, DUE: 12, OVERDUE: -40, FAILED: 150}

# owner, office, type code, name, serial, location, state, (longitude, latitude) or None, 公平秤?
# fmt: off
DEMO_LINES: list[tuple[str, str, str, str, str, str, str, tuple[str, str] | None, bool]] = [
    ("巫山县神女市场管理有限公司", "高唐市场监管所", "price_scale", "公平秤", "GP-SN-01", "神女市场东门服务台", VALID, ("109.879120", "31.075310"), True),
    ("巫山县神女市场管理有限公司", "高唐市场监管所", "price_scale", "公平秤", "GP-SN-02", "神女市场西区水产区", DUE, ("109.877640", "31.074820"), True),
    ("巫山县平湖市场管理有限公司", "龙门市场监管所", "price_scale", "公平秤", "GP-PH-01", "平湖市场管理处门口", VALID, ("109.892350", "31.081270"), True),
    ("巫山县平湖市场管理有限公司", "龙门市场监管所", "price_scale", "公平秤", "GP-PH-02", "平湖市场二楼肉类区", OVERDUE, ("109.893010", "31.080640"), True),
    ("神女市场 A-12 号摊（王记水果）", "高唐市场监管所", "price_scale", "电子计价秤", "YS-A12-01", "神女市场 A-12 号摊", VALID, None, False),
    ("神女市场 A-12 号摊（王记水果）", "高唐市场监管所", "price_scale", "电子计价秤", "YS-A12-02", "神女市场 A-12 号摊", OVERDUE, None, False),
    ("神女市场 A-12 号摊（王记水果）", "高唐市场监管所", "price_scale", "电子计价秤", "YS-A12-03", "神女市场 A-12 号摊", DUE, None, False),
    ("平湖市场 B-03 号摊（李记蔬菜）", "龙门市场监管所", "price_scale", "电子计价秤", "DH-B03-01", "平湖市场 B-03 号摊", VALID, None, False),
    ("平湖市场 B-03 号摊（李记蔬菜）", "龙门市场监管所", "price_scale", "电子计价秤", "DH-B03-02", "平湖市场 B-03 号摊", FAILED, None, False),
    ("平湖市场 B-03 号摊（李记蔬菜）", "龙门市场监管所", "price_scale", "电子计价秤", "DH-B03-03", "平湖市场 B-03 号摊", UNVERIFIED, None, False),
    ("中国石化销售股份有限公司重庆巫山高唐加油站", "高唐市场监管所", "fuel_nozzle", "燃油加油机", "SH-GT-1", "1 号岛 1 号枪", VALID, None, False),
    ("中国石化销售股份有限公司重庆巫山高唐加油站", "高唐市场监管所", "fuel_nozzle", "燃油加油机", "SH-GT-2", "1 号岛 2 号枪", VALID, None, False),
    ("中国石化销售股份有限公司重庆巫山高唐加油站", "高唐市场监管所", "fuel_nozzle", "燃油加油机", "SH-GT-3", "2 号岛 1 号枪", DUE, None, False),
    ("中国石化销售股份有限公司重庆巫山高唐加油站", "高唐市场监管所", "fuel_nozzle", "燃油加油机", "SH-GT-4", "2 号岛 2 号枪", DUE, None, False),
    ("中国石油天然气股份有限公司重庆巫山龙门加油站", "龙门市场监管所", "fuel_nozzle", "燃油加油机", "SY-LM-1", "1 号岛 1 号枪", VALID, None, False),
    ("中国石油天然气股份有限公司重庆巫山龙门加油站", "龙门市场监管所", "fuel_nozzle", "燃油加油机", "SY-LM-2", "1 号岛 2 号枪", OVERDUE, None, False),
    ("中国石油天然气股份有限公司重庆巫山龙门加油站", "龙门市场监管所", "fuel_nozzle", "燃油加油机", "SY-LM-3", "2 号岛 1 号枪", VALID, None, False),
    ("巫山县自来水有限公司", "高唐市场监管所", "water_meter", "民用水表", "SB-2021-0001", "高唐街道广东中路小区 1 栋", NEW_METER, None, False),
    ("巫山县自来水有限公司", "高唐市场监管所", "water_meter", "民用水表", "SB-2018-0420", "高唐街道平湖西路 12 号", NEW_METER, None, False),
    ("国网重庆市电力公司巫山供电分公司", "高唐市场监管所", "electricity_meter", "民用电能表", "DB-2019-1102", "高唐街道圣泉路 8 号", NEW_METER, None, False),
    ("巫山县天然气有限责任公司", "龙门市场监管所", "gas_meter", "民用燃气表", "RQ-2020-0315", "龙门街道翠屏路 3 号", NEW_METER, None, False),
    ("巫山县长江客运有限公司", "龙门市场监管所", "taxi_meter", "出租车计价器", "JJQ-渝F-T001", "渝F·T001 出租车", VALID, None, False),
    ("巫山县长江客运有限公司", "龙门市场监管所", "taxi_meter", "出租车计价器", "JJQ-渝F-T002", "渝F·T002 出租车", OVERDUE, None, False),
    ("巫山县长江客运有限公司", "龙门市场监管所", "taxi_meter", "出租车计价器", "JJQ-渝F-T003", "渝F·T003 出租车", DUE, None, False),
    ("巫山县神女峰酒店有限公司", "高唐市场监管所", "dc_charger", "直流充电桩", "CD-SNF-01", "酒店地下停车场 A 区", VALID, None, False),
    ("巫山县神女峰酒店有限公司", "高唐市场监管所", "ac_charger", "交流充电桩", "CD-SNF-02", "酒店地面停车场", UNVERIFIED, None, False),
    ("巫山县明目眼镜店", "高唐市场监管所", "refractometer", "电脑验光仪", "YG-MM-01", "验光室", VALID, None, False),
    ("巫山县明目眼镜店", "高唐市场监管所", "lensmeter", "焦度计", "JD-MM-01", "配镜台", OVERDUE, None, False),
    ("巫山县明目眼镜店", "高唐市场监管所", "pupillometer", "瞳距仪", "TJ-MM-01", "配镜台", VALID, None, False),
    ("巫山县视康眼镜有限公司", "龙门市场监管所", "refractometer", "电脑验光仪", "YG-SK-01", "验光室", VALID, None, False),
    ("巫山县视康眼镜有限公司", "龙门市场监管所", "trial_lens_set", "验光镜片组", "JP-SK-01", "验光室", DUE, None, False),
    ("巫山县三峡红脆李食品有限公司", "官渡市场监管所", "price_scale", "电子台秤", "TC-HCL-01", "曲尺乡柑园村收购点", VALID, None, False),
    ("巫山县三峡红脆李食品有限公司", "官渡市场监管所", "price_scale", "电子台秤", "TC-HCL-02", "曲尺乡柑园村收购点", OVERDUE, None, False),
    ("巫山县庙宇镇脆李种植专业合作社", "庙宇市场监管所", "price_scale", "电子台秤", "TC-MY-01", "庙宇村集散点", DUE, None, False),
    ("巫山县大昌古镇文化旅游有限公司", "大昌市场监管所", "price_scale", "电子计价秤", "YS-DC-01", "大昌古镇东门游客中心商店", VALID, None, False),
    ("巫山县巫峡镇老腊肉加工坊", "巫峡市场监管所", "price_scale", "电子计价秤", "YS-WX-01", "巫峡镇江东路门店", FAILED, None, False),
]
# fmt: on

# owner: (contact, e-mail) for the daily due and overdue notices (demo addresses go to the console)
DEMO_CONTACTS: dict[str, tuple[str, str]] = {
    "中国石化销售股份有限公司重庆巫山高唐加油站": ("赵站长", "gaotang.station@example.com"),
    "巫山县长江客运有限公司": ("许经理", "changjiang.taxi@example.com"),
}

# serial: ratings from the scan page. (No problem reports: each would open a 舆情 incident, and the
# demo's 舆情 desk is exactly the incidents of demo/opinion.py, which tests/demo counts.)
DEMO_RATINGS: dict[str, list[int]] = {
    "GP-SN-01": [5, 5, 4],
    "GP-PH-02": [2, 1],
    "YS-A12-02": [1],
    "SY-LM-2": [2],
    "DH-B03-01": [4],
}


def _facts(state: str, kind: InstrumentType, today: dt.date) -> dict[str, object]:
    if state == UNVERIFIED:
        return {"result": Result.NONE}
    if state == NEW_METER:
        # First verification only, in service for its type's years: installed some years ago.
        verified = today - dt.timedelta(days=365 * 3)
        life = kind.service_life_years or 6
        return {
            "result": Result.PASSED,
            "verified_on": verified,
            "service_life_end": verified.replace(year=verified.year + life),
        }
    valid_until = today + dt.timedelta(days=DAYS_LEFT[state])
    months = kind.verification_period_months or 12
    verified = valid_until
    # Back from the valid-until date by one period: the day after the previous period ended.
    while period_end(verified, months) > valid_until:
        verified -= dt.timedelta(days=1)
    return {
        "result": Result.FAILED if state == FAILED else Result.PASSED,
        "verified_on": min(verified, today),
        "valid_until": valid_until,
        "certificate_no": f"WSJC-{verified:%Y%m%d}",
        "verifying_body": "巫山县计量检定测试所",
    }


def seed_instruments(units: dict[str, Unit], admin: User) -> int:
    """The demo register; returns how many lines are new. Needs the demo enterprises (seed_enterprises)."""
    today = timezone.localdate()
    owners = {e.name: e for e in Enterprise.objects.filter(name__in={line[0] for line in DEMO_LINES})}
    types = {t.code: t for t in InstrumentType.objects.all()}
    known = set(
        RegisteredInstrument.objects.filter(owner__in=owners.values()).values_list("owner__name", "serial_no")
    )
    created: dict[str, RegisteredInstrument] = {}
    for owner_name, office, code, name, serial, location, state, point, fair_scale in DEMO_LINES:
        owner = owners.get(owner_name)
        if owner is None or (owner_name, serial) in known:
            continue
        kind = types[code]
        data: dict[str, object] = {
            "owner": owner,
            "name": name,
            "category": "衡器" if kind.domain == "scales" else "",
            "model_spec": "",
            "serial_no": serial,
            "location": location,
            "quantity": 1,
            "purpose": Purpose.HEALTH if kind.domain == "optical" else Purpose.TRADE,
            "verification_mode": "送检" if kind.domain in ("scales", "optical") else "现场检定",
            "instrument_type": kind,
            **_facts(state, kind, today),
        }
        if fair_scale:
            data.update(
                kind=RegisteredInstrument.Kind.FAIR_SCALE,
                host_market=owner,
                last_checked_on=today - dt.timedelta(days=7),
            )
        if point is not None:
            data.update(longitude=Decimal(point[0]), latitude=Decimal(point[1]))
        created[serial] = services.instrument_create(actor=admin, data=data, unit=units[office])
    for owner_name, (contact, email) in DEMO_CONTACTS.items():
        owner = owners.get(owner_name)
        if owner is not None and not hasattr(owner, "instrument_contact"):
            services.owner_contact_save(
                actor=admin, owner=owner, data={"name": contact, "email": email, "reminders_enabled": True}
            )
    _public_use(created)
    return len(created)


def _public_use(created: dict[str, RegisteredInstrument]) -> None:
    """Scans and ratings on the new lines, as the scan page records them."""
    for number, instrument in enumerate(created.values()):
        for scan in range(number % 4):
            services.scan_log(
                instrument=instrument, via_qr=scan % 3 != 2, user_agent=WECHAT if scan else ANDROID
            )
    for serial, scores in DEMO_RATINGS.items():
        rated = created.get(serial)
        if rated is None:
            continue
        for score in scores:
            services.rating_create(instrument=rated, score=score)
