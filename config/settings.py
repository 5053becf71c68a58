"""ImmunoWatch settings: everything comes from the environment (django-environ), never edited.

With no DATABASE_URL and no REDIS_URL the app runs embedded: SQLite and kombu's filesystem
broker under ./var/. With them set it uses PostgreSQL and Redis. See README.md, "Configuration".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import environ
import jinja2
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("IMMUNOWATCH_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG: bool = env.bool("DJANGO_DEBUG", default=False)

# Production (DEBUG off, the default) refuses to start without a real key; the fallback is only
# good for a laptop in development mode.
_DEVELOPMENT_SECRET_KEY = (
    "django-insecure-immunowatch-local-development-key-do-not-use-in-production"  # noqa: S105
)
# The rules of Django's `check --deploy` (security.W009), enforced at start instead of warned.
_KEY_MIN_LENGTH = 50
_KEY_MIN_UNIQUE_CHARACTERS = 5
_KEY_INSECURE_PREFIX = "django-insecure"
_PRODUCTION = "DJANGO_DEBUG=false (production, also when DJANGO_DEBUG is not set)"
_DEVELOPMENT = "For development on a laptop set DJANGO_DEBUG=true instead (make run does)."


def _production_secret_key() -> str:
    key = env.str("DJANGO_SECRET_KEY", default="")
    how = (
        f"Set DJANGO_SECRET_KEY to a random value of at least {_KEY_MIN_LENGTH} "
        "characters, e.g. the output of: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'. " + _DEVELOPMENT
    )
    if not key.strip():
        raise ImproperlyConfigured(f"DJANGO_SECRET_KEY is not set and {_PRODUCTION}. {how}")
    if key.startswith(_KEY_INSECURE_PREFIX):
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY starts with '{_KEY_INSECURE_PREFIX}' (a development key) "
            f"and {_PRODUCTION}. {how}"
        )
    if len(key) < _KEY_MIN_LENGTH or len(set(key)) < _KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too weak and {_PRODUCTION}: it needs at least "
            f"{_KEY_MIN_LENGTH} characters, at least {_KEY_MIN_UNIQUE_CHARACTERS} "
            f"of them different. {how}"
        )
    return key


def _production_site_url() -> str:
    url = env.str("SITE_URL", default="").strip()
    how = (
        "Set SITE_URL to the address people open the site at, e.g. "
        "https://immunowatch.example.org: links in e-mails and notifications start with it. "
        + _DEVELOPMENT
    )
    if not url:
        raise ImproperlyConfigured(f"SITE_URL is not set and {_PRODUCTION}. {how}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(
            f"SITE_URL must be an absolute address starting with https:// (or http://), "
            f"not {url!r}. {how}"
        )
    return url


if DEBUG:
    SECRET_KEY: str = env.str("DJANGO_SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY)
    # Absolute base URL used in e-mails and other notifications (they carry a link, never
    # details). `make run` sets it from PORT.
    SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
else:
    SECRET_KEY = _production_secret_key()
    SITE_URL = _production_site_url().rstrip("/")
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "csp",
    "reporting",
    "education",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A new sign-in gets the account's language (reporting/language.py).
    "reporting.language.AccountLanguageMiddleware",
    # django-otp's OTPMiddleware, with the session's device read by a compiled query.
    "reporting.security.middleware.StaffDeviceMiddleware",
    # After OTP (it knows whether the sign-in was verified), before the views.
    "reporting.security.middleware.StaffSessionMiddleware",
    "reporting.security.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it answers a locked-out log-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# Two engines over the same folders, chosen by the template's name (config/template_loaders.py):
# `*.txt` (plain-text e-mails and their subjects) are never HTML-escaped, everything else always.
TEMPLATES = [
    {
        "NAME": "django",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "config.template_loaders.HtmlFilesystemLoader",
                        "config.template_loaders.HtmlAppDirectoriesLoader",
                    ],
                ),
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.immunowatch",
            ],
        },
    },
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "autoescape": False,
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "config.template_loaders.TextFilesystemLoader",
                        "config.template_loaders.TextAppDirectoriesLoader",
                    ],
                ),
            ],
        },
    },
    # `*.jinja`: the nurse queue's rows only (reporting.pages.dashboard.queue_rows_html), a
    # fragment rendered 50 times a page; values arrive translated, Jinja2 escapes them all.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True, "undefined": jinja2.StrictUndefined},
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'immunowatch.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters sent apart from the SQL, and a statement run a few times on a connection
    # prepared: PostgreSQL then plans it once, not at each run (planning the queue's rows
    # took ~1 ms, running them ~0.5 ms). Set false behind a pooler in transaction mode
    # (PgBouncer), where a prepared statement may be on another server connection.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 3}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in embedded mode: wait for locks, don't fail.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so that a real Celery worker started by a test sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-immunowatch.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "reporting.User"
# Axes first: it refuses a locked-out user before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's roles with the user: one query per request.
    "reporting.security.backends.RolesModelBackend",
    # Sessions signed in before it came name this one: they keep working until they end
    # (SESSION_COOKIE_AGE). Then it can go; until then a wrong password is checked twice.
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day: families may read e-mail late
INVITATION_VALID_DAYS: int = env.int("IMMUNOWATCH_INVITATION_VALID_DAYS", default=7)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Our own date formats for both languages (config/formats/): Django's "en" is American, and
# its "vi" starts dates with a capital "Ngày" in the middle of sentences.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------
# consolemail:// prints messages (local demo); smtp+tls://user:password@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="ImmunoWatch <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL: str = env.str("REDIS_URL", default="")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # Must exceed the longest task (CELERY_TASK_TIME_LIMIT) and the longest retry
        # countdown (60 s): an unacknowledged message older than this is delivered again.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        # Bound a publish to a dead Redis: without these kombu retries the connection for
        # ~6 s per publish (measured); with them a refused connection fails in milliseconds
        # and an unreachable host in about two connect timeouts. The outbox row is already
        # committed, so the sweep publishes it later.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 0.5,
    }
else:
    # Embedded default: a broker with no server, folders under var/broker.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast/control messages too, or kombu creates ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing must not hang a web request when the broker is down: the outbox row is already
# committed and the sweep will enqueue it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY = False
# No task may outlive the visibility timeout (else Redis hands it to a second worker while
# the first still runs). Delivery tasks set tighter limits of their own.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# On a lost broker connection, cancel running acks_late tasks: they will be redelivered, and
# finishing them too would deliver twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Celery's Django fix-up closes every database connection before and after each task unless
# this is set: a new PostgreSQL connection per task (~4.5 ms measured, plus a backend
# process) was a third of a delivery's cost. With it the fix-up only recycles them every this
# many tasks, and config/celery.py applies Django's own per-request policy around each task
# (close_old_connections: CONN_MAX_AGE, CONN_HEALTH_CHECKS, broken connections).
CELERY_DB_REUSE_MAX = 1000
# Notification ids per delivery task (README, "Alerts and notifications"): a report's e-mails
# go in one task, a sweep's thousand rows in a few dozen; each batch costs one claim, one
# commit for its sent rows and one mail server connection, instead of one each per message.
IMMUNOWATCH_NOTIFICATION_BATCH_SIZE: int = env.int(
    "IMMUNOWATCH_NOTIFICATION_BATCH_SIZE", default=50
)

# --- What families are told -----------------------------------------------------------------
IMMUNOWATCH_EMERGENCY_NUMBER: str = env.str("IMMUNOWATCH_EMERGENCY_NUMBER", default="115")
# The numbers only (they are dialled from `tel:` links): "115", "1900 1234".
IMMUNOWATCH_HOTLINE: str = env.str("IMMUNOWATCH_HOTLINE", default="1900 0000")
IMMUNOWATCH_HOSPITAL_NAME: str = env.str("IMMUNOWATCH_HOSPITAL_NAME", default="Oncology department")

# --- Alerts ---------------------------------------------------------------------------------
# First-contact targets by level, in minutes (contract section 5); escalation follows them.
IMMUNOWATCH_ALERT_TARGET_MINUTES: dict[str, int] = {
    "emergency": env.int("IMMUNOWATCH_TARGET_EMERGENCY_MINUTES", default=15),
    "urgent": env.int("IMMUNOWATCH_TARGET_URGENT_MINUTES", default=60),
    "monitor": env.int("IMMUNOWATCH_TARGET_MONITOR_MINUTES", default=24 * 60),
}

# The hour (local time) from which families are asked how an active symptom is, and asked to
# check in before a planned infusion (README, "Follow-up and treatment cycles").
IMMUNOWATCH_FOLLOW_UP_HOUR: int = env.int("IMMUNOWATCH_FOLLOW_UP_HOUR", default=8)

# --- Notifications (README: "Alerts and notifications") -------------------------------------
# Monitor alerts are told to the on-duty nurses in one digest every this many hours.
IMMUNOWATCH_DIGEST_HOURS: int = env.int("IMMUNOWATCH_DIGEST_HOURS", default=4)
# Webhooks are signed with HMAC-SHA256 over the body; without a secret none is sent.
IMMUNOWATCH_WEBHOOK_SECRET: str = env.str("IMMUNOWATCH_WEBHOOK_SECRET", default="")
IMMUNOWATCH_WEBHOOK_TIMEOUT_SECONDS: int = env.int("IMMUNOWATCH_WEBHOOK_TIMEOUT", default=10)
IMMUNOWATCH_EMAIL_TIMEOUT_SECONDS: int = env.int("IMMUNOWATCH_EMAIL_TIMEOUT", default=20)
IMMUNOWATCH_SMS_BACKEND: str = env.str(
    "IMMUNOWATCH_SMS_BACKEND", default="reporting.channels.sms.ConsoleSmsBackend"
)
# A notification that failed temporarily this many times is marked failed (dashboard banner).
IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS: int = env.int(
    "IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS", default=6
)
# A worker's claim on a notification; must exceed the delivery task's time limit (90 s) so
# that a slow send is never taken over, and lets the sweep resend after a killed worker.
IMMUNOWATCH_NOTIFICATION_LEASE_SECONDS: int = env.int(
    "IMMUNOWATCH_NOTIFICATION_LEASE_SECONDS", default=180
)
# The outbox sweep re-enqueues notifications still pending this long after they were handed
# to the broker (a message lost with the broker); above the longest retry countdown (60 s).
IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS: int = env.int(
    "IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS", default=120
)

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT: bool = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS: int = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Lockout and throttling (README, "Security") ----------------------------------------
# After this many wrong passwords for one user name, or from one address, log-in is refused
# for the cooling-off period, even with the right password. Admins unlock in the admin
# ("Access attempts": delete the row) or with `manage.py axes_reset_username`.
AXES_FAILURE_LIMIT: int = env.int("IMMUNOWATCH_LOCKOUT_FAILURES", default=7)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("IMMUNOWATCH_LOCKOUT_MINUTES", default=30))
# A ward behind one address: set IMMUNOWATCH_LOCKOUT_BY_ADDRESS=false to count per user only.
AXES_LOCKOUT_PARAMETERS: list[str] = (
    ["username", "ip_address"]
    if env.bool("IMMUNOWATCH_LOCKOUT_BY_ADDRESS", default=True)
    else ["username"]
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "reporting.security.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "reporting.security.addresses.client_address_or_none"
AXES_USERNAME_CALLABLE = "reporting.security.lockout.username_of"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
# Addresses come from REMOTE_ADDR, or from X-Forwarded-For behind this many trusted proxies.
IMMUNOWATCH_PROXY_COUNT: int = env.int("IMMUNOWATCH_PROXY_COUNT", default=0)
# Password-reset e-mails per address (e-mail and client address each) and hour; wrong or
# expired invitation links per client address and hour.
IMMUNOWATCH_PASSWORD_RESETS_PER_HOUR: int = env.int(
    "IMMUNOWATCH_PASSWORD_RESETS_PER_HOUR", default=3
)
IMMUNOWATCH_INVITATION_TRIES_PER_HOUR: int = env.int(
    "IMMUNOWATCH_INVITATION_TRIES_PER_HOUR", default=10
)
# Throttle counters live in the cache, which all web processes must share: Redis when
# REDIS_URL is set, else files under var/cache (embedded mode).
CACHES = {
    "default": (
        {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}
RATELIMIT_VIEW = "reporting.security.throttle.too_many_attempts"

# --- Two-factor sign-in for staff (django-otp: TOTP and single-use backup codes) -------------
# Nurses and admins enrol an authenticator app at their first log-in and give a code at each
# one after. Off by default in development so that `make run`'s demo users just log in.
IMMUNOWATCH_REQUIRE_STAFF_2FA: bool = env.bool("IMMUNOWATCH_REQUIRE_STAFF_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "ImmunoWatch"
IMMUNOWATCH_BACKUP_CODES = 10

# --- Sessions -------------------------------------------------------------------------------
SESSION_COOKIE_AGE = 60 * 60 * 12  # families (and the upper bound for staff)
# With Redis, requests read their session from the cache (one GET instead of a database
# query: ~0.4 ms of each request, bench/http.py); sessions are still written to the database,
# which answers whenever the cache misses or is down (reporting/security/sessions.py: cached
# copies live 5 minutes). Embedded mode's file cache would gain nothing over SQLite: plain
# database sessions there.
SESSION_ENGINE = (
    "reporting.security.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
)
# Staff sessions end after this many minutes without a request; families keep the above.
IMMUNOWATCH_STAFF_IDLE_MINUTES: int = env.int("IMMUNOWATCH_STAFF_IDLE_MINUTES", default=30)

# --- Audit trail (README, "Audit trail") ----------------------------------------------------
# Access records (who opened which patient's record) and the history of clinical records
# older than this many days are deleted by a nightly task; 0 keeps them for ever.
IMMUNOWATCH_AUDIT_RETENTION_DAYS: int = env.int("IMMUNOWATCH_AUDIT_RETENTION_DAYS", default=6 * 365)
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Headers: Content-Security-Policy (django-csp) and Permissions-Policy ---------------------
# Nothing inline: every script and style is a file under static/ (a test renders every page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

# --- Logging: ids and events only, never health details -------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
