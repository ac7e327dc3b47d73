"""The login lockout keys on (username, real client address), directly and behind trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from organizations.security import client_ip
from tests.factories import PASSWORD, UserFactory

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.9"


@pytest.fixture
def victim(db):
    return UserFactory(username="victim")


def _login(client, password: str, *, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": "victim", "password": password}, **extra)


def _fail_five_times(client, **where):
    # The first four failures show the form again; the fifth is answered with the lockout page.
    statuses = [_login(client, "wrong-password", **where).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_direct_lockout_keys_on_remote_addr_and_ignores_forwarded_header(client, victim):
    # The attacker rotates a forged X-Forwarded-For: with no trusted proxy it changes nothing.
    for n in range(5):
        _login(client, "wrong-password", remote=ATTACKER, forwarded=f"192.0.2.{n}")

    locked = _login(client, PASSWORD, remote=ATTACKER, forwarded="192.0.2.99")
    assert locked.status_code == 429

    elsewhere = _login(client, PASSWORD, remote=VICTIM)
    assert elsewhere.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_attacker_locks_only_their_own_address(client, victim):
    _fail_five_times(client, remote=PROXY, forwarded=ATTACKER)

    assert _login(client, PASSWORD, remote=PROXY, forwarded=ATTACKER).status_code == 429
    # The victim comes through the same proxy from their own address and is not locked out.
    assert _login(client, PASSWORD, remote=PROXY, forwarded=VICTIM).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_leftmost_address_does_not_escape_the_lock(client, victim):
    _fail_five_times(client, remote=PROXY, forwarded=ATTACKER)

    # The attacker prepends the victim's address; the proxy appends the attacker's real one.
    response = _login(client, PASSWORD, remote=PROXY, forwarded=f"{VICTIM}, {ATTACKER}")

    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_five_failures_still_lock(client, victim):
    _fail_five_times(client, remote=PROXY, forwarded=VICTIM)

    assert _login(client, PASSWORD, remote=PROXY, forwarded=VICTIM).status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, None, "203.0.113.5", "203.0.113.5"),
        (0, "198.51.100.1", "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1", "10.0.0.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "10.0.0.1", "198.51.100.1"),
        (1, None, "10.0.0.1", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1", None),
    ],
)
def test_client_ip_takes_the_address_the_trusted_proxies_saw(proxies, forwarded, remote, expected):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)

    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected
