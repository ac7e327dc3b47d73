"""Volume for benchmarks: about N records in total over every record type, bulk-inserted with history.

`seed_demo --records N` tops each record type of the campaign up to its fixed share of N (the showcase
records the other demo builders make count towards it), so a rerun with the same N adds nothing and a
larger N adds only the difference. The n-th record of a type is drawn from its own (seed, type, n)
random stream, so the same seed gives the same rows whatever ran before.

Fixed proportions (percent of N), documented in the README:

=====================  =====  ==============================================================
record type            share  notes
=====================  =====  ==============================================================
inspections            30 %   six domains in turn; every fifth (but fuel) lists 3 instruments
publicity activities   25 %   copies of the demo activities, offline, online and merged
micro-station activity 20 %   spread over the opened stations
enterprise visits      15 %   spread over the demo enterprise registry
news items             10 %   copies of the demo news items, tied to no activity
=====================  =====  ==============================================================

Review states of each type: 70 % 已通过, 15 % 已提交, 10 % 草稿, 5 % 已退回. The task list stays the
campaign's: nothing here adds tasks or assignments.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from campaigns.models import Campaign
from demo.enterprises import _programme, _visit_data
from demo.history import BATCH, insert_with_history
from demo.inspections import _bulk_record
from demo.microstations import TOPICS
from demo.publicity import DEMO_ACTIVITIES, DEMO_NEWS, activity_copy
from enterprises.models import Enterprise, EnterpriseVisit, Partnership
from inspections.models import InspectedInstrument, InspectionRecord, InstrumentType
from microstations.models import MicroStation, StationActivity
from organizations.models import Unit, User
from publicity.models import NewsItem, PublicityActivity
from records.models import ReviewStatus, SubmittedRecord

SHARES: dict[type[SubmittedRecord], int] = {
    InspectionRecord: 30,
    PublicityActivity: 25,
    StationActivity: 20,
    EnterpriseVisit: 15,
    NewsItem: 10,
}
# (upper bound of a uniform draw, state): 70 % approved, 15 % submitted, 10 % draft, 5 % returned.
REVIEW_MIX = (
    (0.70, ReviewStatus.APPROVED),
    (0.85, ReviewStatus.SUBMITTED),
    (0.95, ReviewStatus.DRAFT),
    (1.00, ReviewStatus.RETURNED),
)
# Bulk inspections are numbered from here, apart from the scale-one demo ones (case numbers stay unique).
INSPECTION_OFFSET = 1_000_000
RETURN_REASON = "请补充现场照片和统计依据。"


def planner_statistics_refresh(connection: BaseDatabaseWrapper | None = None) -> str:
    """After a load, do on PostgreSQL what autovacuum would in its own time, or never where it is off
    (it is on the project's machine): VACUUM ANALYZE. Without the statistics the planner guesses a few
    dozen rows for tables of thousands; without the vacuum no loaded page is marked all-visible, so an
    index-only scan (the review queue's count and page) still reads the table (a 100k load: the queue
    API 2.04x its 1k time before, 1.16x after). VACUUM cannot run inside a transaction; there (a test)
    ANALYZE alone runs. Nothing elsewhere. Returns the statement it ran ("" for none)."""
    connection = connection or connections["default"]
    if connection.vendor != "postgresql":
        return ""
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement


def shares_of(records: int) -> dict[type[SubmittedRecord], int]:
    """How many records of each type `records` in total means."""
    return {model: records * share // 100 for model, share in SHARES.items()}


def _review(record: SubmittedRecord, rng: random.Random, *, admin: User, now: dt.datetime) -> None:
    draw = rng.random()
    status = next(state for bound, state in REVIEW_MIX if draw < bound)
    record.review_status = status
    record.submitted_at = None if status == ReviewStatus.DRAFT else now
    reviewed = status in (ReviewStatus.APPROVED, ReviewStatus.RETURNED)
    record.reviewed_at, record.reviewed_by = (now, admin) if reviewed else (None, None)
    record.return_reason = RETURN_REASON if status == ReviewStatus.RETURNED else ""


class Volume:
    """The campaign's demo context and one builder per record type (each returns unsaved rows)."""

    def __init__(
        self,
        campaign: Campaign,
        *,
        seed: int,
        units: dict[str, Unit],
        stations: list[MicroStation],
        office_users: dict[int, User],
        admin: User,
    ) -> None:
        self.campaign, self.seed, self.admin = campaign, seed, admin
        self.units, self.office_users = units, office_users
        self.now = timezone.now()
        self.stations = [s for s in stations if s.stage == MicroStation.Stage.OPENED and s.opened_on]
        inspecting = (Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT, Unit.Kind.SECTION)
        self.inspecting = sorted(
            (u for u in units.values() if u.kind in inspecting and u.name not in ("办公室", "执法支队")),
            key=lambda u: (u.sort_order, u.name),
        )
        self.parties = {e.name: e for e in Enterprise.objects.order_by("pk")}
        self.enterprises = list(Enterprise.objects.exclude(kind=Enterprise.Kind.STALL).order_by("pk"))
        self.pairings = list(Partnership.objects.filter(campaign=campaign).order_by("pk"))
        self.members = {p.pk: set(p.partners.values_list("pk", flat=True)) for p in self.pairings}
        self.testing = Unit.objects.filter(kind=Unit.Kind.TESTING).order_by("sort_order", "pk").first()
        self.types_by_domain: dict[str, InstrumentType] = {}
        for kind in InstrumentType.objects.filter(mandatory=True).order_by("sort_order"):
            self.types_by_domain.setdefault(kind.domain, kind)
        self.offices = {u.township: u for u in units.values() if u.kind == Unit.Kind.OFFICE and u.township}

    def rng(self, kind: str, n: int) -> random.Random:
        return random.Random(f"{self.seed}:bulk:{kind}:{n}")  # noqa: S311 (demo data)

    def actor(self, unit: Unit) -> User:
        return self.office_users.get(unit.pk, self.admin)

    def inspection(self, n: int) -> tuple[InspectionRecord, list[InspectedInstrument]]:
        record, instruments = _bulk_record(
            INSPECTION_OFFSET + n,
            seed=self.seed,
            campaign=self.campaign,
            units=self.inspecting,
            parties=self.parties,
            admin=self.admin,
        )
        record.created_by = self.actor(record.unit)
        _review(record, self.rng("inspection", n), admin=self.admin, now=self.now)
        return record, instruments

    def station_activity(self, n: int) -> StationActivity:
        rng = self.rng("station", n)
        station = self.stations[n % len(self.stations)]
        topic, title = TOPICS[n % len(TOPICS)]
        assert station.opened_on is not None  # noqa: S101 (only opened stations are kept)
        last = self.campaign.end_date or station.opened_on
        day = station.opened_on + dt.timedelta(days=rng.randint(0, max((last - station.opened_on).days, 0)))
        activity = StationActivity(
            station=station,
            campaign=self.campaign,
            unit=station.supervising_unit,
            created_by=self.actor(station.supervising_unit),
            date=day,
            topic=topic,
            title=title,
            people_reached=rng.randint(30, 300),
            materials_distributed=rng.randint(20, 200),
            volunteers_present=rng.randint(1, 4),
            summary=f"在{station.host_name}开展{title}（演示批量数据）。",
        )
        _review(activity, rng, admin=self.admin, now=self.now)
        return activity

    def publicity_activity(self, n: int) -> PublicityActivity:
        rng = self.rng("publicity", n)
        spec = DEMO_ACTIVITIES[n % len(DEMO_ACTIVITIES)]
        unit = self.units[spec.unit]
        activity = activity_copy(
            spec,
            n // len(DEMO_ACTIVITIES) + 1,
            rng,
            campaign=self.campaign,
            unit=unit,
            office_users=self.office_users,
            admin=self.admin,
        )
        _review(activity, rng, admin=self.admin, now=self.now)
        return activity

    def news_item(self, n: int) -> NewsItem:
        activity_index, title, body, _adoptions, _outcome = DEMO_NEWS[n % len(DEMO_NEWS)]
        unit = self.units[DEMO_ACTIVITIES[activity_index].unit]
        item = NewsItem(
            campaign=self.campaign,
            unit=unit,
            created_by=self.actor(unit),
            title=f"{title}（第{n // len(DEMO_NEWS) + 2}期）",
            body=body,
        )
        _review(item, self.rng("news", n), admin=self.admin, now=self.now)
        return item

    def visit(self, n: int) -> EnterpriseVisit:
        rng = self.rng("visit", n)
        enterprise = self.enterprises[n % len(self.enterprises)]
        assert self.campaign.start_date is not None  # noqa: S101 (the campaign demo sets its dates)
        last = min(self.campaign.end_date or timezone.localdate(), timezone.localdate())
        day = self.campaign.start_date + dt.timedelta(
            days=rng.randint(0, max((last - self.campaign.start_date).days, 0))
        )
        office = self.offices.get(enterprise.township)
        unit = office or self.units["价监科"]
        visit = EnterpriseVisit(
            campaign=self.campaign,
            unit=unit,
            created_by=self.actor(unit),
            **_visit_data(rng, enterprise, day, self.testing),
            **_programme(enterprise, self.pairings, self.members),
        )
        _review(visit, rng, admin=self.admin, now=self.now)
        return visit


def _batches(make: Callable[[int], Any], start: int, stop: int) -> Iterator[list[Any]]:
    batch = []
    for n in range(start, stop):
        batch.append(make(n))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_volume(volume: Volume, *, records: int) -> dict[str, int]:
    """Top every record type up to its share of `records`; returns how many of each were new."""
    made: dict[str, int] = {}
    campaign, admin = volume.campaign, volume.admin
    for model, wanted in shares_of(records).items():
        existing = model._default_manager.filter(campaign=campaign).count()
        label = model._meta.label_lower
        made[label] = max(wanted - existing, 0)
        if model is InspectionRecord:
            for batch in _batches(volume.inspection, existing, existing + made[label]):
                saved = insert_with_history(InspectionRecord, [record for record, _listed in batch], admin)
                listed = []
                for record, (_record, instruments) in zip(saved, batch, strict=True):
                    for instrument in instruments:
                        instrument.inspection = record
                        instrument.instrument_type = volume.types_by_domain[record.domain]
                        listed.append(instrument)
                insert_with_history(InspectedInstrument, listed, admin)
            continue
        make = {
            PublicityActivity: volume.publicity_activity,
            StationActivity: volume.station_activity,
            EnterpriseVisit: volume.visit,
            NewsItem: volume.news_item,
        }[model]
        for batch in _batches(make, existing, existing + made[label]):
            insert_with_history(model, batch, admin)
    return made
