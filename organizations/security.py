"""The security event log, and the one place that says what a request's client address is.

`security_event_log` is the only writer of SecurityEvent. The signal receivers below (connected in
OrganizationsConfig.ready) log logins, failures, lockouts and logouts; the middleware in
organizations.middleware logs refused requests; exports and report downloads call it directly.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from organizations.models import SecurityEvent

logger = logging.getLogger(__name__)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, behind `TRUSTED_PROXY_COUNT` reverse proxies that append X-Forwarded-For.

    With N trusted proxies, the last proxy is REMOTE_ADDR and each earlier one appended the address it
    received from, so the client is the N-th address from the right of "X-Forwarded-For, REMOTE_ADDR".
    Anything further left was written by the client and is ignored, so a forged header changes nothing.
    Used by django-axes (AXES_CLIENT_IP_CALLABLE) and by the security log.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return _valid_ip(remote)
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote]
    # Fewer hops than configured: the request did not come through every proxy; take the leftmost.
    candidate = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    return _valid_ip(candidate)


def security_event_log(
    *,
    kind: SecurityEvent.Kind | str,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Record one security event; the user, address and path come from the request when given."""
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if not username and user is not None:
        username = user.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        detail=(detail or "")[:500],
    )


def security_events_prune(*, now: dt.datetime | None = None) -> int:
    """Delete events older than the retention period (180 days unless configured); returns how many."""
    days = int(getattr(settings, "SECURITY_EVENT_RETENTION_DAYS", 180))
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


SESSION_RENEWED_KEY = "_renewed_at"


def session_mark_renewed(request: HttpRequest) -> None:
    """Note that the session's expiry was just (re)set (organizations.middleware renews it)."""
    if hasattr(request, "session"):
        request.session[SESSION_RENEWED_KEY] = int(time.time())


# --- Signal receivers (connected in OrganizationsConfig.ready) -------------------------------------


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event_log(kind=SecurityEvent.Kind.LOGIN, request=request, user=user)
    if request is not None:
        session_mark_renewed(request)


def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event_log(kind=SecurityEvent.Kind.LOGOUT, request=request, user=user)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_event_log(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


def on_user_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    security_event_log(kind=SecurityEvent.Kind.LOCKED_OUT, request=request, username=username or "")
