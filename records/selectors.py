"""Reads across every submitted-record type: the review queue and its count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, QuerySet, Value

from campaigns.spending import cost_models, over_threshold_q
from organizations.access import scope_to_user
from records.models import SubmittedRecord, record_types
from records.services import review_q


def type_key(model: type[SubmittedRecord]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def review_types() -> dict[str, type[SubmittedRecord]]:
    """Every record type the queue covers, by key ("app_label.model_name")."""
    return {type_key(model): model for model in record_types()}


def _reviewable(model: type[SubmittedRecord], user: Any, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
    """The rows of `queryset` in the user's scope that are the user's to review (records.services.review_q:
    the bureau's, or the supervising office's), or None when the user reviews none of `model`."""
    condition = review_q(user, model)
    if condition is None:
        return None
    return scope_to_user(queryset, user).filter(condition)


def _pending_rows(
    user: Any, *, kind: str = "", unit_id: int | None = None, over_cost: bool = False
) -> QuerySet[Any] | None:
    """One row (kind, pk, submitted_at) per submitted record the user reviews, across types; with
    `over_cost`, only those whose 经费 exceeds their campaign's threshold (campaigns.spending)."""
    parts = []
    with_cost = cost_models() if over_cost else {}
    for key, model in review_types().items():
        if (kind and key != kind) or (over_cost and key not in with_cost):
            continue
        queryset = _reviewable(model, user, model._default_manager.pending())
        if queryset is None:
            continue
        if over_cost:
            queryset = queryset.filter(over_threshold_q())
        if unit_id:
            queryset = queryset.filter(unit_id=unit_id)
        parts.append(
            queryset.order_by()
            .annotate(kind=Value(key, output_field=CharField()))
            .values_list("kind", "pk", "submitted_at")
        )
    if not parts:
        return None
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def review_queue_count(*, user: Any) -> int:
    rows = _pending_rows(user)
    return 0 if rows is None else rows.count()


@dataclass(frozen=True)
class QueueItem:
    kind: str
    record: SubmittedRecord

    @property
    def key(self) -> str:
        """What the bulk form posts for this item."""
        return f"{self.kind}:{self.record.pk}"

    @property
    def type_label(self) -> str:
        return str(self.record._meta.verbose_name)

    @property
    def over_cost(self) -> bool:
        """Whether the record's 经费 exceeds its campaign's threshold (the campaign is on the page's query)."""
        cost = getattr(self.record, "cost", None)
        return cost is not None and cost > self.record.campaign.cost_flag_threshold

    @property
    def record_date(self) -> Any:
        name = type(self.record).record_date_field
        return getattr(self.record, name) if name else None


def review_queue_page(
    *,
    user: Any,
    page: Any = 1,
    per_page: int = 30,
    kind: str = "",
    unit_id: int | None = None,
    over_cost: bool = False,
) -> tuple[Page[Any], list[QueueItem]]:
    """One page of what awaits the user's review, oldest submission first (first in, first reviewed).

    Queries: the count, the page of (kind, pk) rows, then one query per record type on the page (with
    its campaign, unit and author, which the rows show).
    """
    rows = _pending_rows(user, kind=kind, unit_id=unit_id, over_cost=over_cost)
    ordered: Any = [] if rows is None else rows.order_by("submitted_at", "pk")
    paginator = Paginator(ordered, per_page)
    page_obj = paginator.get_page(page)
    wanted: dict[str, list[int]] = {}
    for row_kind, pk, _submitted_at in page_obj.object_list:
        wanted.setdefault(row_kind, []).append(pk)
    types = review_types()
    found: dict[tuple[str, int], SubmittedRecord] = {}
    for row_kind, pks in wanted.items():
        model = types[row_kind]
        for record in model._default_manager.filter(pk__in=pks).select_related():
            found[(row_kind, record.pk)] = record
    items = [
        QueueItem(kind=row_kind, record=found[(row_kind, pk)])
        for row_kind, pk, _submitted_at in page_obj.object_list
        if (row_kind, pk) in found
    ]
    return page_obj, items


def records_from_keys(*, user: Any, keys: list[str]) -> list[SubmittedRecord]:
    """The records named by "kind:pk" keys that the user reviews (others are simply absent)."""
    types = review_types()
    wanted: dict[str, list[int]] = {}
    for key in keys:
        kind, _, pk = key.partition(":")
        if kind in types and pk.isdigit():
            wanted.setdefault(kind, []).append(int(pk))
    records: list[SubmittedRecord] = []
    for kind, pks in wanted.items():
        reviewable = _reviewable(types[kind], user, types[kind]._default_manager.filter(pk__in=pks))
        if reviewable is not None:
            records.extend(reviewable)
    return records
