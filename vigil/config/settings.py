"""Django settings, built from the one VigilSettings object."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from vigil.config.env import VigilSettings
from vigil.config.mapsource import checked as checked_map_background

VIGIL = VigilSettings.from_env()


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # Writers queue instead of failing half-way; WAL lets readers carry on.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
            ),
        }
        config["TEST"] = {"NAME": None}  # in-memory test database
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


SECRET_KEY = VIGIL.secret_key
DEBUG = VIGIL.debug
ALLOWED_HOSTS = list(VIGIL.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "vigil.audit",
    "vigil.records",
    "vigil.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vigil.web.headers.NoStore",  # after WhiteNoise: static files keep their caching
    "vigil.api.problems.ApiProblems",  # Django's own answers under /api/ as JSON problems
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigil.web.signin.SecondFactorRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "vigil.config.urls"
WSGI_APPLICATION = "vigil.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The public portal (vigil.portal) is a face, not an app: its templates are found here.
        "DIRS": [Path(__file__).resolve().parents[1] / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.web.navigation.permissions",
            ],
        },
    }
]

DATABASES = {"default": _database(VIGIL.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeout: a session expires VIGIL_IDLE_MINUTES after its last request (every request
# saves the session, pushing its expiry on).
SESSION_COOKIE_AGE = int(VIGIL.idle_minutes * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = VIGIL.secure_cookies
CSRF_COOKIE_SECURE = VIGIL.secure_cookies
CSRF_COOKIE_HTTPONLY = True

# Sign-in: the password (argon2), then a TOTP code (django-otp) before any other page.
# Lockout (django-axes): VIGIL_LOGIN_FAILURES failed sign-ins for one user name, whether or not
# the account exists, lock that name out for VIGIL_LOCKOUT_MINUTES with the same page for all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = VIGIL.login_failures
AXES_COOLOFF_TIME = timedelta(minutes=VIGIL.lockout_minutes)
# By user name only: officers often share one address (a station's proxy), so locking an
# address would lock out a whole station; hence axes' warning about addresses is silenced.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vigil.web.signin.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Vigil"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HSTS: sent on requests that came over TLS only (Django's SecurityMiddleware), for
# VIGIL_HSTS_SECONDS (a year by default, 0 to send none). Behind a proxy that terminates TLS,
# VIGIL_PROXY_SSL_HEADER ('X-Forwarded-Proto: https') tells Django a request came over TLS;
# set it only if the proxy always sets or strips that header, or a client could claim TLS.
SECURE_HSTS_SECONDS = VIGIL.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = VIGIL.proxy_ssl_header


# The series map's background (VIGIL_MAP_TILES): a wrong value stops Vigil here, naming it.
MAP_BACKGROUND = checked_map_background(VIGIL.map_tiles)


# Content-Security-Policy (django-csp) on every answer: scripts, styles, images and fonts from
# Vigil itself only (the vendor packages are served from /static/vendor/), no inline script or
# style, no plug-ins, no framing, forms posting back to Vigil only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MAP_BACKGROUND.image_sources()],
        "font-src": [SELF],
        "connect-src": [SELF, *MAP_BACKGROUND.connect_sources()],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Django's own logging (its DEFAULT_LOGGING, restated) with one filter first on every handler and
# on the loggers that carry requests: a record about a portal page loses the request (address,
# browser, referrer), so no handler, not even the administrators' e-mail, can write them
# (vigil.portal.logs).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "require_debug_true": {"()": "django.utils.log.RequireDebugTrue"},
        "forget_portal_requests": {"()": "vigil.portal.logs.ForgetPortalRequests"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {
            "level": "INFO",
            "filters": ["forget_portal_requests", "require_debug_true"],
            "class": "logging.StreamHandler",
        },
        "django.server": {
            "level": "INFO",
            "filters": ["forget_portal_requests"],
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["forget_portal_requests", "require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO"},
        # At the source too, so that no handler added later (a test's, an operator's) sees it.
        "django.request": {"filters": ["forget_portal_requests"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["forget_portal_requests"],
        },
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = VIGIL.time_zone
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# `vigil serve` and `vigil demo` collect here; WhiteNoise serves it (and, in DEBUG, the finders).
STATIC_ROOT = VIGIL.static_root
# Front-end packages from the npm registry (`make install` runs `npm ci`), served from
# node_modules under a vendor/ prefix, never copied into the repository.
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
STATICFILES_DIRS = [
    ("vendor/govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("vendor/moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/cytoscape", NODE_MODULES / "cytoscape" / "dist"),
]
