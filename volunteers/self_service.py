"""A volunteer's self-service pages at /v/<token>/: no password, only their personal link.

The link names one volunteer; everything here reads and writes that volunteer only. A revoked,
expired or unknown link answers 404. Writes go through volunteers.services.volunteer_act_log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from volunteers import selectors, services
from volunteers.certificates import certificate_available, certificate_pdf
from volunteers.forms import VolunteerActForm


@never_cache
@require_http_methods(["GET", "POST"])
def self_service_page(request: HttpRequest, token: str) -> HttpResponse:
    link = services.volunteer_link_resolve(token=token)
    volunteer = link.volunteer
    form = VolunteerActForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.volunteer_act_log(link=link, data=data, photos=form.cleaned_data.get("photos") or [])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("宣传记录已提交，等待市场监管所审核。"))
            return redirect("volunteer_self:page", token=token)
    totals = selectors.volunteer_service_totals(volunteer=volunteer)
    return render(
        request,
        "volunteers/self_service.html",
        {
            "volunteer": volunteer,
            "form": form,
            "acts": selectors.volunteer_acts(volunteer=volunteer),
            "totals": totals,
            "certificate_ready": certificate_available(volunteer, totals),
            "token": token,
            "expires_at": link.expires_at,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@require_GET
def certificate(request: HttpRequest, token: str) -> HttpResponse:
    volunteer = services.volunteer_link_resolve(token=token).volunteer
    totals = selectors.volunteer_service_totals(volunteer=volunteer)
    if not certificate_available(volunteer, totals):
        raise Http404
    response = HttpResponse(certificate_pdf(volunteer, totals), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="certificate.pdf"'
    return response
