"""Hand-off of committed outbox rows to the workers.

Tasks are looked up by name in the Celery app's registry (notifikasi/apps.py
imports notifikasi.tasks at start-up), so the writers in services.py do not
import tasks.py, which imports relay.py, which imports services.py: no module
cycle, not even through a function-level import.
"""

import logging

from celery import current_app

log = logging.getLogger("notifikasi")
POTONGAN_TUGAS = 20  # rows per kirim_pesan_banyak task: a few tasks share a burst across workers


def _tugas(nama: str):
    return current_app.tasks[f"notifikasi.tasks.{nama}"]


def antrikan(outbox_id: int, *, countdown: float | None = None):
    """Hand a row to a worker. A broker that is down loses nothing: the periodic sweep sends the row."""
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
