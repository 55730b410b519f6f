"""Test settings: trade security for speed, keep behaviour.

DATABASE_URL and REDIS_URL are honoured, so the same suite runs on the embedded default and on
PostgreSQL + Redis (CI runs both).
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x1y2z3" * 10)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# The test client's origin, so websocket tests pass the Origin check (config/asgi.py).
os.environ.setdefault("CSRF_TRUSTED_ORIGINS", "http://testserver")

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.locmem.Backend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
if STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):
    STORAGES["private"] = {
        **STORAGES["private"],
        "OPTIONS": {"location": str(MEDIA_ROOT.parent / ".test-private-media"), "base_url": None},
    }
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # One persistent connection per thread would hold test databases open between tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A test database need not survive a power cut: commits return without waiting for the disk
    # (each one waited ~3 ms here, and live-server and websocket tests commit thousands of times).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
else:
    # One file per test run, so two runs in one work tree never share (and corrupt) it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
# Serve static files from the app folders, as in development: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
