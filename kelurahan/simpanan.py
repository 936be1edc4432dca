"""Per-process copies of master data (office calendars, catalogue entries, served kelurahan), dropped
everywhere at once.

Each process keeps what it built, stamped with a version token read from Django's cache; a change to
the rows replaces the token (now and again after commit, so another process cannot cache the old rows
under the new token) and every process rebuilds on its next use. While the cache cannot answer (Redis
down: config/cache.py answers None) every use reads the database, slower but never stale; and nothing
is kept longer than `umur_maks` seconds, so a token lost in an outage still reaches every process.

Within `versi_tetap()` (every request, by config/middleware.py; the SLA sweep) the tokens are read
once, all of them in one round trip, at their first use: a submission needs the calendar's, the
catalogue's and the kelurahan's, and reading each on every use cost five round trips (issue 22).
"""

import contextlib
import contextvars
import time
import uuid

from django.core.cache import cache
from django.db import transaction

_SEMUA: dict[str, "SimpananProses"] = {}  # version key -> its store: what one round trip reads
_tetap = contextvars.ContextVar("simpatik_versi_tetap", default=None)


def _baca_versi(kunci: str) -> str | None:
    versi = cache.get(kunci)
    if versi is None:
        cache.add(kunci, uuid.uuid4().hex, timeout=None)
        versi = cache.get(kunci)
    return versi


@contextlib.contextmanager
def versi_tetap():
    """Read the version tokens once for a unit of work (a request, a batch). A change made inside it is
    seen by this unit at once (`invalidasi` updates its copy); another process's change by the next unit.
    Without the cache, a token of the unit's own: what it builds is built once, and not trusted after."""
    if _tetap.get() is not None:  # nested: the outer unit's tokens stand
        yield
        return
    token = _tetap.set({})
    try:
        yield
    finally:
        _tetap.reset(token)


class SimpananProses:
    def __init__(self, kunci_versi: str, *, umur_maks: float = 600):
        self.kunci_versi = kunci_versi
        self.umur_maks = umur_maks
        self._isi = {}
        _SEMUA[kunci_versi] = self

    def versi(self) -> str | None:
        tetap = _tetap.get()
        if tetap is None:
            return _baca_versi(self.kunci_versi)
        if self.kunci_versi not in tetap:
            baru = [k for k in _SEMUA if k not in tetap]
            dibaca = cache.get_many(baru)
            for kunci in baru:
                versi = dibaca.get(kunci) or _baca_versi(kunci)  # a missing token is made once, by add
                tetap[kunci] = versi or f"lokal:{uuid.uuid4().hex}"
        return tetap[self.kunci_versi]

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
        versi = uuid.uuid4().hex
        cache.set(self.kunci_versi, versi, timeout=None)
        tetap = _tetap.get()
        if tetap is not None:
            tetap[self.kunci_versi] = versi

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
