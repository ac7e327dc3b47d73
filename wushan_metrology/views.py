from __future__ import annotations

import logging
import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from organizations.access import primary_role
from organizations.roles import Role
from wushan_metrology.celery import app as celery_app

logger = logging.getLogger(__name__)


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed static name exists only after collectstatic.
    return redirect(static("favicon.svg"), permanent=True)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its home page: the admin site, the dashboard or the workbench."""
    role = primary_role(request.user)
    if role == Role.BUREAU_ADMIN and request.user.is_staff:
        return redirect("admin:index")
    if role == Role.LEADER:
        return redirect("dashboard:index")
    return redirect("campaigns:workbench")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database unreachable")
        return False
    return True


def _broker_ok() -> bool:
    options = celery_app.conf.broker_transport_options or {}
    if str(celery_app.conf.broker_url).startswith("filesystem://"):
        # The filesystem transport "connects" whatever happens; what matters is that its folders exist
        # and this process may write to them.
        folders = [options.get(key) for key in ("data_folder_in", "data_folder_out")]
        ok = all(folder and os.path.isdir(folder) and os.access(folder, os.W_OK) for folder in folders)
        if not ok:
            logger.error("healthz: broker folders missing or not writable: %s", folders)
        return ok
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.HEALTHZ_BROKER_TIMEOUT)
    except Exception:
        logger.exception("healthz: broker unreachable")
        return False
    return True


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 (with the same JSON) when either does not."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {
        "status": "ok" if all(checks.values()) else "error",
        **{name: "ok" if ok else "unreachable" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404: JSON under /api/ (a path no API route matches, e.g. an id with a dot), else the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return page_not_found(request, exception)
