"""The enterprise picker: a searchable 被检查单位/服务企业 field with quick-add (core.widgets.SearchSelect).

A form puts it on an Enterprise field with one line, e.g. in its ``__init__``::

    use_enterprise_picker(self.fields["inspected_party"], filter_field="domain")

`filter_field="domain"` narrows the search to the industries an inspection domain usually covers
(`INDUSTRIES_BY_DOMAIN`) and gives quick-add that industry as its default. The field's queryset still
validates the choice on the server. The endpoints: `search` (JSON, a page at a time) and `quick_add`
(the registry's EnterpriseForm in a dialog, saved through enterprises.services.enterprise_create, so
the credit code is checked there as anywhere else).

The registry belongs to no unit (enterprises.selectors): every signed-in role with the view permission
searches all of it; adding needs the add permission (403 otherwise, as the registry's own pages).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from core.widgets import SearchSelect, search_page, search_terms
from enterprises import services
from enterprises.models import Enterprise

Industry, Kind = Enterprise.Industry, Enterprise.Kind

# The industries (first: quick-add's default) and kinds of holder each inspection domain concerns
# (inspections.models.Domain, spelled out here because enterprises sits below inspections; a test
# checks that the keys are the domains). A domain not listed, or none chosen, searches everything.
INDUSTRIES_BY_DOMAIN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "scales": (
        (Industry.RETAIL, Industry.FOOD, Industry.AGRICULTURE, Industry.HOSPITALITY),
        (Kind.MARKET_OPERATOR, Kind.STALL),
    ),
    "fuel": ((Industry.FUEL,), ()),
    "utility_meters": ((Industry.UTILITIES,), (Kind.UTILITY,)),
    "taxi": ((Industry.TRANSPORT,), ()),
    "ev_chargers": ((Industry.TRANSPORT, Industry.UTILITIES, Industry.FUEL), ()),
    "optical": ((Industry.OPTICAL, Industry.HEALTH), ()),
}

VIEW_PERMISSION = "enterprises.view_enterprise"
ADD_PERMISSION = "enterprises.add_enterprise"


def domain_q(domain: str) -> Q:
    """The enterprises an inspection domain concerns; an empty Q (everything) for no or another domain."""
    if domain not in INDUSTRIES_BY_DOMAIN:
        return Q()
    industries, kinds = INDUSTRIES_BY_DOMAIN[domain]
    return Q(industry__in=industries) | Q(kind__in=kinds)


def enterprise_search(*, q: Sequence[str] = (), domain: str = "") -> QuerySet[Enterprise]:
    """The registry narrowed by every word of `q` (in the name, credit code or address) and a domain."""
    rows = Enterprise.objects.filter(domain_q(domain))
    for word in q:
        rows = rows.filter(
            Q(name__icontains=word) | Q(credit_code__icontains=word) | Q(address__icontains=word)
        )
    return rows.only("pk", "name", "credit_code", "address").order_by("name", "pk")


def _search_url() -> str:
    return reverse("enterprise_picker:search")


def _create_url() -> str:
    return reverse("enterprise_picker:quick_add")


class EnterprisePicker(SearchSelect):
    def __init__(self, *, filter_field: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            search_url=_search_url,
            create_url=_create_url,
            filter_field=filter_field,
            filter_param="domain" if filter_field else "",
            attrs=attrs,
        )


def use_enterprise_picker(field: forms.Field, *, filter_field: str = "") -> None:
    """Put the picker on an Enterprise ModelChoiceField (keeping its queryset, label and choices)."""
    widget = EnterprisePicker(filter_field=filter_field, attrs=field.widget.attrs)
    widget.is_required = field.widget.is_required
    widget.choices = getattr(field, "choices", [])
    field.widget = widget


@login_required
def search(request: HttpRequest) -> JsonResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    rows = enterprise_search(q=search_terms(request), domain=request.GET.get("domain", ""))
    page = search_page(
        request,
        rows,
        label=str,
        can_add=request.user.has_perm(ADD_PERMISSION),
        extra=lambda obj: {"credit_code": obj.credit_code, "address": obj.address},  # type: ignore[attr-defined]
    )
    return JsonResponse(page)


@login_required
@require_http_methods(["GET", "POST"])
def quick_add(request: HttpRequest) -> HttpResponse:
    """The registry's form for the picker's dialog; a valid POST saves and answers the new row as JSON."""
    # Imported here: enterprises.forms imports this module for its own picker fields.
    from enterprises.forms import EnterpriseForm

    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        form = EnterpriseForm(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in Enterprise.registry_fields}
            try:
                saved = services.enterprise_create(actor=request.user, data=data)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                body = {"id": saved.pk, "text": str(saved), "credit_code": saved.credit_code}
                return HttpResponse(json.dumps(body), status=201, content_type="application/json")
        # 200 with the form again, as any refused Django form (a 4xx would be a console error in the page).
        return render(request, "enterprises/picker_form.html", {"form": form})
    initial: dict[str, Any] = {"name": request.GET.get("name", "")[:150]}
    domain = request.GET.get("domain", "")
    if domain in INDUSTRIES_BY_DOMAIN:
        initial["industry"] = INDUSTRIES_BY_DOMAIN[domain][0][0]
    return render(request, "enterprises/picker_form.html", {"form": EnterpriseForm(initial=initial)})
