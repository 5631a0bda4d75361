"""Settings for the test suite: fast hashing, in-memory e-mail.

SQLite in memory unless DATABASE_URL is set (CI sets it to a PostgreSQL database).
"""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config()}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# WhiteNoise looks a static file up when it is asked for, instead of reading every file's
# headers when the middleware starts: the test client starts the middleware anew for
# every test, and reading some 1,500 files each time was a third of the suite's time.
WHITENOISE_AUTOREFRESH = True
