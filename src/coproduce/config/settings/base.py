"""Settings shared by every environment. Environment-specific modules import from here."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

SRC_DIR = Path(__file__).resolve().parents[2]  # src/coproduce
REPO_DIR = SRC_DIR.parents[1]
VAR_DIR = Path(os.environ.get("COPRODUCE_VAR_DIR", REPO_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-only-key-change-me-in-production")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "coproduce.core.admin_site.CoproduceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "coproduce.core",
    "coproduce.accounts",
    "coproduce.programme",
    "coproduce.coaching",
    "coproduce.improvement",
    "coproduce.coproduction",
    "coproduce.equity_web",
    "coproduce.insights",
    "coproduce.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coproduce.core.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "coproduce.core.hostile_input.HostileInputMiddleware",
    "coproduce.core.middleware.AuditActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coproduce.config.urls"
WSGI_APPLICATION = "coproduce.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [SRC_DIR / "core" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "coproduce.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "coproduce.core.context_processors.navigation",
            ],
        },
    },
    {
        # Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'coproduce.sqlite3'}", conn_max_age=60
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # a request saves all or nothing
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:public-home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day

# Lock-out: five failed sign-ins for the same e-mail address lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "coproduce.accounts.lockout.username_for_lockout"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "coproduce.core.views.csrf_failure"  # the NHS page, in plain words
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NHS_FONT_HOST = "https://assets.nhs.uk"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Scripts are static files only: no inline script, no nonce (see ADR 130).
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK frontend loads the Frutiger web font from the NHS font host (ADR 130).
        "font-src": [SELF, NHS_FONT_HOST],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [
    ("nhsuk", REPO_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The NHS stylesheet names its icons by absolute path (/assets/images/...): served from here.
NHS_ASSETS_DIR = REPO_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk" / "assets"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "sent-emails"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Coproduce <no-reply@coproduce.invalid>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

COPRODUCE_SERVICE_NAME = "Coproduce"
# The site's own address, for links in e-mails sent outside a request (newsletter command).
COPRODUCE_SITE_URL = os.environ.get("COPRODUCE_SITE_URL", "http://127.0.0.1:8000")
# Weeks without figures or coaching after which a started ward counts as stalled on the
# dashboards (docs/adr/150-report-periods.md).
COPRODUCE_STALLED_WEEKS = int(os.environ.get("COPRODUCE_STALLED_WEEKS", "4"))

SILENCED_SYSTEM_CHECKS = [
    # Lock-out is per account, not per address: wards share one NHS network address, and
    # locking an address would lock a whole ward out.
    "axes.W006",
    # SQLite cannot hold the "one membership per role and place" constraint with empty
    # places; invitations.accept() uses get_or_create, and PostgreSQL enforces it.
    "models.W047",
]
