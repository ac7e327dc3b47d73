"""Demo stations at real kinds of Wushan hosts, their activities and generated photos; deterministic."""

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
from evidence.processing import process_upload
from microstations import services
from microstations.models import MicroStation, StationActivity
from organizations.models import Unit, User
from records.models import ReviewStatus
from records.services import record_approve, record_return, record_save

Stage = MicroStation.Stage
Type = MicroStation.StationType
Focus = MicroStation.FocusArea

# name suffix, host, host unit name, type, township, address, office, focus, stage, opened on
DEMO_STATIONS: list[tuple[str, str, str, str, str, str, str, str, str, dt.date | None]] = [
    (
        "高唐供电营业厅",
        "国网巫山供电分公司高唐营业厅",
        "国网重庆市电力公司巫山供电分公司",
        Type.POWER_HALL,
        "高唐街道",
        "广东中路",
        "高唐市场监管所",
        Focus.CROWDED,
        Stage.OPENED,
        dt.date(2025, 5, 20),
    ),
    (
        "龙门供水营业厅",
        "巫山县自来水有限公司龙门营业厅",
        "巫山县自来水有限公司",
        Type.WATER_HALL,
        "龙门街道",
        "龙门大道",
        "龙门市场监管所",
        Focus.COMMUNITY,
        Stage.OPENED,
        dt.date(2025, 5, 20),
    ),
    (
        "巫山燃气营业厅",
        "巫山县天然气有限责任公司营业厅",
        "巫山县天然气有限责任公司",
        Type.GAS_HALL,
        "龙门街道",
        "翠屏路",
        "龙门市场监管所",
        Focus.COMPLAINTS,
        Stage.OPENED,
        dt.date(2025, 5, 20),
    ),
    (
        "神女市场",
        "神女市场",
        "神女市场",
        Type.MARKET,
        "高唐街道",
        "神女大道",
        "高唐市场监管所",
        Focus.COMPLAINTS,
        Stage.OPENED,
        dt.date(2025, 5, 16),
    ),
    (
        "平湖市场",
        "平湖市场",
        "平湖市场",
        Type.MARKET,
        "龙门街道",
        "平湖路",
        "龙门市场监管所",
        Focus.CROWDED,
        Stage.OPENED,
        dt.date(2025, 5, 16),
    ),
    (
        "石化高唐加油站",
        "中国石化巫山高唐加油站",
        "中国石化巫山高唐加油站",
        Type.GAS_STATION,
        "高唐街道",
        "滨江路",
        "高唐市场监管所",
        Focus.CROWDED,
        Stage.OPENED,
        dt.date(2025, 5, 22),
    ),
    (
        "石油龙门加油站",
        "中国石油巫山龙门加油站",
        "中国石油巫山龙门加油站",
        Type.GAS_STATION,
        "龙门街道",
        "龙井路",
        "龙门市场监管所",
        Focus.CROWDED,
        Stage.OPENED,
        dt.date(2025, 5, 22),
    ),
    (
        "巫峡镇社区服务中心",
        "巫峡镇社区服务中心",
        "",
        Type.COMMUNITY,
        "巫峡镇",
        "巫峡镇政府旁",
        "巫峡市场监管所",
        Focus.COMMUNITY,
        Stage.FURNISHED,
        None,
    ),
    (
        "大昌镇中心小学",
        "大昌镇中心小学",
        "",
        Type.SCHOOL,
        "大昌镇",
        "大昌古镇",
        "大昌市场监管所",
        Focus.COMMUNITY,
        Stage.BUILDER_CONFIRMED,
        None,
    ),
]

TOPICS = [
    (StationActivity.Topic.SCIENCE, "计量科普进社区：认识身边的计量器具"),
    (StationActivity.Topic.UTILITIES, "用水用电用气计量知识讲解"),
    (StationActivity.Topic.FEES, "水电气收费政策宣传"),
    (StationActivity.Topic.DRIVING, "加油机计量与用车加油安全"),
    (StationActivity.Topic.SCIENCE, "“手机变砝码”公平秤体验"),
]


def demo_photo(seed: str, taken: dt.date) -> Any:
    """A photo-like JPEG with EXIF time and a GPS position in Wushan, as a phone would upload it."""
    rng = random.Random(seed)  # noqa: S311 (demo pictures)
    image = Image.new(
        "RGB", (1600, 1200), (rng.randint(120, 200), rng.randint(150, 220), rng.randint(170, 240))
    )
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 1400), rng.randint(0, 1000)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.rectangle((x, y, x + rng.randint(80, 400), y + rng.randint(60, 300)), fill=colour)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = f"{taken:%Y:%m:%d} 10:{rng.randint(0, 59):02d}:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 4.0, 30.0), 3: "E", 4: (109.0, 52.0, 48.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(f"微站活动-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_stations(campaign: Campaign, units: dict[str, Unit], admin: User) -> list[MicroStation]:
    stations = []
    for index, (suffix, host, host_unit, kind, township, road, office, focus, stage, opened) in enumerate(
        DEMO_STATIONS
    ):
        station, created = MicroStation.objects.get_or_create(
            campaign=campaign,
            name=f"民生计量科普宣传服务微站（{suffix}）",
            defaults={
                "host_name": host,
                "host_unit": units.get(host_unit),
                "station_type": kind,
                "address": f"巫山县{township}{road}",
                "township": township,
                "latitude": Decimal("31.0750") + Decimal(index) / 1000,
                "longitude": Decimal("109.8780") + Decimal(index) / 1000,
                "focus_area": focus,
                "contact_name": f"{'李王张刘陈杨赵黄周'[index]}经理",
                "contact_phone": f"023-5768{1200 + index:04d}",
                "supervising_unit": units[office],
            },
        )
        if created and stage != Stage.PLANNED:
            station = services.station_set_stage(actor=admin, station=station, stage=stage, opened_on=opened)
            if opened:
                station.plaque_no = f"WS-JL-2025-{index + 1:02d}"
                station.save(update_fields=["plaque_no"])
        stations.append(station)
    return stations


def seed_activities(
    stations: list[MicroStation], *, scale: int, seed: int, office_users: dict[int, User], admin: User
) -> int:
    """Two activities per opened station and scale; the first two of each station go through the real
    services (photos, submission, review), the rest are bulk-created already approved."""
    if StationActivity.objects.filter(station__in=stations).exists():
        return 0  # already seeded: a rerun changes nothing
    created = 0
    bulk = []
    now = timezone.now()
    # Drawn by the station's place in the demo list, never its id: ids differ between databases (a
    # PostgreSQL sequence does not roll back), the demo must not.
    for number, station in enumerate(stations, start=1):
        if station.stage != Stage.OPENED or station.opened_on is None:
            continue
        actor = office_users.get(station.supervising_unit_id, admin)
        rng = random.Random(f"{seed}:{number}")  # noqa: S311 (demo data)
        for n in range(2 * scale):
            topic, title = TOPICS[(number + n) % len(TOPICS)]
            day = min(
                station.opened_on + dt.timedelta(days=3 * n), station.campaign.end_date or station.opened_on
            )
            data = {
                "date": day,
                "topic": topic,
                "title": title,
                "people_reached": rng.randint(30, 300),
                "materials_distributed": rng.randint(20, 200),
                "volunteers_present": rng.randint(1, 4),
                "summary": f"在{station.host_name}开展{title}，现场解答群众咨询。",
            }
            if n < 2:
                photos = [process_upload(demo_photo(f"{number}-{n}", day))]
                activity = record_save(
                    actor=actor,
                    model=StationActivity,
                    data={**data, "station": station},
                    photos=photos,
                    submit=True,
                )
                if n == 0:
                    record_approve(actor=admin, record=activity)
                elif number % 4 == 0:
                    record_return(
                        actor=admin, record=activity, reason="请补充活动现场照片和覆盖人数的统计依据。"
                    )
            else:
                bulk.append(
                    StationActivity(
                        station=station,
                        campaign=station.campaign,
                        unit=station.supervising_unit,
                        created_by=actor,
                        review_status=ReviewStatus.APPROVED,
                        submitted_at=now,
                        reviewed_at=now,
                        reviewed_by=admin,
                        **data,
                    )
                )
            created += 1
    insert_with_history(StationActivity, bulk, admin)
    return created
