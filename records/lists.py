"""The figures above a record list (its 合计 line), read from the precomputed facts.

A list page shows the official figures (approved records only) of the records it lists. When the list
is narrowed only by what the facts are keyed by (campaign, unit, a range of the record date, the
approved review state) those figures are a sum over `records.Fact`: one query over the cells, whatever
the number of records. Narrowed by anything else (a search, a type, a station) or seen through a
scope that is not the owning unit (a 协办单位), `list_facts` answers None and the list counts its
records as before. The pending count (待审核 N) is not an official figure and is never in the facts:
`pending_count` counts it from the list.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django_filters import FilterSet
from django_filters.constants import EMPTY_VALUES

from organizations.access import scope_field, sees_all_units
from records.facts import FactTotals
from records.models import Fact, ReviewStatus, pending_q

# The filter lookups a fact cell can answer: {lookup of the filter: lookup of the cell}.
_RANGE = {"exact": "", "gte": "__gte", "lte": "__lte"}


def _applied(filterset: FilterSet) -> dict[str, Any]:
    """The filters that narrow the list: the valid, non-empty ones (invalid ones are shown and ignored,
    as `FilterSet.qs` does)."""
    if not filterset.is_bound:
        return {}
    filterset.form.is_valid()
    return {
        name: value
        for name, value in getattr(filterset.form, "cleaned_data", {}).items()
        if value not in EMPTY_VALUES and name in filterset.filters
    }


def _fact_conditions(filterset: FilterSet, model: Any) -> dict[str, Any] | None:
    """The list's filters as conditions on the fact cells, or None when one of them is not a cell's key.
    A review state other than 已通过 lists no counted record: {"pk__in": []}."""
    columns = {"campaign": "campaign", "unit": "unit"}
    if model.record_date_field:
        columns[model.record_date_field] = "day"
    conditions: dict[str, Any] = {}
    for name, value in _applied(filterset).items():
        spec = filterset.filters[name]
        if spec.field_name == "review_status" and spec.lookup_expr == "exact" and spec.method is None:
            if value != ReviewStatus.APPROVED:
                return {"pk__in": []}
            continue
        column = columns.get(spec.field_name)
        if column is None or spec.method is not None or spec.exclude or spec.lookup_expr not in _RANGE:
            return None
        lookup = f"{column}{_RANGE[spec.lookup_expr]}"
        if lookup in conditions:
            return None
        conditions[lookup] = value
    return conditions


def list_facts(filterset: FilterSet, *, user: Any) -> FactTotals | None:
    """The official figures of the records `filterset` lists for `user` (its queryset scoped by
    `organizations.access.scope_to_user` on the model's unit), from the facts in one query; None when
    the facts cannot answer (see the module's docstring) and the list must count its records."""
    model = filterset.queryset.model
    conditions = _fact_conditions(filterset, model)
    if conditions is None:
        return None
    facts = Fact.objects.filter(record_type=model._meta.label_lower, **conditions)
    if not (user.is_authenticated and user.is_active):
        return FactTotals({})
    if not sees_all_units(user):
        if user.unit_id is None:
            return FactTotals({})
        if scope_field(model, user, model.unit_scope_field) != "unit":
            return None
        facts = facts.filter(unit_id=user.unit_id)
    rows = facts.order_by().values("metric", "key").annotate(total=Sum("value"))
    label = model._meta.label_lower
    return FactTotals({(label, row["metric"], row["key"]): row["total"] for row in rows})


def pending_count(records: QuerySet[Any]) -> int:
    """How many of the listed records await review (待审核, shown beside the figures, never added in)."""
    return records.order_by().filter(pending_q()).count()
