"""The people and the station most browser journeys start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from microstations.models import MicroStation
from organizations.roles import Role
from tests.factories import CampaignFactory, UnitFactory, UserFactory


def gaotang_station(**fields: Any) -> MicroStation:
    """高唐市场监管所 with its clerk `gaotang`, 价监科 with its bureau admin `jianjianke`, the 2025
    campaign (25 April – 30 June), and an opened power-hall station the office supervises.
    `fields` override the station's own."""
    office = UnitFactory(name="高唐市场监管所")
    UserFactory(username="gaotang", unit=office, roles=[Role.OFFICE])
    UserFactory(
        username="jianjianke", unit=UnitFactory(name="价监科"), is_staff=True, roles=[Role.BUREAU_ADMIN]
    )
    campaign = CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    station = {
        "campaign": campaign,
        "name": "民生计量科普宣传服务微站（高唐供电营业厅）",
        "host_name": "国网巫山供电分公司高唐营业厅",
        "station_type": MicroStation.StationType.POWER_HALL,
        "address": "巫山县高唐街道广东中路",
        "township": "高唐街道",
        "focus_area": MicroStation.FocusArea.CROWDED,
        "contact_name": "李经理",
        "contact_phone": "023-57681200",
        "supervising_unit": office,
        "stage": MicroStation.Stage.OPENED,
        "opened_on": dt.date(2025, 5, 20),
    }
    return MicroStation.objects.create(**{**station, **fields})
