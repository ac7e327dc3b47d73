"""Settings for the Wushan metrology campaign platform.

One module for every environment, driven by environment variables (django-environ, which also reads
an optional `.env` file beside manage.py). With nothing set, the app runs embedded: SQLite and
Celery's filesystem transport under `var/`, e-mail to the console, DEBUG on. Production sets
`DJANGO_DEBUG=false`, `DJANGO_SECRET_KEY`, `ALLOWED_HOSTS`, `DATABASE_URL` (PostgreSQL),
`REDIS_URL` (Celery broker and cache) and `EMAIL_URL`; see README.md for the full table.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
# The site-wide templates/ and static/ folders: beside manage.py in a checkout; inside this package when
# installed from a wheel (setup.py copies them to wushan_metrology/site/, which a checkout never has).
SITE_DIR = (
    Path(__file__).resolve().parent / "site"
    if (Path(__file__).resolve().parent / "site" / "templates").is_dir()
    else BASE_DIR
)
VAR_DIR = Path(environ.Env().str("WUSHAN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DJANGO_DEBUG=(bool, True),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DJANGO_DEBUG")
# The default key only ever serves the embedded demo (DEBUG on); production must set its own.
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY", default="django-insecure-embedded-demo-key-change-me")
    if DEBUG
    else env.str("DJANGO_SECRET_KEY")
)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "wushan_metrology.third_party_apps.AxesConfig",  # django-axes, with a Chinese section name
    "csp",
    "django_otp",
    "wushan_metrology.third_party_apps.OtpTotpConfig",  # django-otp's TOTP devices, with Chinese names
    # Project apps, bottom layer first (imports only go down this list's layers: DESIGN.md).
    "core",
    "organizations",
    "evidence",
    "notifications",
    "campaigns",
    "records",
    "microstations",
    "volunteers",
    "publicity",
    "opinion",
    "inspections",
    "enterprises",
    "instruments",
    "reports",
    "dashboard",
    "public",
    "demo",
    "wushan_metrology",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.user.is_verified(); staff must be verified for /admin/ when ADMIN_REQUIRE_OTP is on.
    "django_otp.middleware.OTPMiddleware",
    "organizations.middleware.AdminOTPRequiredMiddleware",
    "organizations.middleware.SessionIdleRenewalMiddleware",
    # Logs every 403 to the security log and answers PermissionDenied without a traceback.
    "organizations.middleware.SecurityEventMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wushan_metrology.urls"
WSGI_APPLICATION = "wushan_metrology.wsgi.application"
ASGI_APPLICATION = "wushan_metrology.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.role",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# Embedded: one SQLite file written by the web server, the worker and beat at once, so WAL, a busy
# timeout and IMMEDIATE transactions keep them from failing with "database is locked".
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Bounded socket timeouts: an unreachable Redis must fail fast, never hang a request.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=3.0)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        # Longer than any task's hard time limit, so a running task is not delivered twice.
        "visibility_timeout": 3600,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_DIR = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }

CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 900
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a web request gives up quickly when the broker is away: the row is saved and the
# sweep queues the job later, so a request never hangs on an unreachable Redis.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "organizations.passwords.MinimumLengthValidator"},  # Chinese messages
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Users are signed out after 30 idle minutes: activity renews the session's expiry, at most once a
# minute (organizations.middleware.SessionIdleRenewalMiddleware) rather than with a write on every
# request as SESSION_SAVE_EVERY_REQUEST would.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_RENEW_INTERVAL = 60
# TOTP second factor for staff on /admin/ (django-otp); on in production, off in the demo and tests.
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=not DEBUG)
OTP_TOTP_ISSUER = "巫山县计量宣传活动管理平台"
# Security log (organizations.SecurityEvent) retention, pruned daily by a beat task.
SECURITY_EVENT_RETENTION_DAYS = env.int("SECURITY_EVENT_RETENTION_DAYS", default=180)
# One office behind a shared address must not be locked out by a colleague's typos: lock the
# (username, IP) pair after 5 failures, for 30 minutes (DESIGN.md "Bad input and faults").
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Behind N reverse proxies that each append X-Forwarded-For, the client is the N-th address from the
# right (organizations.security.client_ip); 0 means clients connect directly and REMOTE_ADDR is theirs.
# Without it every user behind the HTTPS proxy shares one address and anyone can lock out anyone.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "organizations.security.client_ip"
# Feedback from a station's public page (public/): this many per client address per window (seconds).
PUBLIC_FEEDBACK_RATE_LIMIT = env.int("PUBLIC_FEEDBACK_RATE_LIMIT", default=5)
PUBLIC_FEEDBACK_RATE_WINDOW = env.int("PUBLIC_FEEDBACK_RATE_WINDOW", default=3600)
# How long a volunteer's self-service link works after it is issued (volunteers.services).
VOLUNTEER_LINK_DAYS = env.int("VOLUNTEER_LINK_DAYS", default=90)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Dates as Django's zh_Hans shows them (2025年5月20日); inputs read and show ISO dates first.
FORMAT_MODULE_PATH = ["wushan_metrology.formats"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="巫山县市场监督管理局 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz/ is probed over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# No inline scripts anywhere: every script is a static file, data reaches it through json_script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------------------
# Every list's filters (django-filter) say "全部" for "any", as the hand-written ones did.
FILTERS_EMPTY_CHOICE_LABEL = "全部"
FILTERS_NULL_CHOICE_LABEL = "未填写"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an unauthenticated call answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "wushan_metrology.api_pagination.StandardPagination",
    "PAGE_SIZE": 50,
    # JSON bodies only (photo uploads declare multipart themselves): the schema then says exactly
    # what a client may send, with no form-encoding of nulls and lists.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "wushan_metrology.api_filters.StrictFilterBackend",
        "wushan_metrology.api_filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # Every operation documents its error answers (400/401/403/404, 409 for a locked record).
    "DEFAULT_SCHEMA_CLASS": "wushan_metrology.api_schema.ErrorAnsweringAutoSchema",
    # A service's Django ValidationError is a 400 (409 for a refused state), never a 500.
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "巫山县计量宣传活动管理平台 API",
    "DESCRIPTION": "5·20 世界计量日主题活动：任务、单位与各专项工作的数据接口。所有列表按用户所属单位限定范围。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models name their choices "status" or "domain": give each set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "campaigns.models.TaskAssignment.Status",
        "ReviewStatusEnum": "records.models.ReviewStatus",
        "IncidentStatusEnum": "opinion.models.OpinionIncident.Status",
        "IncidentDomainEnum": "opinion.models.OpinionIncident.Domain",
        "ProblemStatusEnum": "enterprises.models.MetrologyProblem.Status",
        "InspectionDomainEnum": "inspections.models.Domain",
        "FollowUpStatusEnum": "inspections.models.FollowUpStatus",
    },
}

# --- Logging --------------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# --- Project --------------------------------------------------------------------------------------
# Demo accounts exist only after `seed_demo`; this is their password unless DEMO_PASSWORD says otherwise.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="wushan-demo-2025")
# Health checks must answer quickly even when the broker host is unreachable.
HEALTHZ_BROKER_TIMEOUT = env.float("HEALTHZ_BROKER_TIMEOUT", default=2.0)
# Photo evidence (evidence/processing.py): uploads are refused above these limits before any pixel is
# decoded; what is kept is re-encoded to at most EVIDENCE_MAX_EDGE pixels on the long edge.
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=15 * 1024 * 1024)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=50_000_000)
EVIDENCE_MAX_EDGE = env.int("EVIDENCE_MAX_EDGE", default=2560)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=9)
# Spreadsheet imports (core/spreadsheets.py) refuse more data rows than this, and stop reading at the
# first run of this many blank rows, so that no file keeps a web worker busy for long.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_BLANK_ROWS = env.int("IMPORT_MAX_BLANK_ROWS", default=50)
# Admin imports of more data rows than this run as Celery jobs with progress (campaigns/imports.py);
# smaller ones are imported in the request.
IMPORT_INLINE_MAX_ROWS = env.int("IMPORT_INLINE_MAX_ROWS", default=500)
# A report's lease (reports/services.py): renewed every third of it while a worker builds, so a killed
# worker's report is taken over by the next sweep within about this long.
REPORTS_LEASE_SECONDS = env.int("REPORTS_LEASE_SECONDS", default=30)
# Test-only: seconds the report builder waits after each sheet, so that the worker integration tests
# can kill a worker mid-report (tests/reports/test_worker_integration.py). Never set it in production.
REPORTS_TEST_DELAY_SECONDS = env.float("REPORTS_TEST_DELAY_SECONDS", default=0.0)
# How long the dashboard's rendered panels are reused (keyed by the filters, the user and the last change
# of the official figures, so an approval shows at once); 0 renders them on every request.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# How long the map's inspection, visit and 公平秤 layers are reused (microstations/map_layers.py; keyed
# the same way); 0 reads them on every request.
MAP_CACHE_SECONDS = env.int("MAP_CACHE_SECONDS", default=60)
