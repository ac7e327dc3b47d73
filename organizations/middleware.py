"""Middleware of the security layer: refused requests are logged once, and staff verify a second factor."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import get_resolver, get_urlconf, reverse
from django.utils.http import urlencode

from organizations.models import SecurityEvent
from organizations.security import SESSION_RENEWED_KEY, security_event_log, session_mark_renewed


class SecurityEventMiddleware:
    """Logs every 403 answer (a view's PermissionDenied, the API's refusals, a CSRF failure) as a
    security event, and answers PermissionDenied itself so that Django does not log a traceback for
    what is an expected refusal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            security_event_log(
                kind=SecurityEvent.Kind.PERMISSION_DENIED,
                request=request,
                detail=f"{request.method} {response.status_code}",
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        handler = get_resolver(get_urlconf()).resolve_error_handler(403)
        # The stubs type error handlers as one-argument views; handler403 also takes the exception.
        response: HttpResponse = handler(request, exception=exception)  # type: ignore[call-arg]
        return response


class AdminOTPRequiredMiddleware:
    """With ADMIN_REQUIRE_OTP on, a staff user must have verified a TOTP device in this session to
    use /admin/; until then every admin page sends them to enrol (no device yet) or verify.

    Goes after django_otp's OTPMiddleware, which sets `request.user.is_verified()`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "ADMIN_REQUIRE_OTP", False) and self._needs_second_factor(request):
            target = reverse("organizations:otp_verify")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
        if not request.path.startswith(reverse("admin:index")):
            return False
        # The admin's own login and logout pages stay reachable.
        if request.path in (reverse("admin:login"), reverse("admin:logout")):
            return False
        return not user.is_verified()


class SessionIdleRenewalMiddleware:
    """Idle expiry: a signed-in user's session (SESSION_COOKIE_AGE, 30 minutes) is renewed by activity.

    Renewing means saving the session, so it is done at most every SESSION_RENEW_INTERVAL seconds:
    the embedded SQLite database is shared by three processes and a write per request would cost.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            renewed = request.session.get(SESSION_RENEWED_KEY)
            interval = int(getattr(settings, "SESSION_RENEW_INTERVAL", 60))
            if not isinstance(renewed, int) or time.time() - renewed >= interval:
                session_mark_renewed(request)  # modifies the session: saved with a fresh expiry
        return self.get_response(request)
