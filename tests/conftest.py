"""Suite-wide fixtures and the rules for database-specific tests.

`postgres` tests run only on PostgreSQL. On the embedded SQLite run they are
skipped; when SIMPATIK_REQUIRE_POSTGRES=1 (CI's PostgreSQL run) a non-PostgreSQL
database is an error, so they fail instead of silently skipping.
"""

import os
import socket

import pytest
from django.db import connection
from django.db.backends.signals import connection_created


def _butuh(nama):
    return os.environ.get(nama, "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    vendor = connection.vendor
    for wajib in ("SIMPATIK_REQUIRE_POSTGRES", "SIMPATIK_REQUIRE_PRODUKSI"):
        if _butuh(wajib) and vendor != "postgresql":
            raise pytest.UsageError(f"{wajib}=1 but DATABASE_URL points at {vendor}: the PostgreSQL tests cannot run.")
    if vendor != "postgresql":
        lewati = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(lewati)


def _izinkan_truncate(sender, connection, **kwargs):
    # Only the throwaway test database may empty the append-only ledger between tests: the door
    # below exists in the test database alone (the migrations install a trigger without one).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET simpatik.izinkan_truncate = 'on'")


connection_created.connect(_izinkan_truncate)

PINTU_UJI = """
CREATE OR REPLACE FUNCTION audit_tolak_ubah() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('simpatik.izinkan_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' hanya boleh ditambah: ' || TG_OP || ' ditolak',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the one door production lacks: TRUNCATE of the ledger between tests."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(PINTU_UJI)


@pytest.fixture(autouse=True)
def _media_sementara(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY_PATH = tmp_path / "signing_key.pem"


@pytest.fixture(autouse=True)
def _tugas_dalam_proses(request, settings):
    """Tasks run in-process even when CELERY_BROKER_URL is set (CI's PostgreSQL run), except in the
    tests marked `celery_worker`, which start a real worker and want the broker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from celery._state import _set_task_join_will_block

    from config.celery import app

    lama = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = lama
    # Task.apply (eager) saves and restores a process-wide "inside a task" flag; two threads running
    # eager tasks at once (the concurrent sweep tests) can leave it set, and a later test's
    # `.apply().get()` would then refuse to join. No worker runs eager tasks, so this is test-only.
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _baris_migrasi_data(request):
    """A transactional test starts from an emptied database; put back what data migrations wrote
    (the default message templates), so it sees the same database a deployment has."""
    penanda = request.node.get_closest_marker("django_db")
    transaksional = penanda is not None and (penanda.kwargs.get("transaction") or (penanda.args and penanda.args[0]))
    if transaksional or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from notifikasi.models import TemplatPesan
        from notifikasi.templat_bawaan import pasang_templat_bawaan

        pasang_templat_bawaan(TemplatPesan)


@pytest.fixture(autouse=True)
def _penghitung_laju_kosong():
    """Rate-limit counters, cached counts and signed-link uses live in the cache: each test starts with
    it empty (pages are throttled too)."""
    from django.core.cache import cache
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

    cache.clear()
    # DRF reads the rates into a class attribute once, at import; a test that overrides them (or
    # imports the throttles first while overriding) would leave its rates to every later test.
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    if "THROTTLE_RATES" in ScopedRateThrottle.__dict__:
        del ScopedRateThrottle.THROTTLE_RATES


def _port_tertutup() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def redis_mati(settings):
    """The cache configured as in production (config/cache.py), pointing at a Redis that does not answer."""
    url = f"redis://127.0.0.1:{_port_tertutup()}/0"
    opsi = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisTahanGangguan", "LOCATION": url,
                    "OPTIONS": {**opsi, "jeda_detik": 0}},
        "ketat": {"BACKEND": "config.cache.RedisCepat", "LOCATION": url, "OPTIONS": opsi},
    }
    yield
    settings.CACHES = {a: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "simpatik"}
                       for a in ("default", "ketat")}


@pytest.fixture
def twilio(settings):
    """The twilio backend's settings and an active `responses` that fails on any unregistered call
    (Twilio faked at its HTTP boundary; tests/notifikasi_bantu.py has the answers it gives)."""
    import responses
    from django.core.cache import cache

    from tests.notifikasi_bantu import atur_twilio

    atur_twilio(settings)
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
    cache.clear()
