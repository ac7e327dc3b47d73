"""The registry of metrics that targets name.

Campaigns never imports a workstream: each workstream app registers how to count its metrics from
its `AppConfig.ready`, and a target whose metric nobody registered shows as "not connected", never 0.
"""

from __future__ import annotations

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


_registry: dict[str, Metric] = {}


def register(key: str, label: str, count: Callable[[Campaign], int]) -> None:
    existing = _registry.get(key)
    if existing is not None and existing.count is not count:
        raise ValueError(f"metric {key!r} is registered twice")
    _registry[key] = Metric(key=key, label=label, count=count)


def get(key: str) -> Metric | None:
    return _registry.get(key)


def registered() -> dict[str, Metric]:
    return dict(_registry)


def actual_for(target: Target) -> int | None:
    """The counted actual for a target, or None when no app has registered its metric yet."""
    metric = _registry.get(target.metric)
    return None if metric is None else metric.count(target.campaign)
