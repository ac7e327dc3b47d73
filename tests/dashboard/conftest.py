"""The dashboard reads official figures from the precomputed facts (records.facts), which the record
kit's services keep in step. These tests make their records with factories, bypassing the services,
so the facts are recounted after every direct save of a record or a listed instrument, as seed_demo
recounts after its bulk inserts. (That the services alone keep the facts equal to a recount is the
property test in tests/records/test_facts_property.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models.signals import post_delete, post_save

from inspections.models import InspectedInstrument
from records.facts import facts_rebuild
from records.models import SubmittedRecord, record_types


def _recount(sender: Any, instance: Any, **kwargs: Any) -> None:
    record = instance.inspection if isinstance(instance, InspectedInstrument) else instance
    if isinstance(record, SubmittedRecord) and record.campaign_id:
        facts_rebuild(record.campaign)


@pytest.fixture(autouse=True)
def facts_follow_factories() -> Iterator[None]:
    senders = [*record_types(), InspectedInstrument]
    for sender in senders:
        post_save.connect(_recount, sender=sender, dispatch_uid=f"facts-{sender._meta.label}")
        post_delete.connect(_recount, sender=sender, dispatch_uid=f"facts-del-{sender._meta.label}")
    yield
    for sender in senders:
        post_save.disconnect(sender=sender, dispatch_uid=f"facts-{sender._meta.label}")
        post_delete.disconnect(sender=sender, dispatch_uid=f"facts-del-{sender._meta.label}")
