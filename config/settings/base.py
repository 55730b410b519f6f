"""Settings for every environment, read from the environment.

Defaults give the embedded set-up (`make run`): SQLite, in-memory channel layer, console e-mail,
tasks run immediately. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS and
leaves DEBUG off; a half-configured production refuses to boot (see the end of this file).
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.storages import bucket_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value (for example the output "
            "of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DEBUG=true "
            "for a laptop."
        )
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105 - DEBUG only, refused otherwise

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and ("*" in ALLOWED_HOSTS or not ALLOWED_HOSTS):
    # The websocket Origin check is only as strict as ALLOWED_HOSTS.
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names (not '*').")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Alongside")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The charity behind the site, as printed on a volunteer's record (and anything else on paper).
ORGANISATION_NAME = env_str("ORGANISATION_NAME", SITE_NAME)
ORGANISATION_ADDRESS = env_str("ORGANISATION_ADDRESS")

INSTALLED_APPS = [
    # Ours first, so our templates override the ones of the packages below.
    "accounts",
    "notifications",
    "safeguarding",
    "volunteering",
    "mentoring",
    "chat",
    "cms",
    "stories",
    "impact",
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "mentoring.partners.middleware.PartnerAccessMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
# Threads per server process that run web pages (config/asgi.py); each keeps one database
# connection, so a process holds at most this many plus chat's few.
HTTP_THREADS = env_int("HTTP_THREADS", 10)
# Threads per server process that run the chat sockets' database work (chat/consumers.py), each
# keeping one database connection: chat's few.
CHAT_DB_THREADS = env_int("CHAT_DB_THREADS", 4)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.navigation",
                "accounts.context_processors.crisis_support",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------

# Persistent connections: web pages run on a fixed pool of threads (config/asgi.py) and chat's
# database calls on the event loop's executor, so each thread reuses its connection.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'alongside.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (the ASGI server, the live test server) share one file: wait, don't fail.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "alongside",
        }
    }
    # redis-py caps an async pool at 100 connections by default and then raises
    # MaxConnectionsError on a burst of group_send calls: size the pool explicitly.
    _redis_host = {
        "address": REDIS_URL,
        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000),
        "socket_connect_timeout": 2,
    }
    # "pubsub" (Redis pub/sub) or "core" (Redis lists); bench/chat_load.py compares them.
    CHANNEL_LAYER_KIND = env_str("CHANNEL_LAYER", "pubsub")
    if CHANNEL_LAYER_KIND not in {"pubsub", "core"}:
        raise ImproperlyConfigured("CHANNEL_LAYER must be pubsub or core.")
    CHANNEL_LAYERS = {
        "default": (
            {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [_redis_host]},
            }
            if CHANNEL_LAYER_KIND == "pubsub"
            else {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [_redis_host], "capacity": 1500, "expiry": 30},
            }
        )
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Anonymous pages are kept in each process's memory (no network trip to serve one); the key they
# are filed under changes on every publish (cms.models.PageCacheGeneration).
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- People and log-in --------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:today"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_SESSION_REMEMBER = None
# allauth's defaults limit failed log-ins per account and per IP, code requests, sign-ups and
# resets. They need a cache every process shares: Redis in production (REDIS_URL).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "login": "30/m/ip",
    "manage_email": "10/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Sessions are listed from log-in; tracking every request would cost a write per page.
USERSESSIONS_TRACK_ACTIVITY = False

# Staff sessions end sooner when idle: they can open sensitive records.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 60 * 60 * 2)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- Text messages and push (notifications) ----------------------------------------------------
# Like EMAIL_BACKEND: texts are printed in the terminal unless a provider is set. In production use
# notifications.sms.twilio.Backend with the TWILIO_* variables (README, "Text messages").
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.console.Backend")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID")
# The number a person can ring to reach a coordinator: in the answer to a text saying HELP.
# Empty: the answer says to text a message instead (it reaches the coordinators).
ORGANISATION_PHONE = env_str("ORGANISATION_PHONE")
if SMS_BACKEND == "notifications.sms.twilio.Backend" and not (
    TWILIO_ACCOUNT_SID
    and TWILIO_AUTH_TOKEN
    and (TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER)
):
    raise ImproperlyConfigured(
        "SMS_BACKEND is Twilio: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and either "
        "TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER."
    )
# Web push to the installed app: a VAPID key pair (base64url, `vapid --gen`) and a contact.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:hello@alongside.invalid")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alongside <no-reply@alongside.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language, time, files ----------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            # Hashed names need `collectstatic` first; a test server may go without (false).
            if DEBUG or not env_bool("STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Two storages: "default" holds public files (story and event images, their renditions), served
# at MEDIA_URL; "private" holds certificates and anything personal, never served by address:
# only through a view that checks who is asking and audits the view (volunteering:certificate).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
}
# With MEDIA_BUCKET, both live in S3-compatible object storage (django-storages), so several
# machines share them: public files under public/ (the bucket policy lets anyone read that
# prefix; long cache headers), private files under private/, handed out only as signed
# addresses that stop working after PRIVATE_URL_SECONDS.
MEDIA_BUCKET = env_str("MEDIA_BUCKET")
PRIVATE_URL_SECONDS = env_int("PRIVATE_URL_SECONDS", 60)
if MEDIA_BUCKET:
    STORAGES.update(
        bucket_storages(
            bucket=MEDIA_BUCKET,
            endpoint_url=env_str("MEDIA_ENDPOINT_URL"),
            region=env_str("MEDIA_REGION", "eu-west-2"),
            access_key=env_str("MEDIA_ACCESS_KEY_ID"),
            secret_key=env_str("MEDIA_SECRET_ACCESS_KEY"),
            custom_domain=env_str("MEDIA_DOMAIN"),
            private_url_seconds=PRIVATE_URL_SECONDS,
        )
    )

# Uploads: limit sizes explicitly (Django's memory limit ignores files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

# --- Security headers ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
# Browser features no page of ours uses, off for every page (config.middleware).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    # Every asset is served by us: no third-party host appears anywhere.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# The Wagtail admin still carries inline scripts and styles; it gets its own, looser policy that
# still names no third-party host (config.middleware.AdminContentSecurityPolicyMiddleware).
ADMIN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)
MIDDLEWARE.append("config.middleware.AdminContentSecurityPolicyMiddleware")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters.")

# Where to turn in a crisis: shown in every page's footer, on the home page and in chat when a
# message suggests someone is in danger. A charity sets its own with CRISIS_SUPPORT_* variables.
CRISIS_SUPPORT_LINES = [
    {
        "name": env_str("CRISIS_SUPPORT_NAME", "Samaritans"),
        "phone": env_str("CRISIS_SUPPORT_PHONE", "116 123"),
        "text": env_str(
            "CRISIS_SUPPORT_TEXT", "Free, any time, day or night, whatever you are going through."
        ),
    },
    {
        "name": "Emergency services",
        "phone": "999",
        "text": "If someone is in danger or has taken too much of something, call now.",
    },
    {
        "name": "FRANK",
        "phone": "0300 123 6600",
        "text": "Honest, confidential information and advice about drugs, any time.",
    },
    {
        "name": "Shout",
        "phone": "85258",
        "how": "text",
        "text": "Text SHOUT to 85258 if you would rather write than talk. Free, any time.",
    },
]

# A mentor a mentee chose from a shortlist has this long to say yes or no; then the mentee's next
# choice is asked (or the coordinators told, when no choice is left).
MENTOR_ANSWER_HOURS = env_int("MENTOR_ANSWER_HOURS", 48)

# A crisis item nobody has claimed or handled after this long goes to the safeguarding leads.
CHAT_CRISIS_ESCALATE_MINUTES = env_int("CHAT_CRISIS_ESCALATE_MINUTES", 15)

# Websocket frames: an explicit cap whichever server runs (daphne's own default is far larger).
WEBSOCKET_MAX_MESSAGE_BYTES = 64 * 1024

# --- Wagtail ------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"  # alt text required, metadata stripped
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"  # type by content, pixel bombs refused
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_UPLOAD_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Documents always pass through Wagtail's view, which checks a private collection's rules; a
# redirect to the bucket would hand anyone the file.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_FINDERS: list = []  # nothing embedded from third parties
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": ("wagtail.search.backends.database"),
    }
}

# --- Volunteering (volunteering/) -------------------------------------------------------------


# What an hour of volunteering is worth, for the "value of volunteering" in reports. The default
# is the UK National Living Wage from April 2025; set the figure your funders ask you to use.
def _volunteer_hour_value():
    from decimal import Decimal, InvalidOperation

    raw = env_str("VOLUNTEER_HOUR_VALUE_GBP", "12.21")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        raise ImproperlyConfigured(
            f"VOLUNTEER_HOUR_VALUE_GBP must be an amount in pounds, not {raw!r}."
        )
    return value


VOLUNTEER_HOUR_VALUE_GBP = _volunteer_hour_value()


# --- Retention (accounts/retention.py) ---------------------------------------------------------

# How many months each sensitive record is kept (rules declared in each app's retention.py, applied
# by `manage.py run_daily`, listed on "My data"). Override one with RETENTION_MONTHS_<KEY>, the key
# in capitals with "_" for "." (RETENTION_MONTHS_CHAT_MESSAGES=12).
RETENTION_MONTHS = {
    key: env_int("RETENTION_MONTHS_" + key.upper().replace(".", "_"), months)
    for key, months in {
        "mentoring.risk_notes": 12,
        "volunteering.dbs_disclosures": 12,
        "volunteering.risk_assessments": 12,
        "chat.messages": 24,
        "accounts.audit": 72,
    }.items()
}


# --- Mentoring (mentoring/) ---------------------------------------------------------------------

# The programme's eligibility rule for peer mentors: released from prison, or in recovery, for at
# least this many months (mentoring.matching.Rules.min_months). Scoring weights are not settings:
# they live in mentoring/matching.py (DEFAULT_WEIGHTS), shown to coordinators beside suggestions.
MENTORING_ELIGIBLE_AFTER_MONTHS = env_int("MENTORING_ELIGIBLE_AFTER_MONTHS", 12)


# --- Chat (chat/) -------------------------------------------------------------------------------

# Rate limit per member and room (token bucket): a burst, then a steady rate.
CHAT_RATE_BURST = env_int("CHAT_RATE_BURST", 6)
CHAT_RATE_PER_SECOND = env_int("CHAT_RATE_PER_MINUTE", 30) / 60
# A new member's first messages in a group wait for a moderator (0 turns this off).
CHAT_NEW_MEMBER_HOLD = env_int("CHAT_NEW_MEMBER_HOLD", 3)
# Distinct reporters that hide a message until a moderator looks.
CHAT_REPORTS_TO_HIDE = 3
CHAT_EDIT_SECONDS = 5 * 60
CHAT_HISTORY_PAGE = 50
# bench/chat_load.py's bare broadcast consumer (no auth, no database): never on in production.
CHAT_BENCH_ROUTES = env_bool("CHAT_BENCH_ROUTES", default=False)
if CHAT_BENCH_ROUTES and not DEBUG and env_str("CHAT_BENCH_I_KNOW") != "loopback":
    raise ImproperlyConfigured("CHAT_BENCH_ROUTES is for bench/chat_load.py on loopback only.")


# --- Stories, events and site (stories/, cms/) ---------------------------------------------------

# Anonymous visitors get published pages from a cache, invalidated on every publish/unpublish
# (cms.middleware); a withdrawn story vanishes on the next request.
MIDDLEWARE.append("cms.middleware.AnonymousPageCacheMiddleware")
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 * 10)
# Where the page cache's generation lives: in the shared cache when there is one (every process
# sees a bump at once, and a cached page costs no database query), else in the database.
PAGE_CACHE_GENERATION_IN_CACHE = bool(REDIS_URL)
# Storyteller approval then moderator publishing; a story's workflow must not silently skip.
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
# A finished review publishes even when its last approver may not publish directly (the
# involvement lead approving a story): stories/workflows.py.
WAGTAIL_FINISH_WORKFLOW_ACTION = "stories.workflows.publish_workflow_state"
WAGTAIL_MODERATION_ENABLED = True


# --- Logging: nothing sensitive; errors to stderr -----------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
