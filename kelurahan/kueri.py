"""Whole model rows from SQL written once per thread and connection, for the queries every request makes (the API
token with its user, an officer's assignments): there the ORM's compiling of the query cost more CPU than the
database took to answer it (docs/benchmarks.md, session 8). Everything else uses the ORM."""

import threading

from django.db import connections

from audit.kursor import kursor


class BarisModel:
    """The columns of whole rows of each (model, table alias) in `bagian`, for a SELECT, and the instances built
    back from a row of it through the converters the ORM applies (sealed columns opened, SQLite's dates parsed)."""

    def __init__(self, koneksi, bagian):
        qn = koneksi.ops.quote_name
        self.koneksi, self.rencana, kolom = koneksi, [], []
        for model, alias in bagian:
            bidang = list(model._meta.concrete_fields)
            ubah = []
            for f in bidang:
                col = f.get_col(alias)
                ubah.append((col, [*koneksi.ops.get_db_converters(col), *f.get_db_converters(koneksi)]))
                kolom.append(f"{alias}.{qn(f.column)}")
            kunci = bidang.index(model._meta.pk)
            self.rencana.append((model, [f.attname for f in bidang], ubah, kunci))
        self.kolom = ", ".join(kolom)  # a row's values after these are the caller's own

    def bangun(self, baris) -> list:
        """One instance per model, or None where its primary key is NULL (an outer join found no row)."""
        objek, awal = [], 0
        for model, nama, ubah, kunci in self.rencana:
            nilai = list(baris[awal : awal + len(nama)])
            awal += len(nama)
            if nilai[kunci] is None:
                objek.append(None)
                continue
            for i, (col, konverter) in enumerate(ubah):
                for k in konverter:
                    nilai[i] = k(nilai[i], col, self.koneksi)
            objek.append(model.from_db(self.koneksi.alias, nama, nilai))
        return objek


class KueriTetap:
    """A query whose SQL `buat(koneksi) -> (sql, BarisModel)` writes once per thread and connection (Django's
    connections are per thread); `jalankan` runs it and builds the rows' instances."""

    def __init__(self, buat):
        self._buat = buat
        self._lokal = threading.local()

    def jalankan(self, alias: str, parameter: list) -> list[tuple[list, tuple]]:
        """[(instances of the row, the row's values)] for each row."""
        koneksi = connections[alias]
        simpan = getattr(self._lokal, alias, None)
        if simpan is None or simpan[0] is not koneksi:
            simpan = (koneksi, *self._buat(koneksi))
            setattr(self._lokal, alias, simpan)
        _koneksi, sql, baris_model = simpan
        with kursor(koneksi) as k:  # prepared on PostgreSQL (audit/kursor.py)
            k.execute(sql, parameter)
            semua = k.fetchall()
        return [(baris_model.bangun(baris), baris) for baris in semua]
