"""simple_history's ``HistoricalRecords``, with its manager class made once per model.

simple_history's descriptor builds ``HistoryManager.from_queryset(HistoricalQuerySet)`` anew on every
``instance.history`` and so on every save of a tracked model (its post-save handler reads the manager
through it): a new class each time, made by introspecting every queryset method. The class depends only
on the two classes it is made from, so it is made once and reused. Every tracked model uses this one.
"""

from __future__ import annotations

import functools
from typing import Any

from simple_history import manager as history_manager
from simple_history import models as history_models


class HistoryManager(history_manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> Any:
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(history_models.HistoricalRecords):
    def __init__(self, *args: Any, history_manager: type = HistoryManager, **kwargs: Any) -> None:
        super().__init__(*args, history_manager=history_manager, **kwargs)
