"""The second factor for staff (django-otp TOTP): enrol an authenticator app, then verify a code.

Only used when ADMIN_REQUIRE_OTP is on (organizations.middleware.AdminOTPRequiredMiddleware).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.models import User

DEVICE_NAME = "身份验证器"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("6 位动态验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("请输入身份验证器上显示的 6 位数字。")},
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("admin:index")


def _staff_user(request: HttpRequest) -> User:
    if not request.user.is_staff:
        raise PermissionDenied(_("只有管理后台用户需要绑定身份验证器。"))
    return request.user


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('organizations:otp_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期，请重试。"))
    return render(request, "organizations/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol the first authenticator. Once one is confirmed, a new one needs a superuser to delete the
    old device in the admin first, so that a stolen password alone cannot enrol a second device."""
    user = _staff_user(request)
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect(f"{reverse('organizations:otp_verify')}?{request.GET.urlencode()}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期，请核对手机时间后重试。"))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        # For apps that cannot scan: the same secret, typed in by hand.
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "organizations/otp_setup.html", context)
