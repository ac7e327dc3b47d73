"""The precomputed official figures (records.models.Fact), kept in step with every counted change.

A record adds `counted_facts()` to its (campaign, unit, day) cells while it is counted (approved). A
service that changes whether or what a record counts wraps the change in `facts_kept(record)`, inside
its own transaction: the cells move by the difference, so the figures never disagree with a recount.
`facts_rebuild` recounts a campaign from scratch (after bulk inserts that bypass the services).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet, Sum
from django.utils import timezone

from campaigns.models import Campaign
from core.periods import period_q
from records.models import Fact, ReviewStatus, SubmittedRecord, record_types

# (campaign id, unit id, day, record type, metric, key)
Cell = tuple[int, int, dt.date, str, str, str]
CELL_FIELDS = ("campaign_id", "unit_id", "day", "record_type", "metric", "key")


def facts_of(record: SubmittedRecord) -> dict[Cell, Decimal]:
    """What `record` adds to the figures as it stands: nothing unless it is counted (approved)."""
    if record.review_status != ReviewStatus.APPROVED:
        return {}
    head = (record.campaign_id, record.unit_id, record.fact_day(), record._meta.label_lower)
    return {(*head, metric, key): value for (metric, key), value in record.counted_facts().items()}


def _shift_cell(cell: Cell, change: Decimal, now: dt.datetime) -> None:
    lookup = dict(zip(CELL_FIELDS, cell, strict=True))
    if Fact.objects.filter(**lookup).update(value=F("value") + change, updated_at=now):
        return
    try:
        with transaction.atomic():
            Fact.objects.create(**lookup, value=change)
    except IntegrityError:
        # A concurrent transaction made the cell first: add to it.
        Fact.objects.filter(**lookup).update(value=F("value") + change, updated_at=now)


@transaction.atomic
def facts_shift(*, before: dict[Cell, Decimal], after: dict[Cell, Decimal]) -> None:
    """Move the cells by `after` − `before` (what a record added before and after a change)."""
    delta: dict[Cell, Decimal] = defaultdict(Decimal)
    for cell, value in before.items():
        delta[cell] -= value
    for cell, value in after.items():
        delta[cell] += value
    now = timezone.now()
    # Sorted, so that concurrent transactions lock shared cells in the same order.
    for cell in sorted(cell for cell, change in delta.items() if change):
        _shift_cell(cell, delta[cell], now)


@contextmanager
def facts_kept(record: SubmittedRecord) -> Iterator[None]:
    """Keep the figures in step with whatever the block does to `record` (call inside the service's
    transaction, with `record` locked and as it is before the change)."""
    before = facts_of(record)
    yield
    facts_shift(before=before, after=facts_of(record))


def _counted_records(model: type[SubmittedRecord], campaign: Campaign) -> Iterable[SubmittedRecord]:
    records: Any = model._default_manager.filter(campaign=campaign, review_status=ReviewStatus.APPROVED)
    return records.prefetch_related(*model.fact_prefetch).iterator(chunk_size=2000)


def facts_recount(campaign: Campaign) -> dict[Cell, Decimal]:
    """The campaign's cells recounted from its records (zero cells left out)."""
    cells: dict[Cell, Decimal] = defaultdict(Decimal)
    for model in record_types():
        for record in _counted_records(model, campaign):
            for cell, value in facts_of(record).items():
                cells[cell] += value
    return {cell: value for cell, value in cells.items() if value}


def facts_stored(campaign: Campaign) -> dict[Cell, Decimal]:
    """The campaign's cells as stored (zero cells left out)."""
    rows = Fact.objects.filter(campaign=campaign).exclude(value=0).values_list(*CELL_FIELDS, "value")
    return {tuple(row[:-1]): row[-1] for row in rows}


@transaction.atomic
def facts_rebuild(campaign: Campaign) -> int:
    """Replace the campaign's cells by a recount; returns how many cells it has."""
    cells = facts_recount(campaign)
    Fact.objects.filter(campaign=campaign).delete()
    Fact.objects.bulk_create(
        [Fact(**dict(zip(CELL_FIELDS, cell, strict=True)), value=value) for cell, value in cells.items()],
        batch_size=2000,
    )
    return len(cells)


def facts_differences(campaign: Campaign) -> dict[Cell, tuple[Decimal, Decimal]]:
    """The cells whose stored value differs from a recount: {cell: (stored, recounted)}."""
    stored, recounted = facts_stored(campaign), facts_recount(campaign)
    return {
        cell: (stored.get(cell, Decimal(0)), recounted.get(cell, Decimal(0)))
        for cell in stored.keys() | recounted.keys()
        if stored.get(cell, Decimal(0)) != recounted.get(cell, Decimal(0))
    }


def facts_verify(campaign: Campaign, *, repair: bool = False) -> int:
    """Compare the campaign's stored cells with a recount; returns how many differ.

    With `repair`, each differing cell is moved by its difference through `facts_shift` (row by row,
    under the same locks as an approval), so a concurrent approval is never overwritten the way a
    delete-and-insert rebuild could. A record approved between the recount and the repair is counted
    by its own service and shows up as a difference of the next verification, not as a wrong repair:
    the repair is recomputed from a second recount, and only differences present in both are moved.
    """
    first = facts_differences(campaign)
    if not first or not repair:
        return len(first)
    with transaction.atomic():
        second = facts_differences(campaign)
        lasting = {cell: values for cell, values in second.items() if first.get(cell) == values}
        facts_shift(
            before={cell: stored for cell, (stored, _recounted) in lasting.items()},
            after={cell: recounted for cell, (_stored, recounted) in lasting.items()},
        )
    return len(first)


def facts_computed_at(campaign: Campaign) -> dt.datetime | None:
    """When the campaign's figures last changed (None before any record counted)."""
    return Fact.objects.filter(campaign=campaign).aggregate(at=Max("updated_at"))["at"]


# --- Reading the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactTotals:
    """The figures of a campaign within a period and unit, summed per (record type, metric, key)."""

    sums: dict[tuple[str, str, str], Decimal]

    def total(self, record_type: str, metric: str, keys: Iterable[str] | None = None) -> Decimal:
        """The sum over `keys` (every key when None)."""
        wanted = None if keys is None else set(keys)
        return sum(
            (
                value
                for (kind, name, key), value in self.sums.items()
                if kind == record_type and name == metric and (wanted is None or key in wanted)
            ),
            Decimal(0),
        )

    def keys(self, record_type: str, metric: str) -> list[str]:
        """The keys of a metric that add up to more than nothing (e.g. the parties inspected)."""
        return [
            key
            for (kind, name, key), value in self.sums.items()
            if kind == record_type and name == metric and value
        ]


def _facts_in(
    *, campaign: Campaign, date_from: dt.date | None, date_to: dt.date | None, unit_id: int | None
) -> QuerySet[Fact]:
    facts = Fact.objects.filter(period_q("day", date_from, date_to), campaign=campaign)
    if unit_id:
        facts = facts.filter(unit_id=unit_id)
    return facts.order_by()


def facts_totals(
    *,
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> FactTotals:
    """Every figure of the campaign within the period and unit (one query over the facts, whatever
    the number of records)."""
    rows = (
        _facts_in(campaign=campaign, date_from=date_from, date_to=date_to, unit_id=unit_id)
        .values("record_type", "metric", "key")
        .annotate(total=Sum("value"))
    )
    return FactTotals({(row["record_type"], row["metric"], row["key"]): row["total"] for row in rows})


def facts_counts_by(
    by: str,
    *,
    record_types: Iterable[str],
    campaign: Campaign,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    unit_id: int | None = None,
) -> dict[tuple[str, Any], int]:
    """How many records of each type count, per `by` ("unit_id" or "day"): {(record type, value): n}
    (one query)."""
    rows = (
        _facts_in(campaign=campaign, date_from=date_from, date_to=date_to, unit_id=unit_id)
        .filter(record_type__in=list(record_types), metric="count")
        .values("record_type", by)
        .annotate(total=Sum("value"))
    )
    return {(row["record_type"], row[by]): int(row["total"]) for row in rows if row["total"]}
