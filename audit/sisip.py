"""One-statement INSERT / upsert of a model instance, for the rows every audited action writes.

The ORM compiles its SQL anew on each save; for the audit append (event, chain
head, indicator projection) that compilation cost more CPU than the database
work itself (bench/audit_append.py, docs/benchmarks.md). The statement text is
built once per model and vendor; values still go through each field's
`get_db_prep_save`, so JSON, datetimes and IP addresses are stored exactly as
the ORM would store them.
"""

from functools import cache

from django.db import connection
from django.db.models import AutoField


@cache
def _perintah(model, vendor: str, konflik: str | None, returning: bool) -> tuple[str, tuple]:
    qn = connection.ops.quote_name
    bidang = tuple(f for f in model._meta.concrete_fields if not isinstance(f, AutoField))
    kolom = ", ".join(qn(f.column) for f in bidang)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({kolom}) VALUES ({', '.join(['%s'] * len(bidang))})"
    if konflik:
        ubah = ", ".join(f"{qn(f.column)} = EXCLUDED.{qn(f.column)}" for f in bidang if f.column != konflik)
        sql += f" ON CONFLICT ({qn(konflik)}) DO UPDATE SET {ubah}"
    if returning:
        sql += f" RETURNING {qn(model._meta.pk.column)}"
    return sql, bidang


def sisipkan(obj, *, konflik: str | None = None):
    """INSERT `obj` (or, with `konflik`, update the row holding the same value of that column).

    Sets the primary key of a new row when the database generates it. No signals are sent:
    only for models that have none (AuditEvent, PermohonanRingkas).
    """
    pk_otomatis = isinstance(obj._meta.pk, AutoField)
    returning = pk_otomatis and connection.features.can_return_columns_from_insert
    sql, bidang = _perintah(type(obj), connection.vendor, konflik, returning)
    nilai = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in bidang]
    with connection.cursor() as cursor:
        cursor.execute(sql, nilai)
        if pk_otomatis:
            obj.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
