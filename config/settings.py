"""Boai settings: one module, driven by environment variables.

Defaults are safe for `make run` and `make test` (embedded SQLite, no Redis, development keys).
`BOAI_PRODUCTION=1` turns on the production posture: every secret must come from the environment,
cookies are Secure, HTTPS is enforced, and demo shortcuts are refused.
"""

import ipaddress
import logging
import re
from datetime import timedelta
from pathlib import Path

import environ
import structlog
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("BOAI_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

PRODUCTION = env.bool("BOAI_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Demo mode: `make run` only. Demo accounts may skip two-factor login there and nowhere else.
DEMO = env.bool("BOAI_DEMO", default=False)

# Development-only keys: usable for `make run`/`make test`, rejected in production (see core.checks).
DEV_SECRET_KEY = "dev-only-insecure-boai-secret-key-do-not-use-in-production-0123456789"  # noqa: S105 - rejected in production
DEV_FIELD_KEY = "00112233445566778899aabbccddeeff"
DEV_INDEX_KEY = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
DEV_AUDIT_KEY = "1:a0d1700ce1a1b0a1a0d1700ce1a1b0a1a0d1700ce1a1b0a1a0d1700ce1a1b0a1"


def _required_in_production(name, dev_default):
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when BOAI_PRODUCTION=1")
    return dev_default


SECRET_KEY = _required_in_production("SECRET_KEY", DEV_SECRET_KEY)
# SM4 field key(s): "KEYID:HEX32[,KEYID:HEX32...]"; the first is current, the others decrypt old rows.
BOAI_FIELD_KEY = _required_in_production("BOAI_FIELD_KEY", DEV_FIELD_KEY)
# HMAC-SM3 blind-index key (hex, at least 16 bytes).
BOAI_INDEX_KEY = _required_in_production("BOAI_INDEX_KEY", DEV_INDEX_KEY)
# HMAC-SM3 audit chain key(s): "KEYID:HEX[,KEYID:HEX...]", key ids are positive integers, the first
# signs new entries and checkpoints, every listed key verifies (boai/audit/keys.py, docs/deploy.md).
BOAI_AUDIT_KEY = _required_in_production("BOAI_AUDIT_KEY", DEV_AUDIT_KEY)
# AES-256 backup archive key(s): "KEYID:HEX64[,KEYID:HEX64...]", the first encrypts new archives, every
# listed key opens old ones (boai/core/backup.py). Production needs it (`check --deploy`); `backup` and
# `restore` refuse to run without it. Keep a copy off the servers, with the field keys: an archive is
# worth nothing without both.
BOAI_BACKUP_KEY = env.str("BOAI_BACKUP_KEY", default="")
if PRODUCTION and DEMO:
    raise ImproperlyConfigured("BOAI_DEMO cannot be used together with BOAI_PRODUCTION")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_prometheus",
    "django_structlog",
    "boai.core",
    "boai.accounts",
    "boai.audit",
    "boai.registry",
    # before cases: its demo data makes the demo coordinator qualified, whom the demo cases name as witness
    "boai.coordinators",
    "boai.cases",
    "boai.certificates",
    "boai.care",
    "boai.memorials",
    "boai.outreach",
    "boai.stats",
    "boai.workspace",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: times the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "boai.core.middleware.RequestContextMiddleware",
    "boai.core.middleware.RequestLogMiddleware",  # inside the request id's middleware: logs with its id
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "boai.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "boai.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "boai.core.ratelimits.StaffLimitMiddleware",  # staff searches and exports, per user
    # Innermost: after auth (their pages show the user's menu) and inside CSP, frame and no-store
    # headers, which their answers need as much as any page.
    "boai.core.middleware.RejectNullCharactersMiddleware",
    "boai.core.middleware.MethodNotAllowedPageMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "boai.core.context_processors.boai",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'boai.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + synchronous=FULL: no acknowledged write is lost; IMMEDIATE avoids lock upgrades deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
# BOAI_DB_POOLER=pgbouncer: DATABASE_URL (and the replica's) point at PgBouncer in transaction mode
# (deploy/pgbouncer/pgbouncer.ini). A server connection then belongs to a client for one transaction
# only, so nothing may outlive one: no server-side cursors (``.iterator()`` outside a transaction would
# lose its cursor) and no prepared statements; Django reconnects to the local PgBouncer per request.
BOAI_DB_POOLER = env.str("BOAI_DB_POOLER", default="")
if BOAI_DB_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured(f"BOAI_DB_POOLER: {BOAI_DB_POOLER!r} is not known (leave it empty, or pgbouncer)")


def _postgres_options(database: dict) -> dict:
    if BOAI_DB_POOLER == "pgbouncer":
        database.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        database.setdefault("OPTIONS", {})["prepare_threshold"] = None
    else:
        database.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    database.setdefault("CONN_HEALTH_CHECKS", True)
    return database


if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    _postgres_options(DATABASES["default"])
# A read replica (PostgreSQL streaming replication) for the statistics: the dashboard's and the annual
# figures' reads go there (boai.core.db_router), every write and every other read to default. In tests
# it mirrors default.
_REPLICA_URL = env.str("BOAI_REPLICA_DATABASE_URL", default="")
if _REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(_REPLICA_URL)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":
        _postgres_options(DATABASES["replica"])
DATABASE_ROUTERS = ["boai.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # a cache that degrades while Redis is down (pages and registrations keep working): boai/core/cache.py
    CACHES = {"default": {"BACKEND": "boai.core.cache.DegradingRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis (make run, make test) tasks run in-process, synchronously.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# With the broker down, publishing gives up within a second or two (boai.core.queue tells the user).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = "Asia/Shanghai"
# The worker's and beat's log lines through LOGGING below (one JSON object per line), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# `celery -A config beat` runs these; without a beat process nothing is scheduled.
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint-hourly": {"task": "audit.checkpoint", "schedule": 3600.0},
    # Seals the entries written with BOAI_AUDIT_SEAL_DEFERRED into the chain (nothing to do without it).
    "audit-seal": {"task": "audit.seal", "schedule": 5.0},
}

# --- Accounts, passwords, sessions -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "boai.accounts.backends.PasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
BOAI_PASSWORD_MIN_LENGTH = env.int("BOAI_PASSWORD_MIN_LENGTH", default=10)
BOAI_PASSWORD_MIN_CLASSES = env.int("BOAI_PASSWORD_MIN_CLASSES", default=3)
BOAI_PASSWORD_MAX_AGE_DAYS = env.int("BOAI_PASSWORD_MAX_AGE_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": BOAI_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "boai.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": BOAI_PASSWORD_MIN_CLASSES},
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"

SESSION_ENGINE = "boai.accounts.sessions"  # database sessions, the idle deadline moved once a minute
BOAI_SESSION_IDLE_MINUTES = env.int("BOAI_SESSION_IDLE_MINUTES", default=30)
BOAI_SESSION_ABSOLUTE_HOURS = env.int("BOAI_SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_AGE = BOAI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # each request may push the idle deadline forward (accounts.sessions)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "boai.core.views.csrf_failure"

# Lockout (django-axes): 5 failures per username, 30 minutes, the same answer whether or not it exists.
AXES_FAILURE_LIMIT = env.int("BOAI_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("BOAI_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "boai.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "boai.core.middleware.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

OTP_TOTP_ISSUER = "Boai"

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Probes answer over plain HTTP too: a load balancer or Prometheus may ask gunicorn directly on the
    # private interface, without nginx's X-Forwarded-Proto (they carry nothing personal; /metrics is
    # limited to BOAI_METRICS_ALLOWED_IPS).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# axes.W006: lockout is per username by policy (a whole branch office shares one NAT address).
SILENCED_SYSTEM_CHECKS = ["axes.W006", *env.list("BOAI_SILENCED_CHECKS", default=[])]

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (always encrypted by the app, boai/core/storage.py) on the local disk at MEDIA_ROOT
# (BOAI_STORAGE=local, the default) or on any S3-compatible object store (BOAI_STORAGE=s3), shared by
# every app server.
BOAI_STORAGE = env.str("BOAI_STORAGE", default="local")
if BOAI_STORAGE == "local":
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif BOAI_STORAGE == "s3":
    if not env.str("BOAI_S3_BUCKET", default=""):
        raise ImproperlyConfigured("BOAI_S3_BUCKET must be set when BOAI_STORAGE=s3")
    _S3_ENDPOINT = env.str("BOAI_S3_ENDPOINT_URL", default="") or None
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("BOAI_S3_BUCKET"),
            "endpoint_url": _S3_ENDPOINT,
            "access_key": env.str("BOAI_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("BOAI_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("BOAI_S3_REGION", default="") or None,
            # a store of its own (MinIO, Ceph...) answers at its endpoint's path, AWS by bucket host name
            "addressing_style": env.str("BOAI_S3_ADDRESSING_STYLE", default="path" if _S3_ENDPOINT else "auto"),
            "file_overwrite": False,  # an upload never replaces a stored file
            "default_acl": None,  # private: files are served only through permission-checked views
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured(f"BOAI_STORAGE must be 'local' or 's3', not {BOAI_STORAGE!r}")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(env.str("BOAI_MEDIA_ROOT", default=str(VAR_DIR / "media")))  # outside the web root

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "boai.accounts.authentication.ApiTokenAuthentication",
        "boai.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["boai.accounts.permissions.IsStaffAccount"],
    "DEFAULT_PAGINATION_CLASS": "boai.core.rest.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "boai.core.schema.ErrorAutoSchema",
    "EXCEPTION_HANDLER": "boai.core.rest.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [  # DRF's three, the JSON one refusing deep nesting (a RecursionError)
        "boai.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Boai API",
    "DESCRIPTION": "Boai (博爱): organ and body donation management of a provincial Red Cross society.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One enum name for a choice set that several fields share (otherwise spectacular warns W001).
    "ENUM_NAME_OVERRIDES": {
        "RelationshipEnum": "boai.core.people.Relationship",
        "SexEnum": "boai.core.people.Sex",  # what a record stores
        "DocumentSexEnum": "boai.core.people.DOCUMENT_SEXES",  # what an ID document states, and a client sends
        "CertificateKindEnum": "boai.certificates.models.Kind",  # a case's witness has a "kind" too
        "CoordinatorStateEnum": "boai.coordinators.models.CoordinatorState",
        "AttendanceStatusEnum": "boai.coordinators.models.AttendanceStatus",
        "RegistrationStatusEnum": "boai.registry.models.RegistrationStatus",
        "PaymentKindEnum": "boai.care.models.PaymentKind",
        "ContactChannelEnum": "boai.care.models.Channel",
        # a case's forms (the request bodies, boai.cases.schema) share these with the models
        "DonationCategoryEnum": "boai.cases.schema.DONATION_CATEGORIES",
        "BodyUseEnum": "boai.cases.schema.BODY_USES",
        "OrganEnum": "boai.core.people.Organ",
        "YesNoEnum": "boai.cases.forms.YES_NO",
        "FundraisingPurposeEnum": "boai.outreach.models.FundraisingProject.Purpose",
    },
}

# --- Boai ---------------------------------------------------------------------------------------

# One JSON object per line (structlog), Django's and Boai's own log lines included, each with the
# request's id (the X-Request-ID answer header), client IP and user id while a request is served.
# deploy/gunicorn.conf.py repeats the format for gunicorn's master process (which must not import this).
_LOG_CHAIN = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,  # a traceback stays inside its one line
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
            "foreign_pre_chain": _LOG_CHAIN,
        }
    },
    # a refusal (403) is one line (who, what, where, why), not a traceback; real errors keep theirs
    "filters": {"one_line_denials": {"()": "boai.core.logfilters.OneLineDenials"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_denials"]},
        "django.security.csrf": {"filters": ["one_line_denials"]},
    },
}
structlog.configure(
    processors=[
        structlog.stdlib.filter_by_level,
        *_LOG_CHAIN,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
# django-structlog's request lines: "request_finished" (INFO, 4xx WARNING, 5xx ERROR) with the status;
# "request_started" only at DEBUG. The request id is RequestContextMiddleware's, never a second one.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = False
DJANGO_STRUCTLOG_TRUST_UPSTREAM_CORRELATION_ID = False
BOAI_TRUSTED_PROXIES = env.int("BOAI_TRUSTED_PROXIES", default=0)
# X-Forwarded-For is believed only from these addresses or networks (our nginx): anyone else reaching
# gunicorn directly (a probe on a private interface, say) is taken at their own address.
BOAI_PROXY_ADDRESSES = env.list("BOAI_PROXY_ADDRESSES", default=["127.0.0.1", "::1"])
# Who may read /metrics (Prometheus): addresses or networks (10.0.0.0/8), comma-separated, compared with
# the client address the audit log records. Anyone else gets a 404.
# In production none by default: behind an nginx on the same host every client would look like 127.0.0.1.
BOAI_METRICS_ALLOWED_IPS = env.list("BOAI_METRICS_ALLOWED_IPS", default=[] if PRODUCTION else ["127.0.0.1", "::1"])
for _entry in BOAI_METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"BOAI_METRICS_ALLOWED_IPS: {_entry!r} is not an address or network") from _exc
# Signed checkpoints of the audit chain's head, one file each, never rewritten. In production a mount
# of ANOTHER host (NFS, or a directory rsynced away), so the database's owner cannot rewrite them.
BOAI_AUDIT_CHECKPOINT_DIR = Path(env.str("BOAI_AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit-checkpoints")))
# Seconds: verify_audit and the auditor's page warn when the latest checkpoint is older (Celery beat signs
# one hourly): entries after it could be deleted, with the head moved back, without being noticed.
BOAI_AUDIT_CHECKPOINT_MAX_AGE = env.int("BOAI_AUDIT_CHECKPOINT_MAX_AGE", default=2 * 3600)
# Off: audit_log seals each entry into the chain at once, holding the chain head's lock until the business
# transaction commits (every write waits on it). On: audit_log only inserts the entry, and Celery beat's
# `audit.seal` (every 5 s) chains the committed ones; the history and log pages show an entry once sealed.
# Off by default until every reader of the log sees unsealed entries too (docs/deploy.md). The keyed chain
# costs HTTP registrations about 15 % inline, 4 % deferred (bench/http_bench.py).
BOAI_AUDIT_SEAL_DEFERRED = env.bool("BOAI_AUDIT_SEAL_DEFERRED", default=False)
# Seconds: verify_audit fails, naming them, when entries have waited longer than this to be sealed.
BOAI_AUDIT_SEAL_LAG_SECONDS = env.int("BOAI_AUDIT_SEAL_LAG_SECONDS", default=60)
# Seconds the staff menu's badges (what waits: reviews, follow-ups ...) are kept per user in the shared cache,
# while no change is audited (boai.lib.changes); 0 counts them on every page. Counts that move with time
# alone (a follow-up becoming due) show within this many seconds.
BOAI_MENU_BADGE_SECONDS = env.int("BOAI_MENU_BADGE_SECONDS", default=60)

# SMS: the file outbox in development and tests; the HTTP gateway in production.
BOAI_SMS_BACKEND = env.str(
    "BOAI_SMS_BACKEND", default="boai.core.sms.HttpGatewayBackend" if PRODUCTION else "boai.core.sms.FileBackend"
)
BOAI_SMS_OUTBOX = Path(env.str("BOAI_SMS_OUTBOX", default=str(VAR_DIR / "sms-outbox.jsonl")))
BOAI_SMS_GATEWAY_URL = env.str("BOAI_SMS_GATEWAY_URL", default="")
BOAI_SMS_GATEWAY_TOKEN = env.str("BOAI_SMS_GATEWAY_TOKEN", default="")
BOAI_SMS_CODE_MINUTES = env.int("BOAI_SMS_CODE_MINUTES", default=10)
BOAI_SMS_PER_PHONE_PER_HOUR = env.int("BOAI_SMS_PER_PHONE_PER_HOUR", default=5)
BOAI_SMS_PER_IP_PER_HOUR = env.int("BOAI_SMS_PER_IP_PER_HOUR", default=20)
BOAI_SMS_MIN_INTERVAL_SECONDS = env.int("BOAI_SMS_MIN_INTERVAL_SECONDS", default=60)
BOAI_PUBLIC_URL = env.str("BOAI_PUBLIC_URL", default="")  # e.g. https://boai.example.org (QR codes)
BOAI_IMPORT_BATCH = env.int("BOAI_IMPORT_BATCH", default=2000)
# An import waiting, checking or importing without a sign of life from a worker for this long is shown
# as stalled, and can be resumed or cancelled (the worker beats every BOAI_IMPORT_HEARTBEAT_SECONDS).
BOAI_IMPORT_STALL_MINUTES = env.int("BOAI_IMPORT_STALL_MINUTES", default=10)
BOAI_IMPORT_HEARTBEAT_SECONDS = env.int("BOAI_IMPORT_HEARTBEAT_SECONDS", default=30)
# Retention (days), purged nightly by Celery beat: SMS codes after they expired; idempotency records after
# the key's first use (what the API promises clients; at least 1); an import's uploaded list and error
# report after the import finished or failed (the import's row and its audit entries stay).
BOAI_SMS_CODE_RETENTION_DAYS = env.int("BOAI_SMS_CODE_RETENTION_DAYS", default=1)
BOAI_IDEMPOTENCY_RETENTION_DAYS = env.int("BOAI_IDEMPOTENCY_RETENTION_DAYS", default=7)
BOAI_IMPORT_FILE_RETENTION_DAYS = env.int("BOAI_IMPORT_FILE_RETENTION_DAYS", default=30)
# Certificate numbers: organ certificates carry the printed serial of the blank; body donation
# certificates are numbered by the province per kind and year ({year}, {sequence}).
BOAI_CERT_FORMATS = {
    "organ": env.str("BOAI_CERT_FORMAT_ORGAN", default="{serial:08d}"),
    "body_reception": env.str("BOAI_CERT_FORMAT_BODY_RECEPTION", default="滇遗接〔{year}〕{sequence:04d}"),
    "body_honour": env.str("BOAI_CERT_FORMAT_BODY_HONOUR", default="滇遗荣〔{year}〕{sequence:04d}"),
    "organ_consent": env.str("BOAI_CERT_FORMAT_ORGAN_CONSENT", default="ZQ{serial:08d}"),  # consent forms
}
# Rate limits (boai/core/ratelimits.py says what each counts): "COUNT/PERIOD", the period s, m, h or d with
# an optional multiple ("60/10m"); each from BOAI_RATE_<NAME>. Public ones per client address, staff ones
# per user (a branch office shares one NAT address). Counted in the default cache: Redis in production.
BOAI_RATE_LIMITS = {
    "login": env.str("BOAI_RATE_LOGIN", default="30/m"),  # failed passwords per address
    "lookup": env.str("BOAI_RATE_LOOKUP", default="30/m"),  # per address
    "verify": env.str("BOAI_RATE_VERIFY", default="30/m"),  # per address
    "search": env.str("BOAI_RATE_SEARCH", default="120/m"),  # per user
    "export": env.str("BOAI_RATE_EXPORT", default="60/10m"),  # per user
}
for _name, _rate in BOAI_RATE_LIMITS.items():
    if not re.fullmatch(r"[1-9]\d*/(?:[1-9]\d*)?[smhd]", _rate):  # never a period of 0 (10/0m)
        raise ImproperlyConfigured(f"BOAI_RATE_{_name.upper()}: {_rate!r} is not a rate such as 10/m or 60/10m")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "boai.core.middleware.client_ip"  # behind the trusted proxies, never X-Forwarded-For as sent
RATELIMIT_FAIL_OPEN = True  # a cache that cannot count lets requests through (pages work without Redis)
# Whose written consent a family consent needs (read only by ``boai.cases.family.consent_orders``;
# the reading of the law: docs/consent.md). Per workflow, orders of close relatives (``Relationship``
# values): the first order with a living member recorded applies, and every one of its members counts.
BOAI_FAMILY_CONSENT = {
    "organ": [["spouse", "child", "parent"]],  # Regulations 2024, art. 8
    "body": [["spouse", "child", "parent"], ["sibling", "grandparent", "grandchild"]],  # Yunnan's measures
}
