"""audit/kursor.py on PostgreSQL: the statements every request runs are prepared once per connection, Django's
own queries are not, and DB_PREPARE=0 (for a pooler that loses prepared statements) prepares nothing."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from layanan.models import Layanan
from tests.factories import Dunia, token

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _disiapkan() -> list[str]:
    with connection.cursor() as c:
        c.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [baris[0] for baris in c.fetchall()]


def _daftar(c, n):
    for _ in range(n):
        assert c.get("/api/v1/permohonan/").status_code == 200


@pytest.fixture
def klien(db):
    dunia = Dunia()
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    connection.close()  # a new connection: nothing of earlier tests is prepared on it
    return c


def test_request_statements_are_prepared_from_their_third_run(klien):
    _daftar(klien, 2)
    assert not any("authtoken_token" in s for s in _disiapkan())
    _daftar(klien, 2)
    disiapkan = _disiapkan()
    # The token with its holder and the officer's assignments: written once, prepared once.
    assert sum("authtoken_token" in s for s in disiapkan) == 1
    assert sum("kelurahan_penugasan" in s and "authtoken_token" not in s for s in disiapkan) == 1
    # Server-side binding: the key travels as a parameter, never inside the prepared text.
    assert all("$1" in s for s in disiapkan if "authtoken_token" in s)
    # The ORM's own queries (the list itself) stay unprepared, as Django ships them.
    assert not any("layanan_permohonan" in s for s in disiapkan)
    Layanan.objects.count()
    assert not any("layanan_layanan" in s for s in _disiapkan())


def test_db_prepare_off_prepares_nothing(klien, settings):
    settings.DB_PREPARE = False
    _daftar(klien, 4)
    assert _disiapkan() == []


def test_a_kept_connection_dropped_by_the_server_is_replaced_before_the_first_statement(klien, settings):
    """A database restart kills the kept connection between two requests: the next request's first statement
    (the token's, through audit/kursor.py) runs on a new connection, as Django's health check promises."""
    from django.db import close_old_connections, connections

    _daftar(klien, 1)
    assert connection.health_check_enabled
    pid = connection.connection.info.backend_pid
    lain = connections["default"].__class__(connection.settings_dict, alias="pembunuh")
    try:
        with lain.cursor() as c:
            c.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        lain.close()
    # What a server's request_started does (the test client leaves it out): the kept connection is to be
    # checked before its next use.
    close_old_connections()
    _daftar(klien, 3)
    assert connection.connection.info.backend_pid != pid
