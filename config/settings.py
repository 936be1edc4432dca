"""Simpatik settings: everything that differs between machines comes from the
environment, read here and nowhere else (see the table in README.md)."""

import base64
import os
import sys
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_pecahan(name, default):
    """A number from the environment; an unreadable value stays text, for the system check to name it
    (config/pemeriksaan.py) instead of a traceback at import."""
    value = env(name, default)
    try:
        return float(value)
    except ValueError:
        return value


# DEBUG is off unless asked for: `dev.py start` sets DEBUG=1, and so does the test command (pytest
# imports these settings; the variable is exported so the servers and commands a test starts agree).
if "pytest" in sys.modules and "DEBUG" not in os.environ:
    os.environ["DEBUG"] = "1"
DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable while DEBUG is on. With DEBUG off a missing or weak key is left
# empty: Django then refuses to sign anything, `manage.py check` reports it (config/pemeriksaan.py) and
# gunicorn and Celery refuse to start (config/wsgi.py, config/celery.py).
_DEV_SECRET = "simpatik-development-key-not-for-production-use-0123456789abcdef"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    SECRET_KEY = ""

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PUBLIC_BASE_URL)
# Reverse proxies in front: a count ("1" for one nginx) or their addresses/networks. Only then is
# X-Forwarded-For believed, by config.middleware for rate limits, lockouts and the audit log alike.
TRUSTED_PROXIES = env("TRUSTED_PROXIES", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "audit",
    "kelurahan",
    "notifikasi",
    "layanan",
    "integritas",
    "config.apps.KonfigurasiConfig",
]

MIDDLEWARE = [
    "config.middleware.PermintaanMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages gzip-compressed by the app (nginx compresses only /static/): a resident's page on a phone is a
    # fraction of the bytes. Django pads the gzip header randomly against BREACH ("Heal the BREACH").
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.BahasaMiddleware",  # Django's LocaleMiddleware, pages not following Accept-Language
    "config.middleware.KueriApiMiddleware",  # the API's query strings: no control characters (400)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kelurahan.sesi.BatasSesiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:  # static files served by the app itself (runserver does it in development)
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "layanan.web.konteks_menu.menu_petugas",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections (docs/benchmarks.md, issue 22): a new PostgreSQL connection per request costs
        # a fork on the server and ~3 ms; a connection kept for DB_CONN_MAX_AGE seconds is checked before
        # reuse (DB_CONN_HEALTH_CHECKS), so one dropped by a database restart fails no request.
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=env("DB_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
# The statements every request runs (audit/kursor.py) are prepared on each PostgreSQL connection; 0 for a
# PgBouncer in transaction mode that does not keep prepared statements (older than 1.21).
DB_PREPARE = env("DB_PREPARE", "1") == "1"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (relay, web) write; wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/masuk/petugas/"

# Sign-in lifetimes (kelurahan/sesi.py; docs/operations.md "Tokens and sessions").
TOKEN_WARGA_JAM = float(env("TOKEN_WARGA_JAM", "12"))
TOKEN_PETUGAS_JAM = float(env("TOKEN_PETUGAS_JAM", "8"))
SESI_DIAM_MENIT = float(env("SESI_DIAM_MENIT", "30"))
SESI_MAKS_JAM = float(env("SESI_MAKS_JAM", "10"))
SESSION_COOKIE_AGE = int(SESI_MAKS_JAM * 3600)

# django-axes: lock an officer account/IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # set from X-Forwarded-For by config.middleware only

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads and letters in S3-compatible object storage (django-storages) when S3_BUCKET is set: what
# several app hosts share. Objects stay private; views stream them after checking who may read.
S3_BUCKET = env("S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "config.penyimpanan.S3Tersegel",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env("S3_ENDPOINT_URL") or None,
                "region_name": env("S3_REGION") or None,
                "access_key": env("S3_ACCESS_KEY_ID") or None,
                "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
                "location": env("S3_PREFIX", ""),
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": env("S3_ADDRESSING_STYLE") or None,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "config.penyimpanan.BerkasTersegel"}
    ),
    # Served by the app itself (WhiteNoise): with DEBUG off, compressed and under hashed names, cached
    # for a year by browsers and proxies; `collectstatic` writes them at install and upgrade.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.statis.StatisProduksi"
    },
}
# Compressed copies of static files: gzip always, Brotli too unless STATIC_BROTLI=0 (it makes
# collectstatic slow); source maps are for developer tools only and are not compressed.
STATIC_BROTLI = env_bool("STATIC_BROTLI", True)
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Hosts serving the same site (for the check that refuses per-host media when there are several).
APP_HOSTS = int(env("APP_HOSTS", "1"))
# Uploaded files are never served directly (no URL route exists for this prefix); views check
# who may read them. A prefix rather than None keeps Django's live test server working.
MEDIA_URL = "/_media-tidak-dilayani/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
BERKAS_MAX_BYTES = int(env("BERKAS_MAX_BYTES", str(5 * 1024 * 1024)))

SIGNING_KEY_PATH = Path(env("SIGNING_KEY_PATH", BASE_DIR / "var" / "signing_key.pem"))
# Only in development is a missing key made on first use; production makes it with `manage.py buat_kunci`.
SIGNING_KEY_OTOMATIS = DEBUG
# Retired signing keys (PEM, the public half is enough), comma-separated: what they signed still
# verifies and their public keys stay published (docs/architecture.md, threat model of the audit log).
SIGNING_KEY_LAMA = [Path(p.strip()) for p in env("SIGNING_KEY_LAMA", "").split(",") if p.strip()]
# Encryption at rest (audit/enkripsi.py, docs/privasi.md "Enkripsi"): DATA_KEYS seals NIK, phone numbers,
# a request's identity and stored files (AES-256-GCM; comma-separated base64 keys, the newest first, older
# ones only open until `manage.py enkripsi_ulang` has re-sealed everything); BLIND_INDEX_KEY, a separate key,
# makes the HMAC lookups. Make each with `manage.py enkripsi_ulang --kunci-baru`. Without them a server with
# DEBUG off does not start (config/pemeriksaan.py); development uses fixed keys that protect nothing.
# With DEBUG off the development keys are refused (simpatik.E006); the test command therefore makes fresh
# keys per run and exports them, so the production-mode servers a test starts read what the test wrote.
_DEV_DATA_KEY = "c2ltcGF0aWstZGV2LWRhdGEta2V5LW5vdC1zZWNyZXQ"
_DEV_INDEX_KEY = "c2ltcGF0aWstZGV2LWluZGV4LWtleS1ub3Qtc2VjcmU"
if "pytest" in sys.modules:
    for _nama in ("DATA_KEYS", "BLIND_INDEX_KEY"):
        os.environ.setdefault(_nama, base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))
DATA_KEYS = env_list("DATA_KEYS", _DEV_DATA_KEY if DEBUG else "")
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", _DEV_INDEX_KEY if DEBUG else "")
# The previous BLIND_INDEX_KEY while `enkripsi_ulang --indeks` recomputes the indexes under the new one
# (docs/privasi.md "Rotasi kunci indeks"): lookups then match either index, still in one indexed query.
BLIND_INDEX_KEY_LAMA = env("BLIND_INDEX_KEY_LAMA", "")
# Only bench/settings.py turns this on (its generated databases are sealed with the development keys);
# it is not read from the environment, so no production configuration can accept them.
KUNCI_PENGEMBANGAN_DIIZINKAN = False
# Origin line of the audit checkpoints: "<this>/<chain>"; by default PUBLIC_BASE_URL's host + "/audit".
AUDIT_ASAL = env("AUDIT_ASAL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kelurahan.sesi.TokenBerumur",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "layanan.api.errors.exception_handler",
    # Client address = REMOTE_ADDR (set from X-Forwarded-For only behind TRUSTED_PROXIES, by the
    # first middleware); DRF's default would believe any client's X-Forwarded-For (issue 14, item 2).
    "NUM_PROXIES": 0,
    # Bodies: JSON objects only, bounded depth and size, no control characters (layanan/api/masukan.py).
    "DEFAULT_PARSER_CLASSES": [
        "layanan.api.masukan.JSONParser",
        "layanan.api.masukan.FormParser",
        "layanan.api.masukan.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "otp": env("THROTTLE_OTP", "5/hour"),
        "masuk": env("THROTTLE_MASUK", "10/hour"),
        "lacak": env("THROTTLE_LACAK", "60/minute"),
        "verifikasi": env("THROTTLE_VERIFIKASI", "60/minute"),
        "pengaduan": env("THROTTLE_PENGADUAN", "20/hour"),
        "token": env("THROTTLE_TOKEN", "20/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Simpatik API",
    "DESCRIPTION": "Layanan surat kelurahan dan kecamatan secara daring.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Redis in production (CACHE_URL, required with DEBUG off): rate limits and calendar versions shared by
# every worker and host. `default` degrades when Redis is down (config/cache.py); `ketat` raises, for the
# limits that must refuse when they cannot count. Both name the same store.
CACHE_URL = env("CACHE_URL", "")
if CACHE_URL:
    _redis_opsi = {"socket_connect_timeout": float(env("CACHE_TIMEOUT", "0.5")),
                   "socket_timeout": float(env("CACHE_TIMEOUT", "0.5"))}
    CACHES = {
        "default": {"BACKEND": "config.cache.RedisTahanGangguan", "LOCATION": CACHE_URL,
                    "OPTIONS": {**_redis_opsi, "jeda_detik": float(env("CACHE_JEDA_DETIK", "5"))}},
        "ketat": {"BACKEND": "config.cache.RedisCepat", "LOCATION": CACHE_URL,
                  "OPTIONS": _redis_opsi},
    }
else:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "simpatik"}
        for alias in ("default", "ketat")
    }

# Celery: without a broker, tasks run in-process right after commit.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # An eager task still passes its arguments through a producer: name the in-memory transport, or kombu
    # falls back to amqp:// and warns "No hostname was supplied" (nothing is sent either way).
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "kirim-outbox": {"task": "notifikasi.tasks.kirim_outbox_tertinggal", "schedule": 30.0},
    "sla-sweep": {"task": "layanan.tasks.sla_sweep", "schedule": 60.0},
    "tte-kabari-pulih": {"task": "layanan.tasks.tte_kabari_pulih", "schedule": 300.0},
    # Signed checkpoints of the audit chains (also queued after a sweep that appended events).
    "audit-checkpoint": {"task": "audit.tasks.audit_checkpoint",
                         "schedule": float(env("AUDIT_CHECKPOINT_DETIK", "300"))},
    # CELERY_TIMEZONE is TIME_ZONE, so this is 07.00 Asia/Jakarta by default.
    "kirim-digest": {"task": "layanan.tasks.kirim_digest",
                     "schedule": crontab(hour=int(env("DIGEST_JAM", "7")), minute=int(env("DIGEST_MENIT", "0")))},
    # The dashboards' thresholds (LAMPU_*, environment) into the ledger when they change (docs/indikator.md).
    "ambang-lampu": {"task": "integritas.tasks.ambang_lampu_catat", "schedule": 300.0},
    # Retention (docs/privasi.md "Retensi"): once a night, outside office hours, 02.30 local time by default.
    "terapkan-retensi": {"task": "layanan.tasks.terapkan_retensi",
                         "schedule": crontab(hour=int(env("RETENSI_JAM", "2")), minute=int(env("RETENSI_MENIT", "30")))},
}

# Notifications.
NOTIFIKASI_BACKEND = env("NOTIFIKASI_BACKEND", "console")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", "")
TWILIO_WHATSAPP_FROM = env("TWILIO_WHATSAPP_FROM", "")
TWILIO_SMS_FROM = env("TWILIO_SMS_FROM", "")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", "")
TWILIO_SANDBOX = env_bool("TWILIO_SANDBOX", False)  # free-text Body for templates without ContentSid
NOTIFIKASI_RATE_PER_SECOND = float(env("NOTIFIKASI_RATE_PER_SECOND", "80"))  # per sender
NOTIFIKASI_MAX_ATTEMPTS = int(env("NOTIFIKASI_MAX_ATTEMPTS", "6"))
NOTIFIKASI_BACKOFF_DETIK = float(env("NOTIFIKASI_BACKOFF_DETIK", "30"))  # first retry; doubles, +-50 % jitter
NOTIFIKASI_BACKOFF_MAKS_DETIK = float(env("NOTIFIKASI_BACKOFF_MAKS_DETIK", "3600"))
NOTIFIKASI_HTTP_TIMEOUT = float(env("NOTIFIKASI_HTTP_TIMEOUT", "15"))
# A row in `mengirim` longer than this is queued for a lookup at the provider (docs/notifikasi.md); never
# less than 2 x NOTIFIKASI_HTTP_TIMEOUT + 15 s, whatever is set (relay.batas_macet).
NOTIFIKASI_MENGIRIM_MACET_DETIK = int(env("NOTIFIKASI_MENGIRIM_MACET_DETIK", "60"))
NOTIFIKASI_SAPU_BATAS = int(env("NOTIFIKASI_SAPU_BATAS", "500"))
# Inbound WhatsApp messages per number per minute the conversation answers (notifikasi/obrolan.py).
OBROLAN_PESAN_PER_MENIT = int(env("OBROLAN_PESAN_PER_MENIT", "30"))

# Personal data (UU 27/2022; docs/privasi.md). The privacy notice names the controller and whom to contact;
# PRIVASI_VERSI is the version a resident's acceptance records: raise it whenever the notice's content changes
# (a city may also override templates/privasi/isi.html), and every resident is asked again.
PRIVASI_VERSI = env("PRIVASI_VERSI", "2026-11")
PRIVASI_PENGENDALI = env("PRIVASI_PENGENDALI", "Pemerintah Kota Pekalongan")
PRIVASI_PEJABAT = env("PRIVASI_PEJABAT", "Pejabat Pelindungan Data Pribadi, Dinas Komunikasi dan Informatika")
PRIVASI_KONTAK = env("PRIVASI_KONTAK", "privasi@pekalongankota.go.id")
PRIVASI_KONTAK_TELEPON = env("PRIVASI_KONTAK_TELEPON", "")
# Retention, in days (docs/privasi.md "Retensi"); 0 turns that rule off. Issued letters and the audit ledger
# are archives, never removed by the retention job.
RETENSI_BERKAS_SELESAI_HARI = int(env("RETENSI_BERKAS_SELESAI_HARI", "365"))  # uploads of a finished request
RETENSI_DITOLAK_HARI = int(env("RETENSI_DITOLAK_HARI", "365"))  # rejected/cancelled: identity, fields, uploads
RETENSI_OTP_HARI = int(env("RETENSI_OTP_HARI", "30"))  # sign-in codes (hash, number, attempts)
RETENSI_OUTBOX_HARI = int(env("RETENSI_OUTBOX_HARI", "90"))  # texts and numbers of delivered/failed messages
RETENSI_SESI_HARI = int(env("RETENSI_SESI_HARI", "0"))  # expired web sessions: gone from the day they expire
RETENSI_KOREKSI_HARI = int(env("RETENSI_KOREKSI_HARI", "365"))  # values of decided correction requests

OTP_TTL_SECONDS = int(env("OTP_TTL_SECONDS", "300"))
OTP_MAX_ATTEMPTS = int(env("OTP_MAX_ATTEMPTS", "5"))
DEMO_PASSWORD = env("DEMO_PASSWORD", "simpatik-demo")

# LOG_FORMAT=json: one JSON object per line (for journald/Loki/ELK); every record carries the request id
# (X-Request-ID, also sent back in the response) of the HTTP request it was logged in.
LOG_FORMAT = env("LOG_FORMAT", "teks")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"id_permintaan": {"()": "config.log.FilterIdPermintaan"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.log.FormatJSON"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["id_permintaan"],
                             "formatter": "json" if LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # twilio logs every request at INFO, recipient and message included: keep that out of the logs.
        "twilio.http_client": {"level": "WARNING"},
    },
}

# Error reporting: Sentry (or a compatible service such as GlitchTip) only when SENTRY_DSN is set.
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "produksi"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # NIKs, phone numbers and addresses never leave the city's servers
    )

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]  # load balancers probe the app over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if not SECURE_HSTS_PRELOAD:  # a deliberate choice of the operator, not an oversight
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy on every page (django-csp): scripts and styles only from our own static
# files, no inline code anywhere (issue 14, item 8). A view that serves an upload sets its own.
from csp.constants import NONE, SELF  # noqa: E402

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
        "frame-ancestors": [SELF],
    },
}

# Complaints, surveys, Zona Integritas and integrity signals: the one place of their defaults
# (REFERENCES.md; minimums marked secondary there stay configurable).
# A NIK's two-digit birth year: the century that gives a date not after today and an age at most this.
NIK_USIA_MAKS = int(env("NIK_USIA_MAKS", "120"))
PENGADUAN_TANGGAPAN_HARI_KERJA = int(env("PENGADUAN_TANGGAPAN_HARI_KERJA", "5"))  # a kind not listed below
PENGADUAN_SELESAI_HARI = int(env("PENGADUAN_SELESAI_HARI", "60"))  # Perpres 76/2013: the cap, calendar days


def _waktu_pengaduan(teks):
    """ "pungli:3/14,lambat:2/5" -> {"pungli": (3, 14), "lambat": (2, 5)}: (response, resolution) in working days."""
    hasil = {}
    for bagian in teks.split(","):
        if bagian.strip():
            jenis, _pisah, hari = bagian.partition(":")
            tanggapan, _garis, selesai = hari.partition("/")
            hasil[jenis.strip()] = (int(tanggapan), int(selesai))
    return hasil


# Graded handling times by kind, in working days on the calendar of the office complained about (docs/indikator.md).
PENGADUAN_HARI_KERJA = _waktu_pengaduan(
    env("PENGADUAN_HARI_KERJA", "pungli:3/14,calo:3/14,perilaku:3/14,lambat:2/5,lainnya:5/14")
)
# The officers' integrity survey: an office's results are shown only from this many answers on.
SURVEI_PEGAWAI_MIN_RESPONDEN = int(env("SURVEI_PEGAWAI_MIN_RESPONDEN", "5"))
# SP4N-LAPOR! (secondary, as LAPOR!'s own guidance states it): the admin verifies and forwards a report within 3
# working days, the agency answers with its first follow-up within 5, the reporter may reply within 10.
LAPOR_HARI_KERJA = {k: int(v) for k, v in (
    ("verifikasi", env("LAPOR_HARI_VERIFIKASI", "3")), ("tindak_lanjut", env("LAPOR_HARI_TINDAK_LANJUT", "5")),
    ("tanggapan_pelapor", env("LAPOR_HARI_TANGGAPAN_PELAPOR", "10")))}
PENGADUAN_BUKTI_MAX_BYTES = int(env("PENGADUAN_BUKTI_MAX_BYTES", str(5 * 1024 * 1024)))
SURVEI_TAUTAN_MAKS_HARI = int(env("SURVEI_TAUTAN_MAKS_HARI", "30"))  # the WhatsApp survey link's life
# Weights and minimum weighted IPAK/IPKP scores for WBK and WBBM (Permenpan RB 90/2021; secondary figures).
# Zona Integritas worksheet (PermenPANRB 90/2021; docs/indikator.md gives each figure's source).
# The pengungkit's weights are the LKE's own, in integritas/lke_butir.py; the hasil's and the minimums here.
ZI_BOBOT_CAPAIAN_KINERJA = Decimal(env("ZI_BOBOT_CAPAIAN_KINERJA", "5"))
ZI_WBK_MIN_TOTAL = Decimal(env("ZI_WBK_MIN_TOTAL", "75"))
ZI_WBK_MIN_PENGUNGKIT = Decimal(env("ZI_WBK_MIN_PENGUNGKIT", "40"))
ZI_WBK_MIN_BERSIH_KKN = Decimal(env("ZI_WBK_MIN_BERSIH_KKN", "18.25"))
ZI_WBK_MIN_CAPAIAN_KINERJA = Decimal(env("ZI_WBK_MIN_CAPAIAN_KINERJA", "2.5"))
ZI_WBK_MIN_IPKP = Decimal(env("ZI_WBK_MIN_IPKP", "14"))
ZI_WBBM_MIN_TOTAL = Decimal(env("ZI_WBBM_MIN_TOTAL", "85"))
ZI_WBBM_MIN_PENGUNGKIT = Decimal(env("ZI_WBBM_MIN_PENGUNGKIT", "48"))
ZI_WBBM_MIN_PORSI_AREA = Decimal(env("ZI_WBBM_MIN_PORSI_AREA", "0.75"))
ZI_BOBOT_IPAK = Decimal(env("ZI_BOBOT_IPAK", "17.5"))
ZI_BOBOT_IPKP = Decimal(env("ZI_BOBOT_IPKP", "17.5"))
ZI_MIN_IPAK_WBK = Decimal(env("ZI_MIN_IPAK_WBK", "15.75"))
ZI_MIN_IPAK_WBBM = Decimal(env("ZI_MIN_IPAK_WBBM", "15.75"))
ZI_MIN_IPKP_WBK = Decimal(env("ZI_MIN_IPKP_WBK", "14.00"))
ZI_MIN_IPKP_WBBM = Decimal(env("ZI_MIN_IPKP_WBBM", "15.75"))
# Integrity signals (docs/indikator.md).
SINYAL_DI_LUAR_URUTAN_MIN_DETIK = int(env("SINYAL_DI_LUAR_URUTAN_MIN_DETIK", "3600"))
SINYAL_PEMOHON_BERULANG_MIN = int(env("SINYAL_PEMOHON_BERULANG_MIN", "2"))
SINYAL_BALIK_SETUJU_HARI = int(env("SINYAL_BALIK_SETUJU_HARI", "30"))
SINYAL_CEPAT_RASIO = Decimal(env("SINYAL_CEPAT_RASIO", "0.25"))
SINYAL_CEPAT_MIN_SAMPEL = int(env("SINYAL_CEPAT_MIN_SAMPEL", "10"))
SINYAL_MAKS_TAUTAN = int(env("SINYAL_MAKS_TAUTAN", "50"))
# Traffic lights of the dashboards (docs/indikator.md "Traffic lights"): SLA compliance (a 0..1 fraction of
# requests on time) at or above LAMPU_SLA_HIJAU is green, at or above LAMPU_SLA_KUNING amber, below it red;
# an IKM quality letter (A best .. D) as good as LAMPU_IKM_HIJAU or better is green, as good as
# LAMPU_IKM_KUNING amber, worse red. Checked at `manage.py check` (simpatik.E007).
LAMPU_SLA_HIJAU = env_pecahan("LAMPU_SLA_HIJAU", "0.95")
LAMPU_SLA_KUNING = env_pecahan("LAMPU_SLA_KUNING", "0.85")
LAMPU_IKM_HIJAU = env("LAMPU_IKM_HIJAU", "B").strip().upper()
LAMPU_IKM_KUNING = env("LAMPU_IKM_KUNING", "C").strip().upper()

# Issued letters (docs/surat.md).
SURAT_TAUTAN_UNDUH_HARI = int(env("SURAT_TAUTAN_UNDUH_HARI", "7"))
SURAT_CEK_MAX_BYTES = int(env("SURAT_CEK_MAX_BYTES", str(5 * 1024 * 1024)))
SURAT_PKCS12_PATH = env("SURAT_PKCS12_PATH", "")  # office certificate for PAdES signatures; empty = unsigned
SURAT_PKCS12_PASSPHRASE = env("SURAT_PKCS12_PASSPHRASE", "")
# Certified electronic signature (docs/surat.md): "" = local PKCS#12 above or none; "bsre" = BSrE's API.
SURAT_TTE = env("SURAT_TTE", "").strip().lower()
BSRE_BASE_URL = env("BSRE_BASE_URL", "").rstrip("/")
BSRE_CLIENT_ID = env("BSRE_CLIENT_ID", "")
BSRE_CLIENT_SECRET = env("BSRE_CLIENT_SECRET", "")
BSRE_TIMEOUT_CONNECT = float(env("BSRE_TIMEOUT_CONNECT", "5"))
BSRE_TIMEOUT_READ = float(env("BSRE_TIMEOUT_READ", "60"))  # signing a letter takes seconds at BSrE
BSRE_TAMPILAN = env("BSRE_TAMPILAN", "INVISIBLE").upper()  # or VISIBLE with BSRE_POSISI "page,x,y,width,height"
BSRE_POSISI = env("BSRE_POSISI", "1,350,60,200,80")
BSRE_VERIFIKASI_CACHE_DETIK = int(env("BSRE_VERIFIKASI_CACHE_DETIK", "3600"))
