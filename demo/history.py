"""Bulk inserts that keep every row's history, as the services' saves do."""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history

from organizations.models import User

BATCH = 2000


def insert_with_history(model: type[models.Model], rows: list[Any], user: User | None = None) -> list[Any]:
    """Insert `rows` and one history row each (by `user`); returns them with their ids."""
    if not rows:
        return []
    return bulk_create_with_history(rows, model, batch_size=BATCH, default_user=user)
