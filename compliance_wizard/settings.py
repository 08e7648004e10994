"""Settings for the compliance wizard. Everything that differs per installation comes from the environment."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from compliance_wizard.env import env_bool, env_int, env_list, env_required, env_str, split_list
from compliance_wizard.security import content_security_policy, frame_ancestors

BASE_DIR = Path(__file__).resolve().parent.parent

# PRODUCTION=1 turns on HTTPS-only cookies, HSTS, the SSL redirect and hashed static files, and refuses to
# start without the values that have no safe default. Without it (development, tests) nothing must be set.
PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when PRODUCTION is set: its error pages show code and settings")
if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY", "in production: a random string of 50 or more characters")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production")
    ALLOWED_HOSTS = split_list(env_required("ALLOWED_HOSTS", "in production: the site's host names, comma-separated"))
    DATABASE_URL = env_required("DATABASE_URL", "in production, e.g. postgres://user:password@host:5432/name")
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
    DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Forms posted from another origin (rarely needed: the site's own host names are always trusted).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",  # its system checks catch a policy written for another django-csp version
    "compliance_wizard.catalog",
    "compliance_wizard.report",
    "compliance_wizard.wizard",
    "compliance_wizard.assessments",
    "compliance_wizard.accounts",
    "compliance_wizard.workspace",
    "compliance_wizard.chambers",
    "compliance_wizard.reminders",
]

MIDDLEWARE = [
    # Outside everything that can answer on its own (the HTTPS redirect, WhiteNoise, the chamber lookup's 404,
    # CSRF failures, error pages), so that every response carries these headers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "compliance_wizard.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "compliance_wizard.security.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before everything that builds URLs: it decides the chamber and the URL prefix of the request.
    "compliance_wizard.chambers.middleware.ChamberMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last: it needs the resolved URL name, and its 429 page the chamber, the language and the user.
    "compliance_wizard.token_throttle.TokenThrottleMiddleware",
]

ROOT_URLCONF = "compliance_wizard.urls"
WSGI_APPLICATION = "compliance_wizard.wsgi.application"

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
                "compliance_wizard.chambers.public.chamber_context",
            ],
        },
    },
]

DATABASES = {
    # Health checks: a connection kept open across a database restart is replaced instead of failing a request.
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# German first: the users are German businesses.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "compliance_wizard" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"  # absolute: a chamber's /hwk/<slug>/ prefix must not apply to it
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves what collectstatic wrote: compressed, content hashes in the names, cached for a year.
    # Elsewhere WhiteNoise reads static/ directly, so development and tests need no collectstatic (a manifest
    # storage would refuse every {% static %} without one).
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not PRODUCTION
# The fonts are only read from disk by the PDF renderer: compressing them would cost collectstatic 20 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]

# The public address of the installation: every link in a mail is built from it, never from the Host of the
# request (compliance_wizard/sitelinks.py). Without it (development, tests) the request's own address is used.
if PRODUCTION:
    SITE_URL = env_required("SITE_URL", "in production: the public address, e.g. https://dsgvo-check.example.org/")
    if urlsplit(SITE_URL).scheme != "https" or not urlsplit(SITE_URL).hostname:
        raise ImproperlyConfigured(f"SITE_URL must be an https:// address in production, not {SITE_URL!r}")
else:
    SITE_URL = env_str("SITE_URL", "")

# Feedback address on the accessibility statement (Erklärung zur Barrierefreiheit).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")

# Consultants log in; anonymous visitors never need to.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "start"
# Failed logins per account name (and per client address) within the window lock further
# attempts until the window has passed: finite, so nobody can lock out a consultant for good.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Requests for a password-reset mail, counted per e-mail address and per client address.
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 60 * 60)
# Client links a consultant mails from the workspace (each mail goes out in their name), within the window.
CLIENT_LINK_MAIL_LIMIT = env_int("CLIENT_LINK_MAIL_LIMIT", 30)
CLIENT_LINK_MAIL_WINDOW_SECONDS = env_int("CLIENT_LINK_MAIL_WINDOW_SECONDS", 60 * 60)
# Wrong tokens (404 on a /draft/, /result/, reminder or account link) from one client address within the
# window refuse every further token lookup from it, right ones too, until the window has passed.
TOKEN_FAILURE_LIMIT = env_int("TOKEN_FAILURE_LIMIT", 20)
TOKEN_FAILURE_WINDOW_SECONDS = env_int("TOKEN_FAILURE_WINDOW_SECONDS", 10 * 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitation links use the password-reset token, so they expire like it (here: 3 days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# Shared by all app servers when REDIS_URL is set; the in-process default suits one server only.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis must cost a request a moment, not a worker timeout: the throttles then let
            # the request through (compliance_wizard/counters.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Mail (password resets, invitations, reminders): over SMTP when EMAIL_HOST is set. Without it, development
# prints mails to the console; production refuses to start, since the mails carry reset and invitation links
# that must not end up in a log, unless EMAIL_DISABLED=1 switches mail off: nothing is sent, the reset page
# says so, and reminders are not offered.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_DISABLED = env_bool("EMAIL_DISABLED", False)
if PRODUCTION and not EMAIL_HOST and not EMAIL_DISABLED:
    raise ImproperlyConfigured(
        "EMAIL_HOST must be set in production (mails carry password-reset and invitation links), "
        "or EMAIL_DISABLED=1 to send no mail at all"
    )
if EMAIL_DISABLED:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dsgvo-check@localhost")

# The rule files. A broken file stops start-up through the system checks.
CHECKLIST_DIR = Path(env_str("CHECKLIST_DIR", str(BASE_DIR / "checklists")))

# How long anonymous checks are kept; `manage.py purge_assessments` deletes older ones (run it daily).
RETENTION_DRAFT_DAYS = env_int("RETENTION_DRAFT_DAYS", 30)  # counted from the last answer
RETENTION_FINISHED_DAYS = env_int("RETENTION_FINISHED_DAYS", 90)  # counted from submission
# A consultant's clients: a link the client never used expires like an anonymous draft, but
# longer; an archived client is deleted with everything that belongs to it after this period.
RETENTION_CLIENT_DRAFT_DAYS = env_int("RETENTION_CLIENT_DRAFT_DAYS", 90)
RETENTION_ARCHIVED_CLIENT_DAYS = env_int("RETENTION_ARCHIVED_CLIENT_DAYS", 365)
# The retention job deletes this many checks per transaction: short transactions keep locks and the
# commit brief, and a crash loses one batch's work at most (docs/operations.md, The retention job).
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 2000)

# Bounds of one PDF report (compliance_wizard/report/limits.py): a rendering that takes longer is stopped
# (the user gets a "try again" page, 503), a report with more pages is not made (422). Slot wait (20 s) plus
# the timeout stay below gunicorn's 60 s worker timeout.
REPORT_RENDER_TIMEOUT = env_int("REPORT_RENDER_TIMEOUT", 35)
REPORT_MAX_PAGES = env_int("REPORT_MAX_PAGES", 150)
# A stored PDF nobody downloaded for this many days is deleted by `purge_assessments`; the next click renders
# it again, the same report, since it is made from the frozen result.
REPORT_CACHE_DAYS = env_int("REPORT_CACHE_DAYS", 14)
# What one client address may occupy (assessments/address_limits.py): reports rendered or waited for at the same
# time, and checks started per minute; 0 switches a limit off. And how many workers of one machine may be busy
# with reports at once, rendering or waiting (0: one more than the render slots, report/isolated.py), so
# that the others stay free for the wizard.
REPORT_RENDERS_PER_ADDRESS = env_int("REPORT_RENDERS_PER_ADDRESS", 2)
DRAFTS_PER_ADDRESS_PER_MINUTE = env_int("DRAFTS_PER_ADDRESS_PER_MINUTE", 20)
REPORT_BUSY_WORKERS = env_int("REPORT_BUSY_WORKERS", 0)
# The app server's worker count, as deploy/gunicorn.conf.py reads it (0: its default, 2 x cores + 1): the default
# of REPORT_BUSY_WORKERS leaves at least one worker for the wizard.
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 0)

# A stale form (e.g. after a long break) gets a friendly page instead of Django's bare 403.
CSRF_FAILURE_VIEW = "compliance_wizard.views.csrf_failure"

# -- HTTPS, cookies and security headers (every response: see the order of MIDDLEWARE) -------------------
# TLS ends at the reverse proxy; gunicorn (deploy/gunicorn.conf.py) believes its X-Forwarded-Proto when the
# request comes from one of TRUSTED_PROXIES, and ClientAddressMiddleware takes the client's address from
# its X-Forwarded-For (the login throttle counts failures per address).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
if env_bool("TRUST_X_FORWARDED_PROTO", False):  # for other app servers: only if every request passes the proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading binds the whole domain and its subdomains to HTTPS for months: the domain owner's decision.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Tokens in paths are keys to people's answers: no other site may see them in a Referer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A chamber that embeds the wizard in its own site lists that site's origin here (comma-separated);
# cross-site iframes do not get our SameSite=Lax cookies, so the wizard must be under the chamber's domain.
# (Not named CSP_*: django-csp reads those names as settings of its version 3.)
FRAME_ANCESTORS = frame_ancestors(env_str("CSP_FRAME_ANCESTORS", ""))
CONTENT_SECURITY_POLICY = content_security_policy(FRAME_ANCESTORS)
X_FRAME_OPTIONS = "DENY"
if FRAME_ANCESTORS:
    # X-Frame-Options cannot name the sites that may embed us (ALLOW-FROM is gone); frame-ancestors does.
    MIDDLEWARE.remove("django.middleware.clickjacking.XFrameOptionsMiddleware")
    SILENCED_SYSTEM_CHECKS.append("security.W002")

SECURE_COOKIES = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
# Messages live in a cookie: the wizard needs no session, so an expired one loses nothing.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Tokens in URLs are the keys to people's answers: they never reach the logs, and neither do IPs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "compliance_wizard.logfilters.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every rendering stage at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
