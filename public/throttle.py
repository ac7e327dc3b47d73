"""A per-address rate limit kept in the cache (Redis in production, shared by every web worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def over_limit(*, scope: str, address: str | None) -> bool:
    """Count one attempt from `address` in the current window; True once it exceeds the limit.

    The window starts at the first attempt (the key's timeout), so an address gets
    `PUBLIC_FEEDBACK_RATE_LIMIT` tries per `PUBLIC_FEEDBACK_RATE_WINDOW` seconds. Requests without a
    usable address share one bucket, so they cannot bypass the limit.
    """
    limit = int(getattr(settings, "PUBLIC_FEEDBACK_RATE_LIMIT", 5))
    window = int(getattr(settings, "PUBLIC_FEEDBACK_RATE_WINDOW", 3600))
    key = f"ratelimit:{scope}:{address or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
