"""Test settings: the real settings with faster password hashing and throw-away files."""

import tempfile
from pathlib import Path

from wushan_metrology.settings import *  # noqa: F403 (the test settings are the real ones, amended)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="wushan-test-media-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
# Tests never run collectstatic: WhiteNoise serves from the finders and wants its root to exist.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="wushan-test-static-"))
WHITENOISE_USE_FINDERS = True
# Look a static file up when it is asked for. Otherwise every test client (one per test) builds its
# own middleware, and WhiteNoise reads every static file's headers from the finders for each: a fifth
# of the time of the tests that use the client (benchmarks/README.md, "Third round").
WHITENOISE_AUTOREFRESH = True
# The second factor is tested with override_settings (tests/organizations/test_otp.py).
ADMIN_REQUIRE_OTP = False
# Every test reads the dashboard's panels fresh; tests/dashboard turns the cache on where it is tested.
DASHBOARD_CACHE_SECONDS = 0
# And the map's layers fresh (tests/microstations/test_map_cache.py turns it on).
MAP_CACHE_SECONDS = 0
