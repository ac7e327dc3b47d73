"""The registry of workbook sheets (pretix's register_data_exporters, without signals).

Each workstream app defines its sheets in `exports.py` and registers them from its AppConfig.ready();
the report builder only lists what is registered, in `order`, so it never needs to know a workstream.
A sheet's figures come from the workstream's own selectors, so they agree with its pages and the
dashboard; statistics are passed around as named fields, never by column index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class SheetContext:
    """What a report asks of every sheet: the campaign, the period and (optionally) one unit."""

    campaign: Any
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit: Any = None
    today: dt.date = field(default_factory=dt.date.today)


class SheetExporter:
    """One sheet of the summary workbook.

    Subclasses set `identifier` (stable, ASCII), `title` (the sheet's Chinese name), `order` (its
    place in the workbook), `headers`, and optionally `number_formats` ({column index: format}) and
    `widths`; `rows(context)` yields the data rows (streamed into a write-only workbook).
    """

    identifier: ClassVar[str]
    title: ClassVar[str]
    order: ClassVar[int] = 100
    headers: ClassVar[list[str]] = []
    number_formats: ClassVar[dict[int, str]] = {}
    widths: ClassVar[list[int] | None] = None

    def rows(self, context: SheetContext) -> Iterable[list[Any]]:
        raise NotImplementedError


_registry: dict[str, type[SheetExporter]] = {}


def register(exporter: type[SheetExporter]) -> type[SheetExporter]:
    """Register a sheet (usable as a class decorator); registering the same identifier twice replaces it."""
    _registry[exporter.identifier] = exporter
    return exporter


def registered() -> list[SheetExporter]:
    """Every registered sheet, in workbook order."""
    return [cls() for cls in sorted(_registry.values(), key=lambda cls: (cls.order, cls.identifier))]
