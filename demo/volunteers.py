"""Demo volunteers for the demo stations (phones are fictitious), deterministic."""

from __future__ import annotations

import datetime as dt

from microstations.models import MicroStation
from organizations.models import User
from volunteers import services
from volunteers.models import Volunteer

Kind, Group, Gender = Volunteer.Kind, Volunteer.Group, Volunteer.Gender

# name, kind, group, gender, work unit or school, station index, guardian
DEMO_VOLUNTEERS: list[tuple[str, str, str, str, str, int, str]] = [
    ("谭明华", Kind.PUBLICIST, Group.RESIDENTS_COMMITTEE, Gender.FEMALE, "高唐街道南陵社区居委会", 0, ""),
    ("向德军", Kind.PUBLICIST, Group.OWNERS_COMMITTEE, Gender.MALE, "翠屏小区业主委员会", 2, ""),
    ("冉小兵", Kind.PUBLICIST, Group.FOOD_DELIVERY, Gender.MALE, "巫山县城区外卖站点", 3, ""),
    ("陈国庆", Kind.PUBLICIST, Group.COURIER, Gender.MALE, "巫山县城区快递网点", 4, ""),
    ("黄丽", Kind.PUBLICIST, Group.RESIDENTS_COMMITTEE, Gender.FEMALE, "龙门街道龙江社区居委会", 1, ""),
    ("刘志强", Kind.PUBLICIST, Group.FOOD_DELIVERY, Gender.MALE, "巫山县城区外卖站点", 5, ""),
    ("周敏", Kind.PUBLICIST, Group.OWNERS_COMMITTEE, Gender.FEMALE, "平湖小区业主委员会", 6, ""),
    ("李思琪", Kind.JUNIOR, Group.STUDENT, Gender.FEMALE, "巫山县实验小学", 0, "李建国"),
    ("王子涵", Kind.JUNIOR, Group.STUDENT, Gender.MALE, "巫山县龙门小学", 1, "王芳"),
    ("杨帆", Kind.PUBLICIST, Group.COURIER, Gender.MALE, "巫山县城区快递网点", 7, ""),
]


def seed_volunteers(stations: list[MicroStation], office_users: dict[int, User], admin: User) -> int:
    created = 0
    for index, (name, kind, group, gender, work_unit, station_index, guardian) in enumerate(DEMO_VOLUNTEERS):
        station = stations[station_index]
        if Volunteer.objects.filter(station=station, name=name).exists():
            continue
        services.volunteer_create(
            actor=office_users.get(station.supervising_unit_id, admin),
            station=station,
            data={
                "name": name,
                "kind": kind,
                "group": group,
                "gender": gender,
                "phone": f"1380000{index:04d}",
                "work_unit": work_unit,
                "recruited_on": dt.date(2025, 5, 10) + dt.timedelta(days=index),
                "certificate_no": f"WSJL-XC-2025{index + 1:03d}",
                "guardian_name": guardian,
                "guardian_phone": f"1390000{index:04d}" if guardian else "",
                "guardian_consent": bool(guardian),
            },
        )
        created += 1
    return created
