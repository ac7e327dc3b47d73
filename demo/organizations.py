"""Demo units and accounts: a realistic set of Wushan units, deterministic."""

from __future__ import annotations

from django.contrib.auth.models import Group

from organizations.models import Unit, User
from organizations.roles import Role

Kind = Unit.Kind

# (name, short name, kind, township, parent name)
DEMO_UNITS: list[tuple[str, str, str, str, str]] = [
    ("价监科", "价监科", Kind.SECTION, "", ""),
    ("办公室", "办公室", Kind.SECTION, "", ""),
    ("执法支队", "执法支队", Kind.ENFORCEMENT, "", ""),
    ("执法一大队", "执法一大队", Kind.ENFORCEMENT, "", "执法支队"),
    ("高唐市场监管所", "高唐所", Kind.OFFICE, "高唐街道", ""),
    ("龙门市场监管所", "龙门所", Kind.OFFICE, "龙门街道", ""),
    ("巫峡市场监管所", "巫峡所", Kind.OFFICE, "巫峡镇", ""),
    ("大昌市场监管所", "大昌所", Kind.OFFICE, "大昌镇", ""),
    ("官渡市场监管所", "官渡所", Kind.OFFICE, "官渡镇", ""),
    ("庙宇市场监管所", "庙宇所", Kind.OFFICE, "庙宇镇", ""),
    ("消委会", "消委会", Kind.OTHER, "", ""),
    ("国网重庆市电力公司巫山供电分公司", "巫山供电", Kind.UTILITY, "高唐街道", ""),
    ("巫山县自来水有限公司", "巫山水司", Kind.UTILITY, "高唐街道", ""),
    ("巫山县天然气有限责任公司", "巫山燃气", Kind.UTILITY, "龙门街道", ""),
    ("神女市场", "神女市场", Kind.MARKET, "高唐街道", ""),
    ("平湖市场", "平湖市场", Kind.MARKET, "龙门街道", ""),
    ("中国石化巫山高唐加油站", "石化高唐站", Kind.GAS_STATION, "高唐街道", ""),
    ("中国石油巫山龙门加油站", "石油龙门站", Kind.GAS_STATION, "龙门街道", ""),
    ("巫山检测所", "检测所", Kind.TESTING, "高唐街道", ""),
]

# username: (name, unit name or "", role, is_superuser)
DEMO_ACCOUNTS: dict[str, tuple[str, str, Role, bool]] = {
    "demo_admin": ("演示管理员", "价监科", Role.BUREAU_ADMIN, True),
    "demo_leader": ("演示领导", "", Role.LEADER, False),
    "demo_office_a": ("演示所员甲", "高唐市场监管所", Role.OFFICE, False),
    "demo_office_b": ("演示所员乙", "龙门市场监管所", Role.OFFICE, False),
    "demo_enforce": ("演示执法队员", "执法一大队", Role.OFFICE, False),
}


def seed_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, (name, short_name, kind, township, parent) in enumerate(DEMO_UNITS):
        unit, _created = Unit.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short_name,
                "kind": kind,
                "township": township,
                "parent": units.get(parent),
                "sort_order": order,
                "is_active": True,
            },
        )
        units[name] = unit
    return units


def seed_accounts(units: dict[str, Unit], password: str) -> dict[str, User]:
    accounts: dict[str, User] = {}
    for username, (name, unit_name, role, superuser) in DEMO_ACCOUNTS.items():
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "name": name,
                "unit": units.get(unit_name),
                "is_staff": role == Role.BUREAU_ADMIN,
                "is_superuser": superuser,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role.value)])
        accounts[username] = user
    return accounts
