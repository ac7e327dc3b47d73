"""The API's filter backend: a filter value must be of the type the schema documents, or the list
answers 400 naming the filter, rather than a list silently filtered differently from what was asked.
The auto-made filter sets (views' `filterset_fields`) take whole numbers for integer fields, not
django-filter's default decimal field, so `?year=0.5` is a 400 rather than an empty list."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from django_filters.utils import get_model_field
from rest_framework import filters as drf_filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StrictFilterSet(FilterSet):
    FILTER_DEFAULTS: ClassVar[dict[Any, dict[str, Any]]] = {
        **FilterSet.FILTER_DEFAULTS,
        **{
            field: {"filter_class": IntegerFilter}
            for field in (
                models.IntegerField,
                models.SmallIntegerField,
                models.BigIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
                models.AutoField,
                models.BigAutoField,
                models.SmallAutoField,
            )
        },
    }


class StrictFilterBackend(DjangoFilterBackend):
    filterset_base = StrictFilterSet

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            # Every documented filter, including those a role's filter set drops (an office's `unit`).
            errors = {
                name: [_("“%(value)s”不是有效的筛选值。") % {"value": raw[:50]}]
                for name, list_filter in filterset_class.base_filters.items()
                for raw in request.query_params.getlist(name)
                if not _fits(list_filter, raw, filterset_class._meta.model)
            }
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey, models.OneToOneField)


def _fits(list_filter: filters.Filter, raw: str, model: type[models.Model] | None) -> bool:
    """Whether a query value is of the type the schema gives the filter: django-filter would read
    `?unit=null` as "no unit", `?mandatory=xyz` as "either", `?date_to=` as no filter, and ignore
    a filter a role lacks."""
    if isinstance(list_filter, filters.CharFilter):
        return True
    if isinstance(list_filter, filters.BooleanFilter):
        return raw in ("true", "false", "True", "False", "1", "0")
    if isinstance(list_filter, filters.ModelChoiceFilter | filters.ModelMultipleChoiceFilter | IntegerFilter):
        return raw.isascii() and raw.isdigit()
    if isinstance(list_filter, filters.NumberFilter) and model is not None:
        field = get_model_field(model, list_filter.field_name)
        if isinstance(field, INTEGER_FIELDS):
            return raw.isascii() and raw.isdigit()
    return raw != ""


class SearchFilter(drf_filters.SearchFilter):
    """DRF's search, with a refused term (a NUL character) answered as the `search` field's error."""

    def get_search_terms(self, request: Request) -> list[str]:
        try:
            return list(super().get_search_terms(request))
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc
