"""List-page plumbing every workbench list shares: a GET filter form, pagination and a querystring
that keeps the filters across pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView


class FilteredListView(LoginRequiredMixin, ListView):
    paginate_by = 20
    filter_form_class: type[forms.Form]

    def get_filter_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_filters(self) -> dict[str, Any]:
        """The valid filters (invalid ones are shown on the form and ignored)."""
        self.filter_form = self.filter_form_class(self.request.GET or None, **self.get_filter_form_kwargs())
        if self.filter_form.is_bound and self.filter_form.is_valid():
            return {
                key: value for key, value in self.filter_form.cleaned_data.items() if value not in (None, "")
            }
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, querystring=query.urlencode())
        return context
