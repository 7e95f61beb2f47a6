"""Django settings, read from the environment so that one install serves any workspace.

=============================  ==========================================================
``HEALTHGAP_WORKSPACE``        the workspace folder (its warehouse is what the app shows)
``HEALTHGAP_DATABASE_URL``     ``postgresql://user:password@host:port/name`` to keep users
                               in PostgreSQL; default SQLite ``web.sqlite3`` in the workspace
``HEALTHGAP_SECRET_KEY``       signing key; default a random key kept in the workspace's
                               ``.secret_key`` file (mode 600)
``HEALTHGAP_ALLOWED_HOSTS``    comma-separated host names (default ``127.0.0.1,localhost``)
``HEALTHGAP_INSECURE_COOKIES`` ``1`` allows cookies over plain HTTP (set by ``healthgap
                               serve`` on a loopback address only)
``HEALTHGAP_DEBUG``            ``1`` for Django's debug pages (never in production)
=============================  ==========================================================
"""

from __future__ import annotations

import os
from pathlib import Path

from healthgap.web._config import database, plotly_folder, secret_key

_env = os.environ.get

_workspace = _env("HEALTHGAP_WORKSPACE")
WORKSPACE: Path | None = Path(_workspace) if _workspace else None
BASE_DIR = Path(__file__).resolve().parent

DEBUG = _env("HEALTHGAP_DEBUG") == "1"
SECRET_KEY = secret_key(_env("HEALTHGAP_SECRET_KEY"), WORKSPACE)
ALLOWED_HOSTS = [
    h.strip() for h in _env("HEALTHGAP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "healthgap.web.accounts",
    "healthgap.web.audit",
    "healthgap.web.dashboard",
    "healthgap.web.plan",
    "healthgap.web.voice",
    "healthgap.web.tokens",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "healthgap.web.urls"
WSGI_APPLICATION = "healthgap.web.wsgi.application"

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
                "django.template.context_processors.csp",
                "healthgap.web.context.workspace",
            ],
            "builtins": ["healthgap.web.templatetags.healthgap"],
        },
    }
]

DATABASES = {"default": database(_env("HEALTHGAP_DATABASE_URL"), WORKSPACE)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # serve straight from the apps: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/plotly", plotly_folder())]

# Security: cookies only over HTTPS unless `healthgap serve` runs on loopback.
_secure = _env("HEALTHGAP_INSECURE_COOKIES") != "1"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # no database read per request
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # plotly.js sets inline styles on the elements it draws
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING"}},
}
