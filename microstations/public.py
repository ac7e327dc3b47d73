"""What the public may read of a station (its page at /s/<plaque>/), and the reach counters.

A station is public when it has a plaque number, has opened (已揭牌运行) and is not hidden
(`is_public`); anything else answers 404, so unopened stations' numbers cannot be probed. The page
shows the fields in `PUBLIC_FIELDS` only: never the supervising office's notes or who registered it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.periods import period_q
from microstations.models import MicroStation, StationReach

Kind = MicroStation.StationType
ReachKind = StationReach.Kind

# The only fields of a station the public page reads (a test checks nothing else leaks).
PUBLIC_FIELDS = (
    "name",
    "plaque_no",
    "host_name",
    "station_type",
    "address",
    "township",
    "opening_hours",
    "contact_name",
    "contact_phone",
    "fair_scale_location",
    "latitude",
    "longitude",
    "opened_on",
)


def public_stations() -> QuerySet[MicroStation]:
    """Stations whose public page is open."""
    return MicroStation.objects.filter(is_public=True, stage=MicroStation.Stage.OPENED).exclude(plaque_no="")


def station_get_public(*, plaque_no: str) -> MicroStation:
    """The open station with this plaque number (only its public fields loaded), or Http404."""
    station = (
        public_stations()
        .only("pk", "campaign_id", "supervising_unit_id", *PUBLIC_FIELDS)
        .filter(plaque_no=plaque_no)
        .first()
    )
    if station is None:
        raise Http404
    return station


@dataclass(frozen=True)
class Tip:
    title: Promise
    body: Promise


SCALE_TIPS = (
    Tip(
        _("买菜看秤"),
        _("称重前看电子秤是否归零，去皮后再称；认准秤上的检定合格标志和有效期。"),
    ),
    Tip(
        _("手机变砝码"),
        _(
            "一部手机的重量固定不变：先在家用秤上称出手机重量并记下，"
            "到摊位上把同一部手机放到商家的秤上，两次读数相差明显就请商家复称，或到公平秤复核。"
        ),
    ),
)
WATER_TIPS = (
    Tip(
        _("水表怎么看"),
        _("关闭家中所有用水点，观察水表指针或最小位数字是否还在走动；仍在走动，说明可能漏水。"),
    ),
)
POWER_TIPS = (
    Tip(
        _("电费怎么核对"),
        _("对照电费单上的起止读数与电能表显示数，相减即为本期用电量；阶梯电价按年累计用电量计算。"),
    ),
)
GAS_TIPS = (
    Tip(
        _("燃气表与燃气费"),
        _("燃气表有使用年限，到期须更换；读数明显异常时，可向燃气公司申请核查，或拨打 12315 反映。"),
    ),
)
FUEL_TIPS = (
    Tip(
        _("加油看什么"),
        _("加油前确认加油机显示归零，留意铅封是否完好；对加油量有疑问，可要求用标准量器现场核验。"),
    ),
)
TIPS_BY_TYPE: dict[str, tuple[Tip, ...]] = {
    Kind.WATER_HALL: WATER_TIPS,
    Kind.POWER_HALL: POWER_TIPS,
    Kind.GAS_HALL: GAS_TIPS,
    Kind.GAS_STATION: FUEL_TIPS,
    Kind.MARKET: SCALE_TIPS,
    Kind.SUPERMARKET: SCALE_TIPS,
}
GENERAL_TIPS = (*SCALE_TIPS, *WATER_TIPS, *POWER_TIPS, *GAS_TIPS, *FUEL_TIPS)


def station_tips(station: MicroStation) -> tuple[Tip, ...]:
    """Metrology tips for the station's topics; every station also explains 手机变砝码 (scales)."""
    tips = TIPS_BY_TYPE.get(station.station_type, GENERAL_TIPS)
    return tips if tips is GENERAL_TIPS or tips is SCALE_TIPS else (*tips, *SCALE_TIPS)


def station_reach_count(*, station: MicroStation, kind: str) -> None:
    """Add one to today's counter of `kind` (views, scans or submissions) for the station.

    One UPDATE in the common case; the first hit of a day inserts the row (a concurrent twin finds it
    on the unique constraint and updates instead), so no hit is lost or counted twice.
    """
    if kind not in ReachKind.values:
        raise ValueError(kind)
    day = timezone.localdate()
    rows = StationReach.objects.filter(station_id=station.pk, day=day)
    if rows.update(**{kind: F(kind) + 1}):
        return
    try:
        with transaction.atomic():
            StationReach.objects.create(station_id=station.pk, day=day, **{kind: 1})
    except IntegrityError:
        rows.update(**{kind: F(kind) + 1})


def reach_by_station(
    *,
    campaign: Campaign,
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[MicroStation]:
    """The campaign's stations with their summed views, scans and submissions (in the period), in one
    query: the dashboard's reach panel and the workbook's 微站触达 sheet read the same figures."""
    stations = MicroStation.objects.filter(campaign=campaign)
    if unit_id:
        stations = stations.filter(supervising_unit_id=unit_id)
    in_period = period_q("reach__day", date_from, date_to)
    return (
        stations.select_related("supervising_unit")
        .annotate(
            reach_views=Sum("reach__views", filter=in_period, default=0),
            reach_scans=Sum("reach__scans", filter=in_period, default=0),
            reach_submissions=Sum("reach__submissions", filter=in_period, default=0),
        )
        .order_by("township", "name", "pk")
    )


def reach_summary(
    *,
    campaign: Campaign,
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, int]:
    """Views, scans and submissions over all of the campaign's stations (in the period): one query."""
    rows = StationReach.objects.filter(station__campaign=campaign)
    if unit_id:
        rows = rows.filter(station__supervising_unit_id=unit_id)
    totals = rows.filter(period_q("day", date_from, date_to)).aggregate(
        views=Sum("views", default=0),
        scans=Sum("scans", default=0),
        submissions=Sum("submissions", default=0),
    )
    return {key: int(value) for key, value in totals.items()}
