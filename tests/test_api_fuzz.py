"""Schemathesis over the whole OpenAPI schema (/api/schema/): no input, from anybody, is a 500.

Every operation gets generated requests (valid and invalid by the schema) sent through the real
WSGI application on the test database, as an anonymous client, a resident and an officer, and
the check `not_a_server_error` must hold for each (issue 14, "Tests that must exist"). Bounded
in examples per operation so the whole file runs in about a minute and a half; CI runs it in the
normal suite. A failure names the operation and prints a curl line that reproduces it.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.factories import Dunia, token

CONTOH_PER_OPERASI = 10

aplikasi = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", aplikasi)


@pytest.fixture
def penelepon(db):
    """The three kinds of caller, with a request in the world so ids and numbers can hit something."""
    from django.core.cache import cache

    dunia = Dunia()
    from tests.test_api_lifecycle import ajukan_domisili

    ajukan_domisili(dunia)
    cache.clear()
    # As Django's test client does: the WSGI handler would close the test transaction's connection
    # at the end of each request (on PostgreSQL: "the connection is closed" on the next one).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "anonim": {},
        "warga": {"Authorization": f"Token {token(dunia.warga.user)}"},
        "petugas": {"Authorization": f"Token {token(dunia.petugas_medono)}"},
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=CONTOH_PER_OPERASI, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_for_any_caller(case, penelepon):
    from django.core.cache import cache

    for kepala in penelepon.values():
        cache.clear()  # rate limits would turn the later examples into 429s and hide the handlers
        respons = case.call(headers={**(case.headers or {}), **kepala})
        case.validate_response(respons, checks=[not_a_server_error])
