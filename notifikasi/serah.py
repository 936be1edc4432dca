"""Hand-off of committed outbox rows to the workers.

Tasks are looked up by name in the Celery app's registry (notifikasi/apps.py
imports notifikasi.tasks at start-up), so the writers in services.py do not
import tasks.py, which imports relay.py, which imports services.py: no module
cycle, not even through a function-level import.
"""

import logging

from celery import current_app
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

log = logging.getLogger("notifikasi")
POTONGAN_TUGAS = 20  # rows per kirim_pesan_banyak task: a few tasks share a burst across workers
KUNCI_KETUK = "notifikasi:ketuk"
KETUK_DETIK = 10  # a wake-up whose task never started (lost publish) stops holding others back after this


def _tugas(nama: str):
    return current_app.tasks[f"notifikasi.tasks.{nama}"]


def ketuk():
    """After a commit that queued rows: wake one relay to send every due row.

    One publish serves a burst. The mark is set (SET NX) before the publish, and the task drops it before
    it reads the due rows, so a commit that finds the mark set is seen by the task already queued. A
    broker publish cost a submission 0.8 ms of CPU; the mark, one cache round trip (docs/benchmarks.md).
    With the cache down every commit publishes, as before; with the broker down the sweep sends. A
    cache of this process alone cannot be seen by another process's task: then every commit publishes."""
    bersama = current_app.conf.task_always_eager or not isinstance(caches["default"], LocMemCache)
    tambah = getattr(cache, "add_atau_none", cache.add)  # None: the cache cannot answer (config/cache.py)
    if bersama and tambah(KUNCI_KETUK, 1, timeout=KETUK_DETIK) is False:
        return
    try:
        _tugas("kirim_antrean").apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the rows are safe in the database
        cache.delete(KUNCI_KETUK)  # the next commit tries again
        log.warning("antrean tidak terjangkau (%s); pesan menunggu penyapu berkala", exc)


def ketuk_dibaca():
    """The task's side of `ketuk`: drop the mark before reading the due rows (see there)."""
    cache.delete(KUNCI_KETUK)


def antrikan(outbox_id: int, *, countdown: float | None = None):
    """Hand one row to a worker, for a retry at its backoff. A broker that is down loses nothing: the
    periodic sweep sends the row."""
    try:
        _tugas("kirim_pesan").apply_async((outbox_id,), countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the row is safe in the database
        log.warning("antrean tidak terjangkau (%s); pesan #%s menunggu penyapu berkala", exc, outbox_id)


def antrikan_banyak(outbox_ids: list[int]):
    """Hand many rows to the workers, POTONGAN_TUGAS per task; same fallback as `antrikan`."""
    for i in range(0, len(outbox_ids), POTONGAN_TUGAS):
        potongan = list(outbox_ids[i : i + POTONGAN_TUGAS])
        try:
            _tugas("kirim_pesan_banyak").apply_async((potongan,), retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure; the rows are safe in the database
            log.warning("antrean tidak terjangkau (%s); %d pesan menunggu penyapu berkala", exc, len(potongan))
            return
