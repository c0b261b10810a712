"""One settings module for every environment, read from the environment.

Development needs nothing set: SQLite under ``var/`` and an embedded (filesystem) Celery broker.
Production sets ``DJANGO_DEBUG=0``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL`` and
``CELERY_BROKER_URL``; with those, ``manage.py check --deploy`` is clean.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Where development keeps its SQLite file, broker queue and files (created when they are used: a fresh clone has none).
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    # Refuse to start in production with a guessable key rather than run insecurely.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

# The key of the keyed hashes: the audit log's chain and archive files, and the seals of filed records and printed
# archives (``integrity.digests``). Set it apart from the secret key so that one leaking does not give the other;
# falls back to the secret key. Changing it makes every earlier seal read as forged: keep it with the backups.
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default=SECRET_KEY)
# The hash algorithm of new documents, seals and audit rows: "sha256" or "sm3" (国密 SM3). Earlier hashes name the
# algorithm they were made with and keep verifying after a change.
DOCUMENT_HASH_ALGORITHM = env.str("DOCUMENT_HASH_ALGORITHM", default="sha256")
# Imports (cases, the catalog, staff lists): the largest file taken, and the most rows read from it.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
EXPORT_MAX_ROWS = env.int("EXPORT_MAX_ROWS", default=100_000)  # the most rows one list export writes
# The name authenticator apps show beside the account (the second factor, ``integrity.second_factor``).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="廉政风险防控")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "integrity.apps.IntegrityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "integrity",
    "risks",
    "cases",
    "alerts",
    "inspections",
    "archives",
    "reports",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "integrity.middleware.SessionSecurityMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "integrity.middleware.InstitutionTimezoneMiddleware",
    "axes.middleware.AxesMiddleware",
    "integrity.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "integrity.urls"
WSGI_APPLICATION = "integrity.wsgi.application"
ASGI_APPLICATION = "integrity.asgi.application"

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
                "integrity.context_processors.navigation",
                "desk.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one file in development: wait rather than fail on a lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# A PostgreSQL replica, when there is one: the board and the lists read from it (``integrity.replica``); the pages that
# follow a write read from the primary for REPLICA_LAG_SECONDS.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], CONN_HEALTH_CHECKS=True)
    DATABASE_ROUTERS = ["integrity.replica.ReplicaRouter"]
REPLICA_LAG_SECONDS = env.int("REPLICA_LAG_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "integrity.Officer"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "integrity.backends.OfficerBackend"]
# Sign-in through the institution's directory (LDAP or Active Directory), when LDAP_SERVER_URI is set: the directory
# checks the password; the officer is found by the directory attribute LDAP_OFFICER_ATTRIBUTE (工号, by default
# employeeNumber) matched to their staff number; nobody is created here. Local passwords stay for the others (the
# administrators), tried after the directory.
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
if LDAP_SERVER_URI:
    import ldap
    from django_auth_ldap.config import LDAPSearch

    AUTH_LDAP_SERVER_URI = LDAP_SERVER_URI
    AUTH_LDAP_BIND_DN = env.str("LDAP_BIND_DN", default="")
    AUTH_LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", default="")
    AUTH_LDAP_START_TLS = env.bool("LDAP_START_TLS", default=False)
    AUTH_LDAP_USER_SEARCH = LDAPSearch(
        env.str("LDAP_USER_SEARCH_BASE"), ldap.SCOPE_SUBTREE, env.str("LDAP_USER_FILTER", default="(uid=%(user)s)")
    )
    AUTH_LDAP_USER_QUERY_FIELD = "staff_number"
    AUTH_LDAP_USER_ATTR_MAP = {"staff_number": env.str("LDAP_OFFICER_ATTRIBUTE", default="employeeNumber")}
    AUTH_LDAP_NO_NEW_USERS = True
    AUTH_LDAP_ALWAYS_UPDATE_USER = False
    AUTHENTICATION_BACKENDS.insert(1, "integrity.directory.DirectoryBackend")
# Or through the institution's unified identity platform by OpenID Connect, when OIDC_AUTHORIZATION_ENDPOINT is set:
# the officer is found by the claim OIDC_OFFICER_CLAIM (their staff number); nobody is created here.
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
if OIDC_OP_AUTHORIZATION_ENDPOINT:
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="") or None
    OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
    OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid profile")
    OIDC_OFFICER_CLAIM = env.str("OIDC_OFFICER_CLAIM", default="employee_number")
    OIDC_CREATE_USER = False
    OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
    LOGIN_REDIRECT_URL_FAILURE = "login"
    AUTHENTICATION_BACKENDS.insert(1, "integrity.identity.IdentityPlatformBackend")
# Five wrong passwords for one account from one address lock it for a quarter of an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
# Locked per account whatever the address, and per address whatever the account (password spraying).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_VERBOSE = DEBUG
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Length, character classes, not the username, not a recent one: the security policy's rules (integrity.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "integrity.passwords.PolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Content-Security-Policy: every script, style, font and image comes from the product itself (no inline script or
# style, no CDN); nothing may frame its pages. Inline SVG drawn in the pages uses presentation attributes only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# A session lasts at most this long, and ends after SESSION_IDLE_MINUTES without the user doing anything (the
# board's and the bell's polling do not count).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# How often an open page asks for the count beside "my to-dos" (a page out of sight does not ask; static/js/poll.js);
# 0: only when a page opens or is shown again. A province's thousands of open pages make this the busiest request
# there is: see the README's production section.
TODO_POLL_SECONDS = max(env.int("TODO_POLL_SECONDS", default=30), 0)

# Chinese first; English for visitors and developers. Dates follow the institution's zone.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="integrity@localhost")

# Production hardening. Intranet deployments terminate TLS at a reverse proxy, which sets the header below.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# The cache holds only what is cheap to lose (the warning board's counts between two light runs). Redis in
# production (``CACHE_URL=redis://…``); files under var/ otherwise, so the web and worker processes see the same.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# Celery: with no broker configured, a filesystem transport under var/ lets `make run` work with no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    for _folder in (_broker_dir, VAR_DIR / "celery" / "processed"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
else:
    # A message taken by a worker that died comes back after this long (Redis's default is an hour); the jobs it
    # starts take themselves over by their own stale times (a batch print 10 minutes, a case import 30); a batch
    # print's chunk takes well under a minute.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}
# The long jobs have queues of their own, so that a province's printing or imports can be given workers of their own
# (``celery worker -Q printing``); one worker serving every queue is the default (docker-compose.yml).
CELERY_TASK_ROUTES = {
    "alerts.compute_lights": {"queue": "lights"},
    "archives.print_batch": {"queue": "printing"},
    "archives.print_chunk": {"queue": "printing"},
    "archives.merge_batch": {"queue": "printing"},
    "cases.import_file": {"queue": "imports"},
    "risks.import_batch": {"queue": "imports"},
    "integrity.check_staff_list": {"queue": "imports"},
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Named beat entries. The monthly job runs every night rather than only on the 1st, so a night the worker was
# down is caught up the next; it is idempotent, so the extra runs change nothing.
CELERY_BEAT_SCHEDULE: dict = {
    "open-risk-tables": {"task": "risks.open_risk_tables", "schedule": crontab(minute=5, hour=0)},
    "open-monthly-checks": {"task": "risks.open_monthly_checks", "schedule": crontab(minute=10, hour=0)},
    # Lights: hourly, and just after midnight (after the month's checks are opened) so day changes show at once.
    "compute-lights-hourly": {"task": "alerts.compute_lights", "schedule": crontab(minute=0)},
    "compute-lights-after-midnight": {"task": "alerts.compute_lights", "schedule": crontab(minute=15, hour=0)},
    "send-reminders": {"task": "alerts.send_reminders", "schedule": crontab(minute=30, hour="0,8,14")},
    # The outbox: what a change wrote is e-mailed within minutes; failures wait out their back-off.
    "deliver-emails": {"task": "alerts.deliver_emails", "schedule": crontab(minute="*/5")},
    # A large notice whose delivery job was lost or whose worker died is delivered again where it stopped.
    "deliver-pending-circulars": {"task": "alerts.deliver_pending_circulars", "schedule": crontab(minute="*/5")},
    "open-quarterly-assessments": {"task": "archives.open_quarter", "schedule": crontab(minute=25, hour=0)},
    "open-annual-talks": {"task": "archives.open_annual_talks", "schedule": crontab(minute=35, hour=0)},
    "open-risk-point-reviews": {"task": "risks.open_risk_point_reviews", "schedule": crontab(minute=38, hour=0)},
    "open-duty-accounts": {"task": "archives.open_duty_accounts", "schedule": crontab(minute=37, hour=0)},
    "open-return-visits": {"task": "alerts.open_return_visits", "schedule": crontab(minute=40, hour=0)},
    # Reports of the periods just ended are kept after the night's lights, so they read the same ever after.
    "keep-ended-reports": {"task": "reports.keep_ended_periods", "schedule": crontab(minute=55, hour=0)},
    "issue-supervision-notices": {"task": "cases.issue_supervision_notices", "schedule": crontab(minute=20, hour=0)},
    # A batch print whose workers died (or whose message was lost) is taken up again where it stopped.
    "resume-print-jobs": {"task": "archives.resume_print_jobs", "schedule": crontab(minute="*/5")},
    "archive-audit-log": {"task": "integrity.archive_audit_log", "schedule": crontab(minute=45, hour=1)},
    "forget-stale-upload-passwords": {
        "task": "integrity.forget_stale_upload_passwords",
        "schedule": crontab(minute=50, hour=1),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"  # Bootstrap 5, its pagination labelled in Chinese
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
DJANGO_TABLES2_PAGE_RANGE = 8

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The demo accounts' password; the demo institution is for evaluation, never for production data.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="integrity-demo")

PRODUCT_NAME = _("Integrity Risk Prevention and Control")
