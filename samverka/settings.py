# SPDX-License-Identifier: AGPL-3.0-or-later
"""One settings file, driven by environment variables (see docs/operations.md).

Defaults give a local SQLite installation with DEBUG off (friendly error pages;
DEBUG=1 turns Django's debug pages on). SAMVERKA_PRODUCTION=1 turns on the
secure production profile, in which `manage.py check --deploy` reports nothing.
"""

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE (secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("SAMVERKA_PRODUCTION", False)
# Opt-in: the debug 404 page lists every URL, so a demo must not show it by accident.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = "django-insecure-local-development-only-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with a site that requires a verified second factor.
    "samverka.accounts.admin_site.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "ninja",  # its static files: Swagger UI for /api/docs, served locally
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "samverka.core",
    "samverka.accounts",
    "samverka.directory",
    "samverka.partnerships",
    "samverka.agreements",
    "samverka.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "samverka.urls"
FORM_RENDERER = "samverka.core.forms.FormRenderer"
WSGI_APPLICATION = "samverka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file by default, DATABASE_URL for PostgreSQL. Persistent
# connections: opening one per request was measured to cost 43 % of throughput.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'samverka.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding sends parameters apart from the SQL, in binary where
    # asked (the search index's batches: 7 ms instead of 23 ms to parse their
    # arrays). Statements are not prepared (Django's default): a generic plan
    # took a common-word search from 6 ms to 40 ms of database time. Turn
    # binding off behind a PgBouncer older than 1.21 in transaction mode.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True)
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTHENTICATION_BACKENDS = ["samverka.accounts.ratelimit.RateLimitedModelBackend"]
# Two-factor authentication (django-otp): a TOTP app, with single-use recovery
# codes. Required for platform administrators (accounts/twofactor.py).
OTP_TOTP_ISSUER = "Samverka"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows keys or recovery codes
TWO_FACTOR_RECOVERY_CODES = 10
# Failed logins slow down the client address, never lock the account
# (accounts/ratelimit.py): free failures per account from one address, and per
# address for any names, then a wait of 1 minute doubling up to the maximum.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 100)
LOGIN_THROTTLE_MAX_MINUTES = env_int("LOGIN_THROTTLE_MAX_MINUTES", 15)
# Reverse proxies in front that append to X-Forwarded-For; 0 = use REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# A password reset link works once, for this many seconds.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 3600)
# At most one reset e-mail per account in this many minutes (no mailbox flooding).
PASSWORD_RESET_EMAIL_MINUTES = env_int("PASSWORD_RESET_EMAIL_MINUTES", 5)
# Personal data of accounts that are gone or unused is erased after this long.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 730)

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

# Languages: every screen in Swedish, Norwegian Bokmål, Danish and English.
# The browser's Accept-Language decides until the user chooses (cookie, profile).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("nb", _("Norwegian Bokmål")),
    ("da", _("Danish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as Europe writes them ("6 Dec 2026, 20:49"), not American.
FORMAT_MODULE_PATH = ["samverka.core.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", _NODE / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/inter", _NODE / "@fontsource-variable" / "inter"),
]
# Always the manifest storage (tests swap it in conftest.py), so `./run setup`
# writes the manifest whatever the mode, and production can start after it. With
# DEBUG on, static URLs are not fingerprinted and whitenoise finds files unbuilt.
# `check --deploy` fails when STATIC_ROOT has no manifest (core/checks.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Uploads over 2.5 MB wait here while their request runs. A folder of our own,
# so `manage.py expire_uploads` can delete what interrupted requests leave
# without touching other programs' files in /tmp.
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", str(BASE_DIR / "var" / "tmp" / "uploads"))
# (Not on a read-only checkout, e.g. collectstatic in an image build.)
with contextlib.suppress(OSError):
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# Uploaded import files never committed are deleted after this many hours,
# Django's temporary upload files after SAMVERKA_UPLOAD_TEMP_MAX_AGE_HOURS,
# and a running job without a heartbeat for SAMVERKA_JOB_STALE_SECONDS is
# taken to have lost its worker (see samverka/core/jobs.py).
SAMVERKA_UPLOAD_RETENTION_HOURS = env_int("SAMVERKA_UPLOAD_RETENTION_HOURS", 24)
SAMVERKA_UPLOAD_TEMP_MAX_AGE_HOURS = env_int("SAMVERKA_UPLOAD_TEMP_MAX_AGE_HOURS", 6)
SAMVERKA_JOB_STALE_SECONDS = env_int("SAMVERKA_JOB_STALE_SECONDS", 15 * 60)

# Background work: Django's task framework on a database queue (worker:
# `manage.py db_worker`). Tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# E-mail (Django 6.1 MAILERS): SMTP to EMAIL_HOST when set; in production
# without it, a local MTA on localhost:25; otherwise the console.
_email_host = env("EMAIL_HOST")
if _email_host or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": env_int("EMAIL_PORT", 587 if _email_host else 25),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(_email_host)),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Samverka <noreply@samverka.invalid>")

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Security. The CSP has no 'unsafe-inline': no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "samverka.core.views.csrf_failure"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
