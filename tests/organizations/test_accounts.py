"""Admin accounts: idle sessions expire, password rules speak Chinese, staff verify a TOTP device,
and the API tells an unauthenticated caller to authenticate (401)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.models import User
from organizations.security import SESSION_RENEWED_KEY

ADMIN = "/admin/"
VERIFY = "/accounts/otp/verify/"
SETUP = "/accounts/otp/setup/"


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- sessions -------------------------------------------------------------------------------------


def test_activity_renews_a_session_that_expires_after_30_idle_minutes(client, bureau_admin):
    client.force_login(bureau_admin)
    assert client.session.get_expiry_age() == 1800

    # Within a minute of the last renewal nothing is written (query budgets stay flat)...
    assert "sessionid" not in client.get("/").cookies
    # ...after it, the next request renews the expiry and the cookie.
    session = client.session
    session[SESSION_RENEWED_KEY] = int(time.time()) - 61
    session.save()
    response = client.get("/")

    assert response.cookies["sessionid"]["max-age"] == 1800
    assert int(time.time()) - client.session[SESSION_RENEWED_KEY] < 5


def test_an_idle_session_is_signed_out(client, bureau_admin):
    client.force_login(bureau_admin)
    session = client.session
    session.set_expiry(-1)  # what 30 idle minutes leave behind
    session.save()

    response = client.get("/workbench/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- passwords ------------------------------------------------------------------------------------


def test_a_short_password_is_refused_in_chinese():
    with pytest.raises(ValidationError) as refused:
        validate_password("a7#", User(username="zhangsan"))

    messages = refused.value.messages
    assert "密码太短，至少需要 8 个字符。" in messages
    assert not [message for message in messages if "password" in message.lower()]


def test_every_password_rule_explains_itself_in_chinese():
    texts = password_validators_help_texts()
    assert len(texts) == 4
    assert not [text for text in texts if any("a" <= ch.lower() <= "z" for ch in text)]


# --- TOTP second factor ---------------------------------------------------------------------------


@override_settings(ADMIN_REQUIRE_OTP=False)
def test_without_the_setting_staff_use_the_admin_directly(client, bureau_admin):
    client.force_login(bureau_admin)
    assert client.get(ADMIN).status_code == 200


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_staff_without_a_device_enrol_one_before_using_the_admin(client, bureau_admin):
    client.force_login(bureau_admin)

    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    setup = client.get(response["Location"], follow=True)
    assert setup.redirect_chain[-1][0].startswith(SETUP)
    assert 'src="data:image/svg+xml' in setup.content.decode()
    device = TOTPDevice.objects.get(user=bureau_admin, confirmed=False)

    wrong = client.post(SETUP, {"token": "000000" if _token(device) != "000000" else "111111", "next": ADMIN})
    assert wrong.status_code == 200
    assert "验证码不正确" in wrong.content.decode()
    assert client.get(ADMIN).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()

    right = client.post(SETUP, {"token": _token(device), "next": ADMIN})
    assert right.status_code == 302
    assert right["Location"] == ADMIN
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_staff_with_a_device_verify_a_code_in_each_new_session(client, bureau_admin):
    device = TOTPDevice.objects.create(user=bureau_admin, name="手机", confirmed=True)
    client.force_login(bureau_admin)

    assert client.get(ADMIN)["Location"].startswith(VERIFY)
    # A confirmed device cannot be replaced by someone who knows only the password.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=bureau_admin).count() == 1

    wrong = client.post(VERIFY, {"token": "12345"})
    assert wrong.status_code == 200
    assert client.get(ADMIN).status_code == 302

    right = client.post(VERIFY, {"token": _token(device), "next": "https://evil.example/"})
    assert right.status_code == 302
    assert right["Location"] == ADMIN  # an off-site next is ignored
    assert client.get(ADMIN).status_code == 200


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_the_admin_login_page_stays_reachable_and_non_staff_pages_are_unaffected(client, office_a):
    assert client.get(reverse("admin:login")).status_code == 200
    client.force_login(office_a)
    assert client.get("/workbench/").status_code == 200
    assert client.get(VERIFY).status_code == 403


# --- API authentication ---------------------------------------------------------------------------


def test_an_unauthenticated_api_call_answers_401_with_www_authenticate(api_client, assignment_a):
    response = api_client.get("/api/v1/assignments/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "results" not in response.json()


def test_session_authentication_still_works_for_the_api(client, office_a, assignment_a):
    client.force_login(office_a)

    response = client.get("/api/v1/assignments/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [assignment_a.pk]
