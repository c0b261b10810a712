"""Settings for the test suite: the product's settings, with what a test run needs instead of production's."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")

from integrity.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # emptied before each test

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The browser tests' live server answers from several threads. On an in-memory test database they would all share
    # the test's one connection, and two requests at once can deadlock: one inside SQLite calling one of Django's
    # Python functions (it waits for the GIL) while another holds the GIL binding its parameters (it waits for the
    # connection). A file in memory (or in the temporary directory) gives each thread its own connection. The
    # name is this run's (the workers of one run share the token; pytest-django adds each worker's suffix).
    _memory = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    _token = os.environ.setdefault("TEST_DATABASE_TOKEN", str(os.getpid()))
    DATABASES["default"]["TEST"] = {"NAME": str(_memory / f"integrity-test-{_token}.sqlite3")}  # noqa: F405

# A replica alias that is the test database itself; the router is switched on by the tests of reading from a replica.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
