"""Settings, read from the environment; every variable is documented in the README.

One module in labelled sections, each setting assigned once:
  1. Environment helpers    2. Profile (development or production: DEBUG, the secret key, hosts)
  3. Applications           4. Database   5. Static files   6. Search   7. Cache
  8. Security and login     9. Uploads    10. Logging       11. API     12. Import
  13. Reader accounts, email and alerts
Tests start from this module and change only what `tests/settings.py` says.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.checks.security import base as django_security
from django.core.exceptions import ImproperlyConfigured

# --- 1. Environment helpers ------------------------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ARCHIVE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_is_strong(key: str) -> bool:
    """Django's own deploy check: 50+ characters, 5+ distinct ones, not a generated 'django-insecure-' key."""
    return (
        len(key) >= django_security.SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= django_security.SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not key.startswith(django_security.SECRET_KEY_INSECURE_PREFIX)
    )


# --- 2. Profile: development (the default) or production (DJANGO_PRODUCTION=1) -----------------------
# Production refuses to start with DEBUG on or without a strong DJANGO_SECRET_KEY; it serves static files
# compressed with hashed names and assumes HTTPS. DJANGO_HTTPS=1 alone turns on the HTTPS-only settings
# (HSTS, redirects, secure cookies); without it http://127.0.0.1:8000 still works.

PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DJANGO_DEBUG", False)
HTTPS = env_bool("DJANGO_HTTPS", PRODUCTION)
# A local key for development and tests only; it is public, so production never accepts it.
DEVELOPMENT_SECRET_KEY = "insecure-local-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_PRODUCTION=1 runs with debug off: unset DJANGO_DEBUG.")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_PRODUCTION=1 needs DJANGO_SECRET_KEY (50+ random characters).")
    if not secret_key_is_strong(SECRET_KEY):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for DJANGO_PRODUCTION=1: it needs 50+ random characters "
            "(at least 5 different ones, no 'django-insecure-' prefix)."
        )
elif SECRET_KEY == DEVELOPMENT_SECRET_KEY and not DEBUG and env_bool("DJANGO_REQUIRE_SECRET_KEY", False):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = "Peace Talks Archive"

# --- 3. Applications, middleware, templates ---------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "simple_history",
    "archive",  # before haystack: its rebuild_index command replaces haystack's
    "haystack",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "allauth",
    "allauth.account",
    "archive.alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "archive.middleware.RequestSizeLimitMiddleware",
    "archive.middleware.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "archive.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Axes must come last: it turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- 4. Database ------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'archive.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an editor or an import writes. Writers take the write lock when their
    # transaction begins (IMMEDIATE) and wait up to SQLITE_TIMEOUT seconds for it: a transaction that
    # began as a reader cannot wait for the lock later and would fail at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_TIMEOUT", "20")),
        }
    )
    # Connections persist as on PostgreSQL (DATABASE_CONN_MAX_AGE): opening one (Django registers its SQL
    # functions, then the PRAGMAs run) cost about 1.5 ms of every page. runserver still closes them after
    # each request.

# --- 5. Static files --------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
# WhiteNoise warns on every start when the folder is missing (before the first collectstatic).
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG and PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise serves the stylesheet and script straight from static/ as well as from STATIC_ROOT, so a
# plain `runserver` without DEBUG (as `make run` starts it) shows styled pages before any collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

# --- 6. Search --------------------------------------------------------------------------------------
# The archive's Whoosh engine in var/ (a cached searcher, set-based facets, locked writes); an
# ELASTICSEARCH_URL switches to haystack's Elasticsearch backend. Related objects re-index together.

WHOOSH_PATH = Path(os.environ.get("WHOOSH_PATH", VAR_DIR / "whoosh_index"))
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": os.environ.get(
                "HAYSTACK_ELASTICSEARCH_ENGINE", "archive.search.elasticsearch_backend.ArchiveElasticsearchEngine"
            ),
            "URL": ELASTICSEARCH_URL,
            "INDEX_NAME": os.environ.get("ELASTICSEARCH_INDEX", "peace_talks_archive"),
        }
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "archive.search.whoosh.backend.ArchiveWhooshEngine",
            "PATH": str(WHOOSH_PATH),
            "PROCS": int(os.environ.get("WHOOSH_PROCS", "1")),
            "LIMITMB": int(os.environ.get("WHOOSH_LIMITMB", "256")),
            # Worker processes of `rebuild_index` (0: one per CPU).
            "REBUILD_WORKERS": int(os.environ.get("WHOOSH_REBUILD_WORKERS", "0")),
            # Batches of 5,000 objects: fewer, larger database queries in `rebuild_index`, and fewer segments
            # to merge in `update_index` (10,000 articles: 200 articles/s of CPU instead of 172 with 2,000).
            "BATCH_SIZE": int(os.environ.get("WHOOSH_BATCH_SIZE", "5000")),
        }
    }
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
HAYSTACK_SIGNAL_PROCESSOR = "archive.search.signals.RelatedSignalProcessor"

# --- 7. Cache ---------------------------------------------------------------------------------------

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- 8. Security and login --------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if HTTPS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The only login is the admin's; a login whose `next` is unsafe (another host) lands on the admin index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Admin login throttling: five wrong passwords for one user name from one client address lock that pair
# out; the same user name from another address still logs in.
AUTHENTICATION_BACKENDS = [
    "archive.security.AxesRequestBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Readers log in with their email address (django-allauth); Axes throttles those logins too.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "archive.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "archive.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]
# The admin's form names the account "username", the readers' sign-in form "login" (an email address).
AXES_USERNAME_CALLABLE = "archive.security.client_username"
# Proxies in front of gunicorn that append to X-Forwarded-For; 0 means REMOTE_ADDR is the client. Behind
# a proxy (DJANGO_BEHIND_PROXY=1) it is 1 unless set: with 0 there every client would share the proxy's
# address, and five wrong passwords from anyone would lock that user name for everyone.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1" if BEHIND_PROXY else "0"))

# --- 9. Uploads -------------------------------------------------------------------------------------
# Form fields are held in memory up to 5 MB; files above 2.5 MB spill to disk; a whole request above
# ARCHIVE_MAX_REQUEST_MB is refused with a 413 page before Django reads it.

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_FILES", "500"))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
ARCHIVE_MAX_REQUEST_BYTES = int(float(os.environ.get("ARCHIVE_MAX_REQUEST_MB", "50")) * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

# --- 10. Logging ------------------------------------------------------------------------------------
# Everything to stdout (the process manager collects it); 5xx errors with tracebacks.

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"},
        "json": {"()": "archive.logformat.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if os.environ.get("DJANGO_LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # 4xx at WARNING, 5xx at ERROR with the traceback.
        "django.request": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "django.db.backends": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "archive": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}

# --- 11. API ----------------------------------------------------------------------------------------
# A read-only public API: JSON only, no accounts, anonymous clients throttled per address through the
# cache (Redis with REDIS_URL, so the limit holds across gunicorn workers). API_ANON_RATE is
# "<requests>/<second|minute|hour|day>", or "off" to switch throttling off.

API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "500"))
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["archive.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "archive.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "archive.api.schema.ArchiveAutoSchema",
    "EXCEPTION_HANDLER": "archive.api.errors.exception_handler",
    "ORDERING_PARAM": "ordering",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peace Talks Archive API",
    "DESCRIPTION": (
        "Read-only access to the archive's published articles, actors, topics, sources and public "
        "statements, with CSV, JSON and NDJSON exports. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "archive.models.Actor.Kind",
        "StatementKindEnum": "archive.models.Statement.Kind",
        "ReviewStatusEnum": "archive.models.Statement.ReviewStatus",
        "DatePrecisionEnum": "archive.models.Article.DatePrecision",
        "DayMonthYearPrecisionEnum": "archive.agreements.models.DATE_PRECISIONS",
        "RelationEnum": "archive.agreements.models.StatementProvisionLink.Relation",
        "StanceEnum": "archive.positions.models.StatementStance.Stance",
        "StatementRelationKindEnum": "archive.positions.models.StatementRelation.Kind",
    },
}

# --- 12. Import -------------------------------------------------------------------------------------

# Largest file the importer reads (command and admin upload); bigger files are refused with a message.
ARCHIVE_IMPORT_MAX_BYTES = int(float(os.environ.get("ARCHIVE_IMPORT_MAX_MB", "5")) * 1024 * 1024)
# Share of word trigrams (estimated Jaccard similarity, 0–1) from which an imported article is flagged as a
# possible duplicate of a stored one.
ARCHIVE_DUPLICATE_THRESHOLD = float(os.environ.get("ARCHIVE_DUPLICATE_THRESHOLD", "0.8"))

# --- 13. Reader accounts, email and alerts ----------------------------------------------------------
# Readers (not editors) sign up with an email address at /accounts/ (django-allauth), confirm it, and
# follow searches, actors, topics and provisions by email; `manage.py send_alerts` mails them. Editors
# keep logging in at /admin/. Mail goes through EMAIL_URL (see archive.alerts.email_url), e.g.
# smtp+tls://user:password@mail.example.org:587; without it, development prints mail to the console and
# production hands it to an SMTP server on localhost:25.

from archive.alerts.email_url import email_settings  # noqa: E402  (plain parsing, no Django imports)

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Peace Talks Archive <alerts@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
try:
    _email = email_settings(os.environ.get("EMAIL_URL") or ("smtp://localhost:25" if PRODUCTION else "console:"))
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from error
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
if "EMAIL_FILE_PATH" in _email:
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]

ACCOUNT_ADAPTER = "archive.alerts.adapter.ReaderAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: mail scanners follow links
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up and password reset never tell whether an address has an account
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peace Talks Archive] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None
# Per client address ("ip") and per address typed ("key"); counted in the cache (Redis with REDIS_URL).
ACCOUNT_RATE_LIMITS = {
    "signup": os.environ.get("ACCOUNT_SIGNUP_RATE", "10/h/ip"),
    "reset_password": os.environ.get("ACCOUNT_RESET_RATE", "10/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Alerts one reader may keep (saved searches and follows together).
ALERTS_MAX_PER_READER = int(os.environ.get("ALERTS_MAX_PER_READER", "50"))
