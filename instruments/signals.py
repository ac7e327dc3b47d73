"""The register follows approved inspections: connected in InstrumentsConfig.ready.

Inspections know nothing of the register (it is the app above); an InspectionRecord saved with
review_status 已通过 hands its listed instruments to instruments.services, in the approval's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from inspections.models import InspectionRecord
from records.models import ReviewStatus


def _inspection_saved(sender: type[InspectionRecord], instance: InspectionRecord, **kwargs: Any) -> None:
    if instance.review_status != ReviewStatus.APPROVED or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "review_status" not in update_fields:
        return
    from instruments.services import register_follow_inspection

    register_follow_inspection(inspection=instance)


def connect() -> None:
    post_save.connect(
        _inspection_saved, sender=InspectionRecord, dispatch_uid="instruments.follow_inspection"
    )
