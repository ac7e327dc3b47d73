"""The anonymous pages of a registered instrument: /i/<code>/ (what a label's QR code opens), its QR
image, a 1–5 rating and a "report a problem" form, both rate-limited per address. And, for signed-in
offices, the A4 sheet of labels of one owner's instruments.

Only public fields are shown: owner, type, the verification status computed as of today, valid-until,
the last inspection date (and for a 公平秤 its market and last check). Nothing else of the ledger line.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_errors
from core.spreadsheets import xlsx_response
from instruments import services as instrument_services
from instruments.models import EntryStatus, RegisteredInstrument
from instruments.selectors import instrument_list_for_user
from organizations.security import client_ip
from public.due_list import DueListForm, due_list_xlsx, due_rows, table_rows
from public.fair_scales import nearest_fair_scales
from public.forms import InstrumentProblemForm, RatingForm
from public.labels import labels_pdf
from public.throttle import over_limit
from public.views import SCAN_PARAMETER, SCAN_VALUE

PROBLEM_SCOPE = "public-instrument-problem"
RATING_SCOPE = "public-instrument-rating"
SCAN_SCOPE = "public-instrument-scan"


def _instrument(code: str) -> RegisteredInstrument:
    instrument = instrument_services.instrument_by_code(code)
    if instrument is None:
        raise Http404
    return instrument


def instrument_page_url(request: HttpRequest, instrument: RegisteredInstrument) -> str:
    path = reverse("public_instruments:instrument", args=[instrument.code])
    return request.build_absolute_uri(f"{path}?{SCAN_PARAMETER}={SCAN_VALUE}")


def _render(
    request: HttpRequest,
    instrument: RegisteredInstrument,
    *,
    problem_form: InstrumentProblemForm | None = None,
    rating_form: RatingForm | None = None,
    status: int = 200,
    throttled: str = "",
) -> HttpResponse:
    owner = instrument.owner
    longitude = instrument.longitude if instrument.longitude is not None else owner.longitude
    latitude = instrument.latitude if instrument.latitude is not None else owner.latitude
    context: dict[str, Any] = {
        "instrument": instrument,
        "status": instrument.current_status,
        "today": timezone.localdate(),
        "problem_form": problem_form or InstrumentProblemForm(),
        "rating_form": rating_form or RatingForm(),
        "nearby_scales": nearest_fair_scales(
            longitude=longitude, latitude=latitude, exclude_pk=instrument.pk
        ),
        "throttled": throttled,
    }
    return render(request, "public/instrument.html", context, status=status)


@require_GET
def instrument_page(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    if instrument.code != code:
        # One address per instrument, whatever case or dashes were typed.
        return redirect("public_instruments:instrument", code=instrument.code)
    # Each address's openings of one label are logged up to the public forms' limit per window, so a
    # reload loop cannot inflate the scan figures; the page itself is always shown.
    if not over_limit(scope=f"{SCAN_SCOPE}:{instrument.code}", address=client_ip(request)):
        instrument_services.scan_log(
            instrument=instrument,
            via_qr=request.GET.get(SCAN_PARAMETER) == SCAN_VALUE,
            user_agent=request.headers.get("User-Agent", ""),
        )
    return _render(request, instrument)


@require_POST
def instrument_report(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    form = InstrumentProblemForm(request.POST)
    if over_limit(scope=PROBLEM_SCOPE, address=client_ip(request)):
        form.renew_challenge()
        form.is_valid()  # shows the entered text again with its errors, saves nothing
        return _render(request, instrument, problem_form=form, status=429, throttled="problem")
    if form.is_valid():
        try:
            instrument_services.problem_report(
                instrument=instrument, text=form.cleaned_data["text"], contact=form.cleaned_data["contact"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("public_instruments:thanks", code=instrument.code)
    form.renew_challenge()
    return _render(request, instrument, problem_form=form, status=400)


@require_POST
def instrument_rate(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    form = RatingForm(request.POST)
    if over_limit(scope=RATING_SCOPE, address=client_ip(request)):
        return _render(request, instrument, rating_form=form, status=429, throttled="rating")
    if form.is_valid():
        try:
            instrument_services.rating_create(instrument=instrument, score=form.cleaned_data["score"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(reverse("public_instruments:thanks", args=[instrument.code]) + "?rated=1")
    return _render(request, instrument, rating_form=form, status=400)


@require_GET
def instrument_thanks(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    return render(
        request, "public/instrument_thanks.html", {"instrument": instrument, "rated": "rated" in request.GET}
    )


@require_GET
@cache_control(public=True, max_age=86400)
def instrument_qr(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    qr = segno.make(instrument_page_url(request, instrument), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@login_required
@require_GET
def owner_labels(request: HttpRequest, owner_pk: int) -> HttpResponse:
    """The owner's confirmed instruments in the user's scope as A4 label sheets (404 when none)."""
    instruments = list(
        instrument_list_for_user(user=request.user)
        .filter(owner_id=owner_pk, entry_status=EntryStatus.CONFIRMED, in_use=True)
        .order_by("location", "name", "pk")
    )
    if not instruments:
        raise Http404
    owner = instruments[0].owner
    content = labels_pdf(instruments, lambda i: instrument_page_url(request, i), title=owner.name)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="labels-{owner.pk}.pdf"'
    return response


DUE_PAGE_SIZE = 50


@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    """The quarter's list of 强检 instruments due or overdue, 50 to a page (public, no login)."""
    form = DueListForm(request.GET or None)
    quarter = form.quarter_asked()
    search = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = Paginator(due_rows(quarter, search), DUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    first = (page.number - 1) * DUE_PAGE_SIZE
    context = {
        "form": form,
        "quarter": quarter,
        "page_obj": page,
        "paginator": page.paginator,
        "rows": list(table_rows(page.object_list, quarter, start=first + 1)),
        "querystring": query.urlencode(),
        "is_paginated": page.paginator.num_pages > 1,
    }
    return render(request, "public/due_list.html", context)


@require_GET
def due_list_download(request: HttpRequest) -> HttpResponse:
    form = DueListForm(request.GET or None)
    quarter = form.quarter_asked()
    search = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    filename = f"强检器具到期名单-{quarter.year}Q{quarter.number}.xlsx"
    return xlsx_response(due_list_xlsx(quarter, search), filename)
