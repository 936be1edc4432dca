"""The database owner's power over the ledger, for tests that play the insider."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def sebagai_pemilik():
    """On PostgreSQL, the ledger's triggers off for this block (a superuser's `session_replication_role`)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("SET LOCAL session_replication_role = replica")
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("SET LOCAL session_replication_role = origin")
