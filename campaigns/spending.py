"""经费: what the campaign's activities cost, and the items above its threshold, flagged for review.

Every submitted-record model with a `cost` field counts (publicity activities today), found through the
app registry as the reporting windows find record types, so campaigns imports no workstream. Totals
follow the official rule: approved records are counted (`counted()`), submitted ones are shown beside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Model, Q, Sum

from campaigns.models import Campaign
from campaigns.reporting import record_types
from organizations.access import scope_to_user

FLAGGED_LIMIT = 20


def cost_models() -> dict[str, type[Model]]:
    return {
        key: model
        for key, model in record_types().items()
        if any(f.name == "cost" for f in model._meta.get_fields())
        and hasattr(model._default_manager, "counted")
    }


def over_threshold_q() -> Q:
    """Records (of a `cost_models()` type) whose 经费 exceeds their campaign's threshold."""
    return Q(cost__gt=F("campaign__cost_flag_threshold"))


@dataclass
class SpendingRow:
    label: str
    approved: Decimal
    pending: Decimal


@dataclass
class Spending:
    threshold: Decimal
    rows: list[SpendingRow] = field(default_factory=list)
    flagged: list[Any] = field(default_factory=list)

    @property
    def approved(self) -> Decimal:
        return sum((row.approved for row in self.rows), Decimal(0))

    @property
    def pending(self) -> Decimal:
        return sum((row.pending for row in self.rows), Decimal(0))


def spending(*, campaign: Campaign, user: Any = None) -> Spending:
    """Totals per record type and the most expensive submitted items above the threshold.

    Queries: per record type with a cost, the approved sum, the submitted sum and the flagged items (3).
    """
    result = Spending(threshold=campaign.cost_flag_threshold)
    flagged: list[Any] = []
    for model in cost_models().values():
        records = model._default_manager.filter(campaign=campaign)
        if user is not None:
            records = scope_to_user(records, user)
        approved = records.counted().aggregate(total=Sum("cost"))["total"]  # type: ignore[attr-defined]
        pending = records.pending().aggregate(total=Sum("cost"))["total"]  # type: ignore[attr-defined]
        result.rows.append(
            SpendingRow(
                label=str(model._meta.verbose_name),
                approved=approved or Decimal(0),
                pending=pending or Decimal(0),
            )
        )
        flagged.extend(
            records.filter(submitted_at__isnull=False, cost__gt=campaign.cost_flag_threshold)
            .select_related("unit")
            .order_by("-cost", "pk")[:FLAGGED_LIMIT]
        )
    result.flagged = sorted(flagged, key=lambda item: -item.cost)[:FLAGGED_LIMIT]
    return result
