"""The registry of metrics that targets name.

Campaigns never imports a workstream: each workstream app registers how to count its metrics from
its `AppConfig.ready`, and a target whose metric nobody registered shows as "not connected", never 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from campaigns.models import Campaign, Target


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    count: Callable[[Campaign], int]
    # The figure as it stood at the end of a day (what counted up to that date), for milestones
    # judged on their own date; None when the app has not said how to count it by date.
    count_as_of: Callable[[Campaign, dt.date], int] | None = None

    def figure_on(self, campaign: Campaign, day: dt.date, *, today: dt.date) -> int | None:
        """The figure at the end of `day`: today's figure while `day` is still ahead (nothing has been
        counted after today), the dated count once it has passed, None if the app cannot date it."""
        if self.count_as_of is not None:
            return self.count_as_of(campaign, min(day, today))
        return self.count(campaign) if day >= today else None


_registry: dict[str, Metric] = {}


def register(
    key: str,
    label: str,
    count: Callable[[Campaign], int],
    *,
    count_as_of: Callable[[Campaign, dt.date], int] | None = None,
) -> None:
    existing = _registry.get(key)
    if existing is not None and (existing.count is not count or existing.count_as_of is not count_as_of):
        raise ValueError(f"metric {key!r} is registered twice")
    _registry[key] = Metric(key=key, label=label, count=count, count_as_of=count_as_of)


def get(key: str) -> Metric | None:
    return _registry.get(key)


def registered() -> dict[str, Metric]:
    return dict(_registry)


def actual_for(target: Target) -> int | None:
    """The counted actual for a target, or None when no app has registered its metric yet."""
    metric = _registry.get(target.metric)
    return None if metric is None else metric.count(target.campaign)
