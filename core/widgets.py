"""Widgets every form may use.

`SearchSelect` is a searchable picker for a foreign key with too many rows for a plain <select>: the
page renders only the chosen option, and static/js/picker.js (with the vendored Tom Select) asks a JSON search
endpoint for the rest as the user types, a page at a time. With a `create_url` the picker offers
quick-add: a dialog loads the endpoint's form, posts it, and picks the new row. The field keeps its
ModelChoiceField and queryset, so what may be chosen is still validated on the server.

The endpoints answer the shape picker.js expects (see `search_page`): ``{"results": [{"id", "text"}],
"next": url-or-null, "can_add": bool}``; a quick-add POST answers 201 with ``{"id", "text"}``, or 200
with the form's HTML again, its errors in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

DEFAULT_PLACEHOLDER = _("输入名称或信用代码搜索")

# The picker's own words, handed to picker.js as data attributes (no strings in the script).
PICKER_TEXTS = {
    "add": _("新增："),
    "none": _("没有找到，可换个关键词"),
    "loading": _("正在加载更多……"),
    "failed": _("网络异常，未能保存，请重试。"),
}

# Rows in one page of a picker's search answer (the dropdown loads the next page on scroll).
SEARCH_PAGE_SIZE = 20


class SearchSelect(forms.Select):
    """A <select> rendering only its chosen option, enhanced by picker.js into a remote search.

    `filter_field`: the name of another field of the same form whose value is sent to the search (and
    to quick-add) as `filter_param`, e.g. an inspection's domain; the picker reloads when it changes.
    """

    def __init__(
        self,
        *,
        search_url: str | Callable[[], str],
        create_url: str | Callable[[], str] = "",
        filter_field: str = "",
        filter_param: str = "",
        placeholder: Any = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.create_url = create_url
        self.filter_field = filter_field
        self.filter_param = filter_param or filter_field
        self.placeholder = placeholder if placeholder is not None else DEFAULT_PLACEHOLDER

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-picker"] = ""
        attrs["data-search-url"] = _resolve(self.search_url)
        if self.create_url:
            attrs["data-create-url"] = _resolve(self.create_url)
        if self.filter_field:
            attrs["data-filter-field"] = self.filter_field
            attrs["data-filter-param"] = self.filter_param
        attrs["data-placeholder"] = str(self.placeholder)
        # picker.js (loaded on every page by base.html) loads the vendored Tom Select only where needed.
        attrs["data-vendor-js"] = static("vendor/tom-select/tom-select.complete.min.js")
        attrs["data-vendor-css"] = static("vendor/tom-select/tom-select.min.css")
        attrs.update({f"data-text-{key}": str(text) for key, text in PICKER_TEXTS.items()})
        return attrs

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        """The empty choice and the chosen rows only (one query, whatever the table's size)."""
        field = getattr(self.choices, "field", None)
        chosen = {str(v) for v in value if v not in (None, "")}
        options: list[dict[str, Any]] = []
        if not self.allow_multiple_selected:
            empty_label = getattr(field, "empty_label", None) or ""
            options.append(self.create_option(name, "", empty_label, not chosen, 0))
        if chosen and field is not None:
            for obj in field.queryset.filter(pk__in=[v for v in chosen if v.isdigit()]):
                options.append(
                    self.create_option(name, obj.pk, field.label_from_instance(obj), True, len(options))
                )
        return [(None, options, 0)]


def _resolve(url: str | Callable[[], str]) -> str:
    # URLs are reversed at render time (a form class is defined before the URLconf is loaded).
    return url() if callable(url) else url


def search_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    label: Callable[[Model], str],
    can_add: bool = False,
    extra: Callable[[Model], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page (`?page=`) of a picker's search answer over an already filtered, ordered queryset.

    One query: the page's rows and one row past it, to know whether there is a next page (no COUNT).
    """
    try:
        number = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        number = 1
    start = (number - 1) * SEARCH_PAGE_SIZE
    rows = list(queryset[start : start + SEARCH_PAGE_SIZE + 1])
    more = len(rows) > SEARCH_PAGE_SIZE
    results = [
        {"id": obj.pk, "text": label(obj), **(extra(obj) if extra else {})} for obj in rows[:SEARCH_PAGE_SIZE]
    ]
    next_url = None
    if more:
        query = request.GET.copy()
        query["page"] = str(number + 1)
        next_url = f"{request.path}?{query.urlencode()}"
    return {"results": results, "next": next_url, "can_add": can_add}


def search_terms(request: HttpRequest, limit: int = 5) -> Sequence[str]:
    """The words of `?q=` (at most `limit`, each at most 50 characters), for AND-ed icontains filters."""
    return [word[:50] for word in request.GET.get("q", "").split()[:limit]]
