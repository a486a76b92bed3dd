"""Django settings, read from the environment through small helpers that fail loudly.

Safe defaults: DEBUG off, a secret key generated into the local data folder (never in the
repository), SQLite in that folder unless DATABASE_URL names PostgreSQL, short sessions,
secure cookies whenever the site is served over HTTPS.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    """A text setting."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but the listed words stops start-up with a clear message."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value; use true or false.")


def env_int(name: str, default: int) -> int:
    """A whole-number setting."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_count(name: str, default: int, *, least: int = 1) -> int:
    """A whole-number setting that must be ``least`` (1 unless given) or more."""
    value = env_int(name, default)
    if value < least:
        raise ImproperlyConfigured(f"{name}={value} must be {least} or more.")
    return value


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list setting."""
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


DATA_DIR = Path(env_str("PEERPRINCIPLES_DATA_DIR", str(Path.cwd() / "data"))).resolve()


def write_once(path: Path, text: str) -> str:
    """Put ``text`` into a new file at ``path``, readable only by its owner, unless a file is
    there already; either way return what the file at ``path`` holds.

    Several processes may do this together (server workers or parallel test workers starting
    on a new installation). Each writes into a draft file of its own and then links it into
    place; only the first link succeeds, so no process reads a half-written file, none fails
    because another was first, and all of them end up with the same text.
    """
    if not path.exists():
        fd, draft = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # owner-only
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(text)
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its file stands
        finally:
            os.unlink(draft)
    return path.read_text()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    # Generated once per installation and kept beside the data, readable only by its owner.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return write_once(DATA_DIR / "secret_key", secrets.token_urlsafe(50)).strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "peerprinciples.web.library",
    "peerprinciples.web.evaluations",
    "peerprinciples.web.interviews",
    "peerprinciples.web.audit",
    "peerprinciples.web.results",
    "peerprinciples.web.accounts",
    "peerprinciples.web.transfers",
    "peerprinciples.web.reflection",
    "peerprinciples.web.coproduction",
    "peerprinciples.web.practice",
    "peerprinciples.web.tokens",
]

# Results are worked out by a task worker when the data change (see results.store): the
# database backend keeps the queue in the database, so no queue server is needed. Run the
# worker with `peerprinciples worker` (`peerprinciples serve` starts one beside the web
# server). PEERPRINCIPLES_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
# runs each task at once in the process that queues it (tests, a single-user laptop).
TASKS = {
    "default": {
        "BACKEND": env_str("PEERPRINCIPLES_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files (an SVG opened on its own) carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which two-factor device (if any) confirmed this session: ``request.user.is_verified()``.
    "django_otp.middleware.OTPMiddleware",
    "peerprinciples.web.accounts.middleware.RefreshSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Leads without two-factor sign-in go to set it up, when the setting below says so.
    "peerprinciples.web.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it turns a sign-in refused for too many failures into the "paused" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peerprinciples.web.urls"
WSGI_APPLICATION = "peerprinciples.web.wsgi.application"

# One template engine: Django's, with its cached loader named explicitly so that templates
# are read and compiled once per process whether DEBUG is on or off (restart the server to
# see an edited template).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerprinciples.web.links.site_links",
            ],
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

PREPARE_AFTER = 5
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'peerprinciples.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; the data folder must exist. Every
    # transaction takes SQLite's write lock when it begins (IMMEDIATE): a transaction that
    # reads and then writes (closing a drafting round, say) would otherwise find another
    # writer holding the lock when it comes to write, and SQLite refuses that at once
    # ("database is locked") rather than waiting, since waiting could deadlock.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # PostgreSQL plans a query each time it receives one as text. With the parameters sent
    # apart from the SQL, psycopg prepares a statement once the same SQL has run
    # PREPARE_AFTER times on a connection, and the server then reuses its plan: every
    # signed-in page runs the same few queries (session, account, access) on each request.
    # This is Django's own PostgreSQL OPTIONS, passed to psycopg; no code of ours. Set
    # DATABASE_PREPARED_STATEMENTS=false behind PgBouncer in transaction pooling mode
    # (before 1.21), which cannot follow prepared statements from one client to the next.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=PREPARE_AFTER
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Results pages keep what they work out, and their rendered results, in each process's
# memory. Entries are filed under the evaluation's results version, which goes up with any
# change they depend on, so they are never stale and several servers need no shared cache.
# An entry is up to about 150 KB (a national dashboard's results or its rendered block);
# once PEERPRINCIPLES_CACHE_ENTRIES are kept, the least recently used third is dropped.
# The rating form keeps each item of an instrument version drawn per informant and value
# (stored versions never change) in a cache of its own, so that its many small entries
# (a few kilobytes each; an instrument of 40 items has about a thousand) never push
# results out.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "peerprinciples",
        "OPTIONS": {"MAX_ENTRIES": env_int("PEERPRINCIPLES_CACHE_ENTRIES", 500)},
    },
    "forms": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "peerprinciples-forms",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a working day of inactivity, and when the browser closes.
# Guessing passwords: after SIGN_IN_FAILURE_LIMIT wrong passwords (or two-factor codes) in a
# row for one account from one address, signing in to that account from that address is
# paused for SIGN_IN_PAUSE_MINUTES (django-axes). A successful sign-in clears the count. Only
# failures are recorded (with the account name and address), not every successful sign-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGN_IN_FAILURE_LIMIT = env_count("SIGN_IN_FAILURE_LIMIT", 5)
SIGN_IN_PAUSE_MINUTES = env_count("SIGN_IN_PAUSE_MINUTES", 15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_PAUSE_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "peerprinciples.web.accounts.two_factor_views.sign_in_paused"
AXES_VERBOSE = False
# Behind proxies, every connection comes from the nearest proxy; the pause would then apply
# to an account from everywhere at once. TRUSTED_PROXY_COUNT says how many proxies in front
# of the server add the address they were reached from to X-Forwarded-For; the address a
# sign-in came from is then read from that header (see accounts.addresses). With 0, the
# default, the header is ignored: anyone can write it, so trusting it without a proxy would
# let a guesser escape the pause by sending a new address each time.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0, least=0)
AXES_CLIENT_IP_CALLABLE = "peerprinciples.web.accounts.addresses.client_address"
# A wrong two-factor code counts as a failed sign-in, and the code is not kept with it (nor,
# as django-axes does by default, the user name and address in the form data kept).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# Two-factor sign-in (django-otp): anyone may switch it on for their own account, with an
# authenticator app and recovery codes; signing in then asks for a code after the password.
# With PEERPRINCIPLES_REQUIRE_TWO_FACTOR_FOR_LEADS, the leads of evaluations, the
# facilitators of co-production projects and the leads of programmes must: once signed in
# without it, they are sent to set it up before any other page. Authenticator apps list the
# account under PEERPRINCIPLES_TWO_FACTOR_ISSUER, so name each installation apart.
REQUIRE_TWO_FACTOR_FOR_LEADS = env_bool("PEERPRINCIPLES_REQUIRE_TWO_FACTOR_FOR_LEADS", False)
OTP_TOTP_ISSUER = env_str("PEERPRINCIPLES_TWO_FACTOR_ISSUER", "peerprinciples")
# Between the password and the code, a sign-in waits this long at most.
TWO_FACTOR_SIGN_IN_SECONDS = env_count("PEERPRINCIPLES_TWO_FACTOR_SIGN_IN_SECONDS", 5 * 60)

# Django's database sessions. Not "cached_db": the cache is each process's own memory, so
# a session signed out through one server process would live on in another's cache.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session ends after SESSION_COOKIE_AGE without a request, not that long after signing in,
# so nobody part-way through a rating form is signed out while working. Rather than saving
# every session on every request (an UPDATE and a commit per page view), the expiry is
# pushed back at most once per SESSION_REFRESH_SECONDS (see accounts.middleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 15 * 60)
if not 0 < SESSION_REFRESH_SECONDS <= SESSION_COOKIE_AGE // 2:
    raise ImproperlyConfigured(
        f"SESSION_REFRESH_SECONDS={SESSION_REFRESH_SECONDS} must be above 0 and at most half "
        f"of SESSION_COOKIE_AGE ({SESSION_COOKIE_AGE}), or sessions could end while in use."
    )
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Behind a reverse proxy that terminates HTTPS: trust its X-Forwarded-Proto header (only when
# the proxy always sets it, overwriting what a client sent), send plain-HTTP requests to
# HTTPS, and tell browsers to use HTTPS only for SECURE_HSTS_SECONDS (0: not at all; raise it
# only once the whole site works over HTTPS, as browsers remember it).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers may check health over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# Whole-domain choices for whoever runs the domain: every subdomain on HTTPS too, and a
# request to be built into browsers' lists of HTTPS-only sites.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# `check --deploy` warns while preloading is off. Asking browsers to preload a domain binds
# every name under it, so that choice is left to the domain's owner and not reported.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured(
        f"SECURE_HSTS_SECONDS={SECURE_HSTS_SECONDS} must be 0 (off) or a number of seconds."
    )
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The Content-Security-Policy header on every response (django-csp). The pages have no inline
# script, no <style> element, no style attribute and no on...= handler: the one stylesheet
# and the scripts are files under STATIC_URL, so the browser may refuse everything else, and
# script injected into a page (a name typed into a form, say) does not run. A view that truly
# needs more relaxes the policy for itself alone with django-csp's decorators (csp_update,
# csp_replace); see "Content Security Policy" in docs/deployment.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        # Whatever is not named below is refused: fonts, media, frames, workers, manifests.
        "default-src": [NONE],
        # The site's own script files; no inline script, no eval.
        "script-src": [SELF],
        # The site's own stylesheet; no <style> elements, no style attributes.
        "style-src": [SELF],
        # The favicon and the figures drawn as SVG files by the site; no data: addresses.
        "img-src": [SELF],
        # The card sorting board sends each move to the site with fetch().
        "connect-src": [SELF],
        # Forms are sent to the site only, never elsewhere by an injected <form> or action.
        "form-action": [SELF],
        # No other site may show these pages in a frame (as X_FRAME_OPTIONS, for new browsers).
        "frame-ancestors": [NONE],
        # An injected <base> cannot send the page's relative links and scripts elsewhere.
        "base-uri": [NONE],
        # No plug-ins (<object>, <embed>), said outright although default-src covers it.
        "object-src": [NONE],
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "peerprinciples@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The site's own stylesheet and script live beside the templates, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Aggregates of fewer interviews than this are hidden from viewers, and so are aggregates
# about fewer peer workers than SMALL_NUMBER_PEER_WORKERS (1 turns that rule off): a service
# with a single peer worker would otherwise show that person's results.
SMALL_NUMBER_THRESHOLD = env_count("PEERPRINCIPLES_SMALL_NUMBER_THRESHOLD", 5)
SMALL_NUMBER_PEER_WORKERS = env_count("PEERPRINCIPLES_SMALL_NUMBER_PEER_WORKERS", 2)


def env_rate(name: str, default: str) -> str:
    """A rate such as ``600/min``: a number of calls, then per ``s``, ``min``, ``h`` or ``d``."""
    raw = env_str(name, default).strip()
    count, _, period = raw.partition("/")
    if not (
        count.isdigit()
        and int(count) > 0
        and period in ("s", "sec", "min", "h", "hour", "d", "day")
    ):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; write a number of calls per period, such as 600/min "
            "(periods: s, min, h, d)."
        )
    return f"{count}/{period}"


# API calls allowed per personal access token (or signed-in person), and per address for
# calls with neither, in each server process (see web.api.limits).
PEERPRINCIPLES_API_RATE_PER_TOKEN = env_rate("PEERPRINCIPLES_API_RATE_PER_TOKEN", "600/min")
PEERPRINCIPLES_API_RATE_ANONYMOUS = env_rate("PEERPRINCIPLES_API_RATE_ANONYMOUS", "60/min")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
