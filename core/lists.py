"""List-page plumbing every workbench list shares: filters, pagination and a querystring that keeps
the filters across pages.

A list declares one django-filter FilterSet, which the API uses too, so the page and the API filter
the same fields by the same rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import ListView
from django_filters import FilterSet


class FilteredListView(LoginRequiredMixin, ListView):
    """A list narrowed by `filterset_class` (preferred) or by a plain `filter_form_class` whose valid
    values `get_filters()` hands to a selector."""

    paginate_by = 20
    filter_form_class: type[forms.Form] | None = None
    filterset_class: type[FilterSet] | None = None

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_filters(self) -> dict[str, Any]:
        """The valid filters (invalid ones are shown on the form and ignored)."""
        assert self.filter_form_class is not None  # noqa: S101 - a list uses one of the two styles
        self.filter_form = self.filter_form_class(self.request.GET or None, **self.get_filter_form_kwargs())
        if self.filter_form.is_bound and self.filter_form.is_valid():
            return {
                key: value for key, value in self.filter_form.cleaned_data.items() if value not in (None, "")
            }
        return {}

    def get_base_queryset(self) -> QuerySet[Any]:
        """The user's scoped rows, before filters (a selector)."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if self.filterset_class is None:
            return super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        self.filter_form = self.filterset.form
        # Invalid filters are shown on the form and ignored; the valid ones still apply.
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, querystring=query.urlencode())
        return context
