"""Per-process copies of master data (catalogue entries, served kelurahan), dropped everywhere at once.

The pattern of the office calendars (kelurahan/kalender.py): each process keeps what it built,
stamped with a version token read from Django's cache; a change to the rows replaces the token
(now and again after commit, so another process cannot cache the old rows under the new token)
and every process rebuilds on its next use. While the cache cannot answer (Redis down:
config/cache.py answers None) every use reads the database, slower but never stale; and nothing is
kept longer than `umur_maks` seconds, so a token lost in an outage still reaches every process.
"""

import time
import uuid

from django.core.cache import cache
from django.db import transaction


class SimpananProses:
    def __init__(self, kunci_versi: str, *, umur_maks: float = 600):
        self.kunci_versi = kunci_versi
        self.umur_maks = umur_maks
        self._isi = {}

    def versi(self) -> str | None:
        versi = cache.get(self.kunci_versi)
        if versi is None:
            cache.add(self.kunci_versi, uuid.uuid4().hex, timeout=None)
            versi = cache.get(self.kunci_versi)
        return versi

    def ambil(self, kunci, bangun):
        """The value under `kunci`, built by `bangun()` when missing, stale or of an old version.
        Callers must treat it as read-only: it is shared by every request of this process."""
        versi = self.versi()
        if versi is None:
            return bangun()
        sekarang = time.monotonic()
        ada = self._isi.get(kunci)
        if ada is not None and ada[0] == versi and sekarang - ada[2] < self.umur_maks:
            return ada[1]
        nilai = bangun()
        self._isi[kunci] = (versi, nilai, sekarang)
        return nilai

    def invalidasi(self):
        """A fresh token rather than a counter: an evicted key can never bring back an old version."""
        cache.set(self.kunci_versi, uuid.uuid4().hex, timeout=None)

    def invalidasi_sekarang_dan_saat_commit(self, **_sinyal):
        """For post_save/post_delete receivers: drop now (this transaction sees its change) and after commit."""
        self.invalidasi()
        transaction.on_commit(self.invalidasi)


wilayah_simpanan = SimpananProses("simpatik:wilayah:versi")


def kelurahan_dilayani() -> dict:
    """{code: Wilayah} of every kelurahan/desa an office serves, with its kecamatan (`induk`) joined,
    in name order. Read-only: shared by the process (the submission and the desk's filter read it)."""
    from kelurahan.models import Wilayah

    def bangun():
        qs = (Wilayah.objects.filter(tingkat=Wilayah.Tingkat.DESA, kantor__isnull=False)
              .select_related("induk").order_by("nama").distinct())
        return {w.kode: w for w in qs}

    return wilayah_simpanan.ambil("dilayani", bangun)
