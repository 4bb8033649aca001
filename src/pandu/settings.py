"""Pandu settings: one module, driven by environment variables only.

Nothing secret has a production default. Outside debug or demo mode, start-up stops with a clear
message when ``PANDU_SECRET_KEY`` is missing. See ``.env.example`` and the README for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _whatsapp_templates(raw: str) -> dict[str, dict]:
    """``PANDU_WHATSAPP_TEMPLATES`` read and checked at start, so a typo stops the start."""
    import json

    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PANDU_WHATSAPP_TEMPLATES is not JSON: {exc}") from exc
    problem = "PANDU_WHATSAPP_TEMPLATES must map notice kinds to {'names': {...}, 'params': [...]}"
    if not isinstance(value, dict):
        raise ImproperlyConfigured(problem)
    for kind, entry in value.items():
        names = entry.get("names") if isinstance(entry, dict) else None
        params = entry.get("params", []) if isinstance(entry, dict) else None
        if (
            not isinstance(names, dict)
            or not names
            or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in names.items())
            or not isinstance(params, list)
            or not all(isinstance(p, str) and p for p in params)
        ):
            raise ImproperlyConfigured(f"{problem} (see {kind!r}).")
    return value


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


# Demo mode is switched on by ``pandu demo`` (and by the test settings). It allows the well-known
# demo key below; it must never be used on a server reachable by others.
DEMO = env_bool("PANDU_DEMO")
DEBUG = env_bool("PANDU_DEBUG")

SECRET_KEY = os.environ.get("PANDU_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO:
        SECRET_KEY = "pandu-demo-only-insecure-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "PANDU_SECRET_KEY is not set. Set it to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set PANDU_DEBUG=1 "
            "for local development."
        )

ALLOWED_HOSTS = env_list(
    "PANDU_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if (DEBUG or DEMO) else ""
)
CSRF_TRUSTED_ORIGINS = env_list("PANDU_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("PANDU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_MISSION = os.environ.get("PANDU_DEFAULT_MISSION", "toronto")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "pandu.core",
    "pandu.audit",
    "pandu.people",
    "pandu.catalog",
    "pandu.appointments",
    "pandu.outreach",
    "pandu.applications",
    "pandu.issuance",
    "pandu.queue",
    "pandu.queueing",
    "pandu.notify",
    "pandu.feedback",
    "pandu.reports",
    "pandu.privacy",
    "pandu.registry",
    "pandu.broadcast",
    "pandu.api",
    "pandu.jobs",
    "pandu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pandu.core.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pandu.core.middleware.MissionTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pandu.urls"
# Widgets render with the project's templates too (e.g. includes/memorable_date.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "pandu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pandu.core.context_processors.site",
            ],
        },
    }
]

# SQLite by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or f"sqlite:///{Path.cwd() / 'pandu.sqlite3'}",
        conn_max_age=env_int("PANDU_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when the transaction starts, so two writers never deadlock on an
    # upgrade from a read lock; the timeout lets a second writer wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "PANDU_DB_PREPARED_STATEMENTS", True
):
    # The hottest queries (a booking's facts, the API token) are prepared on the server once per
    # connection (pandu.core.prepared). psycopg prepares only for a cursor that binds values on
    # the server, which Django's own never do, so nothing else changes. False behind a pooler
    # that cannot keep prepared statements (PgBouncer before 1.21 in transaction pooling).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pandu.people.backends.MissionPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "people:profile"
LOGOUT_REDIRECT_URL = "core:home"

# Brute-force protection on sign-in (django-axes).
AXES_ENABLED = env_bool("PANDU_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("PANDU_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field that carries the e-mail address
AXES_USERNAME_CALLABLE = "pandu.people.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
# Axes writes a line per failed sign-in; it must not name the account (an e-mail address) nor
# the visitor's address (docs/privacy.md "Logs"). Both are masked in its log lines and in the
# request data it keeps; the lock-out still counts by them in its own table.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("PANDU_STATIC_ROOT", "") or Path.cwd() / "staticfiles")
if (DEBUG or DEMO) and not STATIC_ROOT.is_dir():
    STATIC_ROOT = None  # served from the package by WhiteNoise's finders; nothing collected
MEDIA_ROOT = Path(os.environ.get("PANDU_MEDIA_ROOT", "") or Path.cwd() / "private-media")
# Fernet keys for sensitive personal data at rest; the first encrypts, all decrypt (rotation).
DATA_KEYS = env_list("PANDU_DATA_KEYS")
# HMAC key of the lookup hashes beside encrypted identity numbers (search, one booking per
# identity). Never rotated with the data keys; derived from the secret key when empty.
LOOKUP_KEY = os.environ.get("PANDU_LOOKUP_KEY", "")
# Geocoding (Pertiwi visits, lapor diri): a dotted path to a Geocoder class (offline FSA points by default), and an
# optional CSV of FSA points (fsa,latitude,longitude) instead of the packaged pypostalcode file.
PANDU_GEOCODER = os.environ.get("PANDU_GEOCODER", "pandu.core.geocoding.FsaGeocoder")
PANDU_FSA_CENTROIDS = os.environ.get("PANDU_FSA_CENTROIDS", "")
# Signing issued PDFs (PAdES): a PKCS#12 file, or a PEM key and PANDU_SIGNING_CERT; "{mission}"
# in a path stands for the mission's slug. Without a key, debug and demo mode make a demo CA.
SIGNING_KEY = os.environ.get("PANDU_SIGNING_KEY", "")
SIGNING_CERT = os.environ.get("PANDU_SIGNING_CERT", "")
SIGNING_PASSPHRASE = os.environ.get("PANDU_SIGNING_PASSPHRASE", "")
SIGNING_TRUST = os.environ.get("PANDU_SIGNING_TRUST", "")
SIGNING_DEMO_DIR = Path(os.environ.get("PANDU_SIGNING_DEMO_DIR", "") or MEDIA_ROOT / "signing-demo")
# Signed checkpoints of the audit chain's head (pandu.audit.checkpoints): keep a copy of this
# folder away from the database server, or a checkpoint proves nothing.
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("PANDU_AUDIT_CHECKPOINT_DIR", "") or MEDIA_ROOT / "audit-checkpoints"
)
# Who may open a citizen's sensitive data without saying why (docs/privacy.md "Access log"): per
# kind of data, the roles that handle such cases day to day (officers check documents and
# identity numbers, supervisors review Pertiwi evidence). Anyone else who may see the data
# (a supervisor looking into a case, the head of mission, an administrator) must give a reason,
# which the access log keeps. Role names are data: a mission that renames its roles edits this.
SENSITIVE_ACCESS_NO_REASON_ROLES: dict[str, list[str]] = {
    "health_evidence": ["Supervisor"],
    "document_scan": ["Officer"],
    "identity_number": ["Officer"],
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or DEMO)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In debug and demo mode static files are served straight from the package, no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or DEMO
WHITENOISE_AUTOREFRESH = DEBUG

# Mail. Development and demo print messages on the console; production sends through SMTP.
EMAIL_BACKEND = os.environ.get(
    "PANDU_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("PANDU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PANDU_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("PANDU_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PANDU_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PANDU_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("PANDU_EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("PANDU_DEFAULT_FROM_EMAIL", "Pandu <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Days after which the content of sent messages is blanked (`pandu run_due` does it).
NOTIFY_RETENTION_DAYS = env_int("PANDU_MAIL_RETENTION_DAYS", 30)

# SMS (Twilio) and WhatsApp (Business Cloud API) beside e-mail. A channel whose settings are
# missing is not configured: no notice is sent on it and citizens are not offered it.
TWILIO_ACCOUNT_SID = os.environ.get("PANDU_TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("PANDU_TWILIO_AUTH_TOKEN", "")
SMS_FROM = os.environ.get("PANDU_SMS_FROM", "")
# Only for tests and staging: another server speaking Twilio's REST API.
TWILIO_BASE_URL = os.environ.get("PANDU_TWILIO_BASE_URL", "").rstrip("/")
WHATSAPP_TOKEN = os.environ.get("PANDU_WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("PANDU_WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_BASE_URL = os.environ.get(
    "PANDU_WHATSAPP_BASE_URL", "https://graph.facebook.com/v21.0"
).rstrip("/")
# The Meta app's secret (signs the webhook calls) and the token Meta echoes when the webhook is
# registered.
WHATSAPP_APP_SECRET = os.environ.get("PANDU_WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("PANDU_WHATSAPP_VERIFY_TOKEN", "")
# WhatsApp allows free text only within 24 hours of the citizen's last message; outside it a
# template approved by Meta is sent instead. JSON, one entry per notice kind (its template name,
# e.g. "appointment_booked", or "broadcast" for crisis messages): the approved template's name per
# language (the language code sent with it) and the notice's fields filling its body parameters
# {{1}}, {{2}}... in order, e.g.
# {"appointment_booked": {"names": {"id": "pandu_janji_id", "en": "pandu_booking_en"},
#                         "params": ["appointment.reference", "start", "link"]}}
# A notice kind without a template here goes by e-mail when the window is closed.
WHATSAPP_TEMPLATES = _whatsapp_templates(os.environ.get("PANDU_WHATSAPP_TEMPLATES", ""))
# Seconds to wait for a provider's answer before the attempt counts as failed (and is retried).
NOTIFY_PROVIDER_TIMEOUT = env_int("PANDU_NOTIFY_PROVIDER_TIMEOUT", 10)

# Domain events (pandu.core.events): a receiver that fails after the writer's commit is logged;
# with this set (the test settings) its error is also raised, so no test passes over it.
EVENTS_RAISE = env_bool("PANDU_EVENTS_RAISE", False)

# Background work through the task framework. The immediate backend runs a task when it is
# enqueued (after the transaction commits); production uses the database-backed queue and a
# worker (`pandu db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PANDU_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Crisis messages (pandu.broadcast): how many messages per second each worker sends on each
# channel (providers limit senders: Twilio's long codes about 1 per second, toll-free and short
# codes more, WhatsApp Cloud API about 80), how many deliveries one batch takes, how long a
# worker holds a delivery it is sending, after how many seconds without a heartbeat a broadcast
# counts as stalled (its worker died) and is taken up again by `pandu run_due`, and for how many
# days the reply link in each message works.
BROADCAST_RATE_EMAIL = float(os.environ.get("PANDU_BROADCAST_RATE_EMAIL", "20"))
BROADCAST_RATE_SMS = float(os.environ.get("PANDU_BROADCAST_RATE_SMS", "10"))
BROADCAST_RATE_WHATSAPP = float(os.environ.get("PANDU_BROADCAST_RATE_WHATSAPP", "20"))
BROADCAST_BATCH = env_int("PANDU_BROADCAST_BATCH", 200)
BROADCAST_CLAIM_SECONDS = env_int("PANDU_BROADCAST_CLAIM_SECONDS", 120)
BROADCAST_STALL_SECONDS = env_int("PANDU_BROADCAST_STALL_SECONDS", 180)
BROADCAST_REPLY_DAYS = env_int("PANDU_BROADCAST_REPLY_DAYS", 30)

# Security. Production defaults are strict; debug and demo run over plain HTTP on localhost.
_secure = not (DEBUG or DEMO)
SECURE_SSL_REDIRECT = env_bool("PANDU_SECURE_SSL_REDIRECT", _secure)
SESSION_COOKIE_SECURE = env_bool("PANDU_SECURE_COOKIES", _secure)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("PANDU_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PANDU_HSTS_INCLUDE_SUBDOMAINS", _secure)
SECURE_HSTS_PRELOAD = env_bool("PANDU_HSTS_PRELOAD", _secure)
if env_bool("PANDU_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "pandu.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True

EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600

# Cache: counts for the rate limits. Local memory serves one process (the demo, a single-process
# installation); several web processes must share one Redis through PANDU_CACHE_URL, or each
# would count on its own.
CACHE_URL = os.environ.get("PANDU_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
    # django-ratelimit's check knows only the django-redis package; Django's own Redis backend is
    # shared by every process and increments atomically too, which is what the limits need.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
elif CACHE_URL in ("", "locmem://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pandu"}
    }
    # Correct for one process, which is what this configuration is for (see above and the README).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
else:
    raise ImproperlyConfigured(
        f"PANDU_CACHE_URL must be a redis:// (or rediss://) address, not {CACHE_URL!r}."
    )

# Rate limits on booking: writes per signed-in person (web and API together), and requests per
# client address on the e-mail's manage link (no sign-in there). "N/m" or "N/h"; empty = none.
RATE_BOOKING = os.environ.get("PANDU_RATE_BOOKING", "20/m")
RATE_MANAGE_LINK = os.environ.get("PANDU_RATE_MANAGE_LINK", "30/m")
# Downloads of a citizen's whole data (a heavy read, and a copy of everything if an account is
# taken over) per signed-in person.
RATE_DATA_EXPORT = os.environ.get("PANDU_RATE_DATA_EXPORT", "5/h")
RATELIMIT_ENABLE = env_bool("PANDU_RATELIMIT_ENABLED", True)
RATELIMIT_IP_META_KEY = "pandu.core.ratelimit.client_ip"
# Behind a proxy every request comes from the proxy's address: name the header in which the proxy
# puts the client's address (e.g. X-Forwarded-For, rightmost entry used, or X-Real-IP).
CLIENT_IP_HEADER = os.environ.get("PANDU_CLIENT_IP_HEADER", "")

LOG_SQL = env_bool("PANDU_LOG_SQL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level on the handler too: Django's own loggers (e.g. a 4xx answer on django.request)
    # reach it past the root's level.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "level": os.environ.get("PANDU_LOG_LEVEL", "WARNING"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("PANDU_LOG_LEVEL", "WARNING")},
    # No personal data in logs (docs/privacy.md "Logs"). SQL statements carry every value Pandu
    # stores (names, NIK, passport numbers, e-mail addresses): the SQL logger stays at INFO, and
    # its records are dropped even if someone lowers its level, unless PANDU_LOG_SQL=1 (a
    # developer's machine with demo data, never a server with real citizens).
    "filters": {"sql_only_when_asked": {"()": "pandu.audit.logfilters.SQLOnlyWhenAsked"}},
    "loggers": {
        "django.db.backends": {
            "level": "DEBUG" if LOG_SQL else "INFO",
            "filters": ["sql_only_when_asked"],
        },
        "django.db.backends.schema": {
            "level": "DEBUG" if LOG_SQL else "INFO",
            "filters": ["sql_only_when_asked"],
        },
    },
}
