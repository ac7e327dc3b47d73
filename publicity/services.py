"""Writes to publicity activities, news items and their adoptions beyond what records.services does.

Activities and news items are created and updated through `records.services.record_save` (scope,
permission, approval lock, allow-list, record-date rule, history, photos, submit); this module adds
the check that needs the actor (`activity_checks`) and the adoptions the bureau records. Every
service here checks scope (Http404) and permission (PermissionDenied) itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from microstations.models import MicroStation
from organizations.access import scope_to_user
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.services import may_review


def activity_checks(actor: Any) -> Callable[[PublicityActivity], None]:
    """record_save's `validate` for activities: the station must be one the actor may see.

    The form, the serializer and the admin offer only these stations; this keeps any other caller honest.
    """

    def check(activity: PublicityActivity) -> None:
        if activity.station_id is None:
            return
        stations = scope_to_user(MicroStation.objects.all(), actor, unit_field=MicroStation.unit_scope_field)
        if not stations.filter(pk=activity.station_id).exists():
            raise ValidationError({"station": _("只能选择本单位联系的微站。")})

    return check


def _ensure_reviewer(actor: Any) -> None:
    if not may_review(actor):
        raise PermissionDenied(_("只有县局审核人员可以登记信息采用。"))


@transaction.atomic
def adoption_record(
    *,
    actor: Any,
    item: NewsItem,
    level: str,
    outlet: str,
    adopted_on: dt.date,
    url: str = "",
) -> Adoption:
    """Record that an approved news item was adopted (采用) at a level and outlet: 404 out of scope,
    403 for anyone but a reviewer, refused unless the item is approved."""
    try:
        # Locked so that a return racing this adoption cannot leave an adoption on an unapproved item.
        locked = scope_to_user(NewsItem.objects.all(), actor).select_for_update().get(pk=item.pk)
    except NewsItem.DoesNotExist as exc:
        raise Http404 from exc
    _ensure_reviewer(actor)
    adoption = Adoption(
        news_item=locked,
        level=level,
        outlet=(outlet or "").strip(),
        url=url or "",
        adopted_on=adopted_on,
        recorded_by=actor,
    )
    adoption.full_clean()
    adoption._history_user = actor  # type: ignore[attr-defined]
    adoption.save()
    return adoption


@transaction.atomic
def adoption_delete(*, actor: Any, adoption: Adoption) -> None:
    if (
        not scope_to_user(Adoption.objects.all(), actor, unit_field=Adoption.unit_scope_field)
        .filter(pk=adoption.pk)
        .exists()
    ):
        raise Http404
    _ensure_reviewer(actor)
    adoption._history_user = actor  # type: ignore[attr-defined]
    adoption.delete()
