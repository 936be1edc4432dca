"""Suite-wide fixtures and the rules for database-specific tests.

`postgres` tests run only on PostgreSQL. On the embedded SQLite run they are
skipped; when SIMPATIK_REQUIRE_POSTGRES=1 (CI's PostgreSQL run) a non-PostgreSQL
database is an error, so they fail instead of silently skipping.
"""

import os

import pytest
from django.db import connection
from django.db.backends.signals import connection_created


def _butuh(nama):
    return os.environ.get(nama, "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    vendor = connection.vendor
    if _butuh("SIMPATIK_REQUIRE_POSTGRES") and vendor != "postgresql":
        raise pytest.UsageError(
            f"SIMPATIK_REQUIRE_POSTGRES=1 but DATABASE_URL points at {vendor}: the PostgreSQL tests cannot run."
        )
    if vendor != "postgresql":
        lewati = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(lewati)


def _izinkan_truncate(sender, connection, **kwargs):
    # Only the throwaway test database may empty the append-only ledger between tests.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET simpatik.izinkan_truncate = 'on'")


connection_created.connect(_izinkan_truncate)


@pytest.fixture(autouse=True)
def _media_sementara(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY_PATH = tmp_path / "signing_key.pem"
