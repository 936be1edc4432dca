"""The cursor for the statements this project writes once per process: the rows every action inserts
(audit/sisip.py), the chain head (audit/services.py) and the queries of every request (kelurahan/kueri.py).

On PostgreSQL they are bound server-side and prepared on their connection from their third run, so the
server parses and plans each once per connection instead of once per request. Planning alone cost more
than running the token query (about 1 ms against 0.1 ms), and parse and plan were most of the server's
CPU in a submission (docs/benchmarks.md, issue 22). Django's own queries keep client-side binding and are
never prepared, as Django ships them.

`DB_PREPARE=0` turns it off, for a PgBouncer in transaction mode older than 1.21 or without
`max_prepared_statements`: such a pooler hands a prepared statement's name to another server connection.
"""

from django.conf import settings
from django.db import connection

# Prepared from the third run: a statement run once or twice in a connection's life is not worth a PREPARE.
PREPARE_SETELAH = 2


def kursor(koneksi=None):
    """A Django cursor (counted, logged and wrapped as any other) whose statements PostgreSQL prepares."""
    koneksi = koneksi or connection
    if koneksi.vendor != "postgresql" or not settings.DB_PREPARE:
        return koneksi.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # As Django's own cursor(): a kept connection that a database restart dropped is replaced first
    # (DB_CONN_HEALTH_CHECKS), so the first statement of a request never meets a dead connection.
    koneksi.close_if_health_check_failed()
    koneksi.ensure_connection()
    with koneksi.wrap_database_errors:
        pg = koneksi.connection
        if pg.prepare_threshold is None:  # Django's default; its client-side cursors never prepare anyway
            pg.prepare_threshold = PREPARE_SETELAH
        return koneksi._prepare_cursor(ServerBindingCursor(pg))
