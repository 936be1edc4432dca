"""One-statement INSERT / upsert of model instances, for the rows every audited action writes.

The ORM compiles its SQL anew on each save; for the rows of a submission and of the audit append
(request, files, event, chain head, indicator projection, outbox message) that compilation cost more
CPU than the database work itself (bench/audit_append.py, docs/benchmarks.md, issue 22). The statement
text is built once per model, vendor and row count, and prepared on PostgreSQL (audit/kursor.py);
values go through each field's `pre_save` and `get_db_prep_save` exactly as `Model.save` does, so
blind indexes, `auto_now` times, sealed JSON, datetimes and IP addresses are stored exactly as the
ORM would store them.

No signals are sent: only for models that have none (AuditEvent, PermohonanRingkas, Permohonan,
Berkas, Outbox); tests/test_sisip.py holds each written row equal to the ORM's.
"""

from functools import cache

from django.db import connection, models
from django.db.models import AutoField, Field

from audit.kursor import kursor


@cache
def _perintah(model, vendor: str, baris: int, konflik: str | None, lewati: str | None, returning: bool) -> str:
    """The statement's text; its columns in `_pengubah`'s order, which `_nilai` fills."""
    qn = connection.ops.quote_name
    bidang = [f for f, _attname, _jenis in _pengubah(model)]
    kolom = ", ".join(qn(f.column) for f in bidang)
    satu = f"({', '.join(['%s'] * len(bidang))})"
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({kolom}) VALUES {', '.join([satu] * baris)}"
    if konflik:
        ubah = ", ".join(f"{qn(f.column)} = EXCLUDED.{qn(f.column)}" for f in bidang if f.column != konflik)
        sql += f" ON CONFLICT ({qn(konflik)}) DO UPDATE SET {ubah}"
    elif lewati:
        sql += f" ON CONFLICT ({qn(lewati)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {qn(model._meta.pk.column)}"
    return sql


# Field classes whose database form of a value of exactly this Python type is the value itself (what
# get_db_prep_save returns for it, after to_python/int()): their values skip the ORM's chain of calls.
_SAMA = {
    models.CharField: str, models.TextField: str, models.SlugField: str, models.BooleanField: bool,
    models.IntegerField: int, models.BigIntegerField: int, models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int, models.SmallIntegerField: int,
}


@cache
def _pengubah(model) -> tuple:
    """Per field: (attname or None when its pre_save is its own, the Python type whose values pass as they are)."""
    hasil = []
    for f in model._meta.concrete_fields:
        if isinstance(f, AutoField):
            continue
        polos = type(f).pre_save is Field.pre_save
        jenis = _SAMA.get(type(f))
        if isinstance(f, models.ForeignKey) and type(f.target_field) in (models.AutoField, models.BigAutoField):
            jenis = int  # the key's column holds the related row's integer key
        hasil.append((f, f.attname if polos else None, jenis))
    return tuple(hasil)


def _nilai(obj) -> list:
    """The values Model.save would send: each field's pre_save (add), then its database form."""
    if obj.pk is not None and isinstance(obj._meta.pk, AutoField):
        raise ValueError(f"{type(obj).__name__} already has a primary key: sisipkan writes new rows only")
    nilai = []
    for f, attname, jenis in _pengubah(type(obj)):
        v = getattr(obj, attname) if attname else f.pre_save(obj, True)
        nilai.append(v if jenis is not None and (type(v) is jenis or v is None and f.null)
                     else f.get_db_prep_save(v, connection))
    return nilai


def _tertulis(obj, pk):
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


def sisipkan(obj, *, konflik: str | None = None, lewati_bila_ada: str | None = None) -> bool:
    """INSERT `obj`; with `konflik`, update instead the row holding the same value of that column; with
    `lewati_bila_ada` (a column with a unique constraint of its own), write nothing when that value is
    already taken and return False, leaving the caller's transaction usable (no savepoint needed).

    Sets the primary key of a new row when the database generates it.
    """
    pk_otomatis = isinstance(obj._meta.pk, AutoField)
    returning = pk_otomatis and connection.features.can_return_columns_from_insert
    sql = _perintah(type(obj), connection.vendor, 1, konflik, lewati_bila_ada, returning)
    nilai = _nilai(obj)
    with kursor() as cursor:
        cursor.execute(sql, nilai)
        if lewati_bila_ada and not returning and cursor.rowcount == 0:
            return False
        if not pk_otomatis:
            _tertulis(obj, obj.pk)
        elif returning:
            baris = cursor.fetchone()
            if baris is None:  # ON CONFLICT DO NOTHING: the value was taken
                return False
            _tertulis(obj, baris[0])
        else:
            _tertulis(obj, cursor.lastrowid)
    return True


def sisipkan_banyak(objs: list) -> list:
    """INSERT new instances of one model with one statement, setting their primary keys (bulk_create's
    contract, without its per-call compilation). The databases this project runs on return the keys."""
    if not objs:
        return objs
    model = type(objs[0])
    if not connection.features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objs)
    sql = _perintah(model, connection.vendor, len(objs), None, None, True)
    nilai = [v for obj in objs for v in _nilai(obj)]
    with kursor() as cursor:
        cursor.execute(sql, nilai)
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            _tertulis(obj, pk)
    return objs
