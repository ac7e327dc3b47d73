"""The anonymous pages of a station: /s/<plaque>/ with its feedback form, its QR code and poster.

No login anywhere here; what is shown comes from microstations.public (public fields of open stations
only, 404 otherwise) and what is written goes through public.services.
"""

from __future__ import annotations

import io

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from microstations.models import MicroStation
from microstations.public import ReachKind, station_get_public, station_reach_count, station_tips
from organizations.security import client_ip
from public import services
from public.fair_scales import nearest_fair_scales
from public.forms import FeedbackForm
from public.posters import station_poster_pdf
from public.throttle import over_limit

# The QR code carries this marker, so that opening the page by a scan counts as a scan.
SCAN_PARAMETER = "src"
SCAN_VALUE = "qr"


def station_page_url(request: HttpRequest, station: MicroStation) -> str:
    """The absolute address the QR code and the poster point at."""
    path = reverse("public:station", args=[station.plaque_no])
    return request.build_absolute_uri(f"{path}?{SCAN_PARAMETER}={SCAN_VALUE}")


def _render_page(
    request: HttpRequest,
    station: MicroStation,
    form: FeedbackForm,
    *,
    status: int = 200,
    throttled: bool = False,
) -> HttpResponse:
    context = {
        "station": station,
        "tips": station_tips(station),
        # The registered 公平秤 nearest the station (one query; none without coordinates), else the
        # place the office typed on the station (fair_scale_location).
        "nearby_scales": nearest_fair_scales(longitude=station.longitude, latitude=station.latitude),
        "form": form,
        "throttled": throttled,
    }
    return render(request, "public/station.html", context, status=status)


@require_GET
def station_page(request: HttpRequest, plaque_no: str) -> HttpResponse:
    station = station_get_public(plaque_no=plaque_no)
    scanned = request.GET.get(SCAN_PARAMETER) == SCAN_VALUE
    station_reach_count(station=station, kind=ReachKind.SCAN if scanned else ReachKind.VIEW)
    return _render_page(request, station, FeedbackForm())


@require_POST
def station_feedback(request: HttpRequest, plaque_no: str) -> HttpResponse:
    station = station_get_public(plaque_no=plaque_no)
    form = FeedbackForm(request.POST)
    if over_limit(scope="public-feedback", address=client_ip(request)):
        form.renew_challenge()
        form.is_valid()  # shows the entered text again with its errors, saves nothing
        return _render_page(request, station, form, status=429, throttled=True)
    if not form.is_valid():
        form.renew_challenge()
        return _render_page(request, station, form, status=400)
    data = form.cleaned_data
    services.feedback_submit(
        station=station,
        complaint=data["kind"] == "complaint",
        domain=data["domain"],
        text=data["text"],
        contact=data["contact"],
    )
    return redirect("public:station_thanks", plaque_no=station.plaque_no)


@require_GET
def station_thanks(request: HttpRequest, plaque_no: str) -> HttpResponse:
    station = station_get_public(plaque_no=plaque_no)
    return render(request, "public/thanks.html", {"station": station})


@require_GET
@cache_control(public=True, max_age=86400)
def station_qr(request: HttpRequest, plaque_no: str) -> HttpResponse:
    station = station_get_public(plaque_no=plaque_no)
    qr = segno.make(station_page_url(request, station), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@require_GET
def station_poster(request: HttpRequest, plaque_no: str) -> HttpResponse:
    """The A4 poster to print and hang at the station (its public information only)."""
    station = station_get_public(plaque_no=plaque_no)
    response = HttpResponse(
        station_poster_pdf(station, station_page_url(request, station)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="poster-{station.pk}.pdf"'
    return response
