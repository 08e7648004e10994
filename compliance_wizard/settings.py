"""Settings for the compliance wizard. Everything that differs per installation comes from the environment."""

from pathlib import Path

import dj_database_url

from compliance_wizard.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Only the development default is built in; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "compliance_wizard.catalog",
    "compliance_wizard.report",
    "compliance_wizard.wizard",
    "compliance_wizard.assessments",
    "compliance_wizard.accounts",
    "compliance_wizard.workspace",
    "compliance_wizard.chambers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before everything that builds URLs: it decides the chamber and the URL prefix of the request.
    "compliance_wizard.chambers.middleware.ChamberMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
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
STATIC_ROOT = BASE_DIR / "staticfiles"

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
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Mail (password reset, invitations): printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
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

# A stale form (e.g. after a long break) gets a friendly page instead of Django's bare 403.
CSRF_FAILURE_VIEW = "compliance_wizard.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
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
