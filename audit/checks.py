"""Deployment check (`manage.py check --deploy`, on PostgreSQL): the runtime role cannot rewrite the ledger.

Connected as the role the app runs with, it must not be a superuser (a superuser passes every grant
and may switch triggers off), must own none of the ledger tables (an owner may disable their
triggers and grant itself anything) and must hold no UPDATE, DELETE or TRUNCATE on the append-only
ones, nor DELETE or TRUNCATE on the chain heads. deploy/postgres-ledger-grants.sql sets this up.
A database that cannot be reached is not judged here (GET /sehat/ reports it).
"""

from django.core.checks import Error, register
from django.db import DatabaseError, connection

TAMBAH_SAJA = ("audit_auditevent", "audit_checkpoint", "audit_simpulmerkle")
KEPALA = "audit_rantaiaudit"


def masalah_hak(cursor) -> list[str]:
    """What the current database role could do to the ledger that it must not; empty when nothing."""
    cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    peran, super_ = cursor.fetchone()
    if super_:
        return [f"peran basis data '{peran}' adalah superuser: ia melewati setiap hak dan pemicu"]
    hasil = []
    for tabel, terlarang in [(t, ("UPDATE", "DELETE", "TRUNCATE")) for t in TAMBAH_SAJA] + [(KEPALA, ("DELETE", "TRUNCATE"))]:
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)", [f"public.{tabel}"])
        baris = cursor.fetchone()
        if baris is None:
            continue
        if baris[0] == peran:
            hasil.append(f"peran '{peran}' memiliki tabel {tabel}")
        for hak in terlarang:
            cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [f"public.{tabel}", hak])
            if cursor.fetchone()[0]:
                hasil.append(f"peran '{peran}' boleh {hak} pada {tabel}")
    return hasil


@register(deploy=True)
def hak_buku_besar(app_configs=None, **kwargs):
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            temuan = masalah_hak(cursor)
    except DatabaseError:
        return []
    return [
        Error(f"Buku besar audit bisa diubah oleh peran aplikasi: {t}.",
              hint="Jalankan manage.py migrate sebagai peran pemilik dan deploy/postgres-ledger-grants.sql; "
                   "aplikasi tersambung dengan peran yang tidak memiliki apa pun.",
              id="audit.E001")
        for t in temuan
    ]
