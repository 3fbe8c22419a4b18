"""Settings, read from the environment; SQLite in a local data folder by default."""

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from mentorbadges.lib.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("MENTORBADGES_DATA_DIR", str(Path.cwd() / "data")))


# Served over HTTPS in production: redirects, HSTS, secure cookies, and the
# secret key from the environment only.
HTTPS = env_bool("MENTORBADGES_HTTPS", False)


def _secret_key() -> str:
    """Return the key from the environment, else one kept in the data folder."""
    configured = env_str("MENTORBADGES_SECRET_KEY", "")
    if configured:
        return configured
    if HTTPS:
        raise ImproperlyConfigured(
            "MENTORBADGES_HTTPS is on, so MENTORBADGES_SECRET_KEY must be set."
        )

    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("MENTORBADGES_DEBUG", False)
ALLOWED_HOSTS = env_list("MENTORBADGES_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("MENTORBADGES_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "mentorbadges.programs",
    "mentorbadges.activity",
    "mentorbadges.badges",
    "mentorbadges.reports",
    "mentorbadges.web",
    "mentorbadges.api",
    "mentorbadges.health",
    "mentorbadges.notifications",
    "mentorbadges.sharing",
    "mentorbadges.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mentorbadges.urls"
WSGI_APPLICATION = "mentorbadges.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database() -> dict[str, object]:
    default_path = DATA_DIR / "mentorbadges.sqlite3"
    url = env_str("DATABASE_URL", f"sqlite:///{default_path}")
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config["NAME"])
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        # Writers queue instead of failing with "database is locked", and
        # readers never wait for a writer. The engine makes writers wait in
        # line on a lock file rather than poll SQLite's lock with sleeps.
        config["ENGINE"] = "mentorbadges.lib.sqlite"
        # Django's own default, said outright: test tools that know SQLite by
        # the stock engine's name would otherwise name a test file after ours.
        config["TEST"] = {"NAME": ":memory:"}
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            # A statement that fires triggers keeps a journal of its own in
            # case it must be undone alone; in memory, not in a temporary
            # file, that costs little. An 8 MB page cache (4x the default)
            # keeps more of a big program's indexes at hand while an import
            # writes them, without weighing on the import's memory.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8192;"
            ),
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS or env_bool("MENTORBADGES_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("MENTORBADGES_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MENTORBADGES_HSTS_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("MENTORBADGES_HSTS_PRELOAD", HTTPS)
if env_bool("MENTORBADGES_BEHIND_PROXY", False):
    # The proxy ends TLS; without this every request would look like plain
    # HTTP and be redirected forever.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline or third-party script anywhere. Inline styles stay allowed:
# templates and htmx's request indicator use them, and styles run no code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

EMAIL_BACKEND = env_str(
    "MENTORBADGES_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("MENTORBADGES_FROM_EMAIL", "badges@localhost")
EMAIL_HOST = env_str("MENTORBADGES_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MENTORBADGES_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("MENTORBADGES_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MENTORBADGES_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MENTORBADGES_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("MENTORBADGES_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("MENTORBADGES_EMAIL_TIMEOUT", 10)
# E-mails sent right after the awards commit; the rest wait for send_emails.
NOTIFICATION_EMAILS_PER_COMMIT = env_int("MENTORBADGES_EMAILS_PER_COMMIT", 50)
# The address people reach the service at, for links in e-mails, public share
# pages and Open Badges ids. Empty means each request's own address, and the
# local server's for e-mails.
PUBLIC_URL = env_str("MENTORBADGES_PUBLIC_URL", "")
LOCAL_URL = "http://127.0.0.1:8000"
# Open Badges issuers must publish a contact address.
ISSUER_EMAIL = env_str("MENTORBADGES_ISSUER_EMAIL", DEFAULT_FROM_EMAIL)

IMPORT_BATCH_SIZE = env_int("MENTORBADGES_IMPORT_BATCH_SIZE", 2000)
# Each process keeps the state of this many programs between the requests
# that feed them (0 keeps none), each up to this many events of history.
KEEP_PROGRAMS = env_int("MENTORBADGES_KEEP_PROGRAMS", 2)
KEEP_EVENTS = env_int("MENTORBADGES_KEEP_EVENTS", 500_000)

# Kudos one participant may give interactively (web page, API kudos
# endpoint): a day's total, and repeats to one recipient within a window.
KUDOS_DAILY_CAP = env_int("MENTORBADGES_KUDOS_DAILY_CAP", 20)
KUDOS_REPEAT_WINDOW_MINUTES = env_int("MENTORBADGES_KUDOS_REPEAT_WINDOW_MINUTES", 60)
KUDOS_REPEAT_CAP = env_int("MENTORBADGES_KUDOS_REPEAT_CAP", 3)

# Requests one API token may make in a minute.
API_RATE_LIMIT = env_int("MENTORBADGES_API_RATE_LIMIT", 600)
# Webhook retries wait this many seconds, doubled each time, up to the cap.
WEBHOOK_RETRY_BASE = env_int("MENTORBADGES_WEBHOOK_RETRY_BASE", 30)
WEBHOOK_RETRY_CAP = env_int("MENTORBADGES_WEBHOOK_RETRY_CAP", 3600)
WEBHOOK_TIMEOUT = env_int("MENTORBADGES_WEBHOOK_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "mentorbadges": {
            "handlers": ["console"],
            "level": env_str("MENTORBADGES_LOG_LEVEL", "WARNING"),
        },
        # A server error's traceback, which Django prints only in DEBUG;
        # refused requests (4xx) are answered, not logged.
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        # Bad Host headers and CSRF failures: worth an operator's eye.
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
