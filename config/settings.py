"""Cabas settings: every value comes from the environment (see .env.example)."""

import importlib.util
import os
import re
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-development-only-key-never-use-this-in-production-0123456789",
)
# Sessions, password-reset links and log-in codes rest on the key: in production, a key anyone
# can read in this repository (the default above, .env.example's placeholder) or a short one
# would let anyone forge them. Refuse to start rather than warn.
if not DEBUG and (
    SECRET_KEY.startswith(("django-insecure-", "change-me"))
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DEBUG=false needs a SECRET_KEY of your own: 50 or more random characters"
        " (docs/deployment.md)"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Cabas apps come before the admin, auth and allauth: their templates override allauth's,
    # and their French wins where Django's admin says it otherwise ("Filtrer", not "Filtre").
    "cabas.core",
    "cabas.accounts",
    "cabas.orgs",
    "cabas.catalog",
    "cabas.supply",
    "cabas.messaging",
    "cabas.insights",
    "cabas.sales",
    "cabas.work",
    "cabas.orders",
    "cabas.distribution",
    "cabas.money",
    "cabas.dfc",
    "cabas.api",
    "cabas.site",
    "cabas.demo",
    "cabas.notifications",
    "django.contrib.admin",
    "django.contrib.auth",
    "allauth",
    "allauth.account",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "easy_thumbnails",
    "csp",
    "anymail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for phones (a shop of 150 products: 147 KB of HTML, 6.4 KB sent);
    # CSRF tokens are masked on every response, which is Django's answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cabas.accounts.middleware.UserLanguageMiddleware",
    "cabas.accounts.middleware.SessionRefreshMiddleware",
    # Last, so that its 400 page reads in the person's language.
    "cabas.orgs.middleware.BadInputMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cabas.orgs.context_processors.organisations",
                "cabas.messaging.context_processors.announcements",
            ],
            # The money and quantity filters, usable in every template without a load tag.
            "builtins": ["cabas.core.templatetags.cabas_format"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (WAL + busy timeout so the web server and the task worker share the file);
# PostgreSQL (psycopg 3) when DATABASE_URL is set.
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = env("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # PostgreSQL's JIT compiles a query whose estimated cost is high, which the correlated
        # reads of lists (balances, dashboards) often are: 0.7 s of compiling for a 75 ms
        # query (docs/performance.md, "JIT"). This site's queries are short: off, unless
        # POSTGRES_JIT=true.
        if not env.bool("POSTGRES_JIT", default=False):
            options = DATABASES["default"].setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", default=str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "cabas.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cabas.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Members order from their phone every week or two: a login lasts SESSION_WEEKS (8 by default)
# from the last day the person came (accounts.middleware.SessionRefreshMiddleware), with no
# "remember me" box to forget (unticked, allauth would end the session with the browser).
# "Log out" ends it at once; a password change ends the other sessions.
SESSION_COOKIE_AGE = env.int("SESSION_WEEKS", default=8) * 7 * 24 * 3600
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, password reset and log-in by code answer alike whether an address has an account
# or not: otherwise anyone could test a list of addresses to learn who belongs to a collective.
# The owner of an existing address is told by e-mail that someone tried to sign up with it;
# an unknown address receives nothing (Cabas must not mail strangers on anyone's request).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cabas] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
if not env.bool("ACCOUNT_RATE_LIMITS", default=True):
    ACCOUNT_RATE_LIMITS = False
# The client address that the rate limits count (docs/deployment.md): behind N reverse proxies
# of ours, each appending to X-Forwarded-For, the client is the N-th address from the right;
# 0 (no proxy) takes the connection's address. A header set by the proxy alone (e.g.
# X-Real-IP) may be named instead. Anything left of what our proxies wrote is the client's
# own claim and is never trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None

# --- Cache ----------------------------------------------------------------------------------
# Shared by every web process (the login rate limits count here): the database's own table
# by default (created by the accounts migration 0002, nothing else to run), Redis when
# REDIS_URL is set. A per-process memory cache would let each gunicorn worker count its own
# failed logins.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
else:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cabas_cache",
        # Past MAX_ENTRIES the table drops a third of its rows, rate-limit counters included:
        # Django's 300 would let an attacker trying many addresses wipe the counters. The
        # counters expire within minutes, so the table stays small in normal use.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
CACHES = {
    # Several sites (or test runs) sharing one Redis keep apart with a prefix each.
    "default": {**_shared_cache, "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="")},
    # The API's one-second copy of a shop's catalog and slots (SHOP_CACHE_SECONDS) stays in
    # each process's memory: it only spares rebuilding a page, shares nothing.
    "shop": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shop"},
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_MODE = env("EMAIL_MODE", default="file")
# "anymail": through a provider's HTTP API with django-anymail (docs/deployment.md, "Sending
# e-mail through a provider"); ANYMAIL_ESP names anymail's backend module: brevo, mailjet,
# mailgun, postmark, sendgrid, sparkpost, mailersend, resend...
ANYMAIL_ESP = env("ANYMAIL_ESP", default="").strip().lower()
if EMAIL_MODE == "anymail" and (
    not re.fullmatch(r"[a-z][a-z0-9_]*", ANYMAIL_ESP)
    or importlib.util.find_spec(f"anymail.backends.{ANYMAIL_ESP}") is None
):
    raise ImproperlyConfigured(
        f"EMAIL_MODE=anymail needs ANYMAIL_ESP, one of anymail's providers (brevo, mailjet,"
        f" mailgun, postmark...): {ANYMAIL_ESP!r} is not one"
    )
EMAIL_BACKEND = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "anymail": f"anymail.backends.{ANYMAIL_ESP}.EmailBackend",
}[EMAIL_MODE]
# Every ANYMAIL_<NAME> variable is anymail's setting <NAME>, as anymail documents it for each
# provider: ANYMAIL_BREVO_API_KEY, ANYMAIL_MAILJET_API_KEY and ANYMAIL_MAILJET_SECRET_KEY,
# ANYMAIL_MAILGUN_API_KEY, ANYMAIL_POSTMARK_SERVER_TOKEN... ANYMAIL_WEBHOOK_SECRET
# ("user:password") guards the provider's webhook (/anymail/<esp>/tracking/).
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and name != "ANYMAIL_ESP" and value
}
# What a provider's API lets one message carry (anymail refuses the rest rather than drop it
# silently): an inline image (the organisation's logo), and "no open or click tracking" per
# message (for the others, turn tracking off in the provider's own settings).
_NO_INLINE_IMAGES = {"brevo", "sendinblue", "postal", "scaleway"}
_NO_TRACKING_SWITCH = {"brevo", "sendinblue", "amazon_ses", "mailtrap", "postal", "scaleway"}
EMAIL_INLINE_IMAGES = not (EMAIL_MODE == "anymail" and ANYMAIL_ESP in _NO_INLINE_IMAGES)
EMAIL_TRACKING_SWITCH = not (EMAIL_MODE == "anymail" and ANYMAIL_ESP in _NO_TRACKING_SWITCH)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# Shorter than TASKS_LEASE_SECONDS, so that a hung SMTP dialogue ends before the lease does.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cabas <no-reply@cabas.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------
# django-tasks with its database backend; `manage.py db_worker` runs them (make run starts it).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A task left RUNNING by a worker not seen for this long (killed, machine lost) is run again;
# an e-mail left "sending" this long is sent again (docs/deployment.md, "Task workers").
TASKS_LEASE_SECONDS = env.float("TASKS_LEASE_SECONDS", default=60)
# A task whose worker died this many times while running it is marked failed, not run again.
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=5)
# An e-mail that failed this many times (SMTP refusal, rendering error) stays "failed".
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The uploads anyone may see (product and producer photos, organisation logos): the web
# server serves these folders of MEDIA_ROOT, never the rest (message attachments).
PUBLIC_MEDIA_FOLDERS = ("products", "producers", "organisations")
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

# The address of the site, for links in e-mails sent by the worker (no request there).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Car-boot pickup: a member may say "I have arrived" from this many minutes before their slot
# (on the pickup's day) until the pickup ends.
CAR_BOOT_ARRIVAL_MINUTES_BEFORE = env.int("CAR_BOOT_ARRIVAL_MINUTES_BEFORE", default=60)
# A missing product's e-mail to the member waits this long, so that a volunteer's "Missing"
# undone meanwhile sends nothing (after it, the member gets a correction instead).
MISSING_PRODUCT_EMAIL_DELAY_MINUTES = env.int("MISSING_PRODUCT_EMAIL_DELAY_MINUTES", default=10)

# Photos and logos: a file over PHOTO_MAX_MB, or an image over PHOTO_MAX_MEGAPIXELS (read from
# its header: a small file may unpack to gigabytes when the thumbnail is made), is refused.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_MB", default=10) * 1024 * 1024
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_MEGAPIXELS", default=50) * 1_000_000
# Product files (CSV/XLSX) larger than this are refused before being read.
CATALOG_IMPORT_MAX_BYTES = env.int("CATALOG_IMPORT_MAX_MB", default=5) * 1024 * 1024
# DFC catalogs fetched from another platform's address (cabas/dfc/fetching.py): an address
# on a private, local or link-local network is refused unless this is on (a test server).
CABAS_DFC_FETCH_ALLOW_PRIVATE = env.bool("CABAS_DFC_FETCH_ALLOW_PRIVATE", default=False)

# Uploaded tables (product and member imports) once unpacked: checked before any parser runs
# (an XLSX's declared sizes and dimension), then counted while reading (cabas/core/tables.py).
TABLE_IMPORT_MAX_ROWS = env.int("TABLE_IMPORT_MAX_ROWS", default=20_000)
TABLE_IMPORT_MAX_COLUMNS = env.int("TABLE_IMPORT_MAX_COLUMNS", default=100)
TABLE_IMPORT_MAX_CELLS = env.int("TABLE_IMPORT_MAX_CELLS", default=1_000_000)
TABLE_IMPORT_MAX_UNCOMPRESSED_MB = env.int("TABLE_IMPORT_MAX_UNCOMPRESSED_MB", default=50)
TABLE_IMPORT_MAX_SHARED_STRINGS_MB = env.int("TABLE_IMPORT_MAX_SHARED_STRINGS_MB", default=20)
TABLE_IMPORT_MAX_COMPRESSION_RATIO = env.int("TABLE_IMPORT_MAX_COMPRESSION_RATIO", default=100)
TABLE_IMPORT_MAX_LINE_CHARS = env.int("TABLE_IMPORT_MAX_LINE_CHARS", default=100_000)

# The API's catalog and slots of an open sale, and the checkout page's pickups and slots, are
# built once per this many seconds in each server process and used as built in between (every
# shopper reads them before ordering); availability and places are checked again, for real,
# when the order is placed. 0: off.
SHOP_CACHE_SECONDS = env.float("SHOP_CACHE_SECONDS", default=1.0)

# The DFC API (docs/interop.md "Authentication"): besides its own tokens, OpenID Connect access
# tokens (JWT) of this issuer, checked against its keys (a JWKS address, fetched with a timeout
# and cached, or a local JSON file). Empty issuer: off, every JWT is refused.
DFC_OIDC_ISSUER = env("CABAS_DFC_OIDC_ISSUER", default="").strip()
DFC_OIDC_AUDIENCE = env("CABAS_DFC_OIDC_AUDIENCE", default="").strip()
DFC_OIDC_JWKS_URL = env("CABAS_DFC_OIDC_JWKS_URL", default="").strip()
DFC_OIDC_JWKS_FILE = env("CABAS_DFC_OIDC_JWKS_FILE", default="").strip()

# Product and producer photos: thumbnails by easy-thumbnails, made on first display, except the
# shop's, made when the photo is uploaded (catalog.photos) and named on the product.
THUMBNAIL_ALIASES = {
    "": {
        "shop": {"size": (160, 160), "crop": "smart", "quality": 80},
        "card": {"size": (320, 240), "crop": "smart", "quality": 80},
        "small": {"size": (96, 96), "crop": "smart", "quality": 80},
    }
}

# --- Security (production: DEBUG=false) -----------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' HSTS preload list binds the whole domain for months: an
        # operator's decision (SECURE_HSTS_PRELOAD=true), not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # No script of ours reads the CSRF cookie (forms carry the token), so none may.
    CSRF_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# Scripts and styles come from our own static files only: no inline script runs unless it
# carries the response's nonce (``nonce="{{ CSP_NONCE }}"``), no inline style or event
# attribute, no eval (so no htmx ``hx-on`` nor ``js:`` values; no template uses them). The
# map's tiles are the one outside source; ``data:`` is Leaflet's blank image for dropped tiles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
