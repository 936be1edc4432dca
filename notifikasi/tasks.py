"""Celery entry points; the work is in relay.py."""

from celery import shared_task

from notifikasi.relay import outbox_kirim, outbox_kirim_antrean, outbox_kirim_tertinggal


@shared_task(ignore_result=True)
def kirim_antrean():
    """Woken after commit by outbox_tulis (serah.ketuk): sends every due row once."""
    outbox_kirim_antrean()


@shared_task(ignore_result=True)
def kirim_pesan(outbox_id: int):
    """A retry at its backoff (relay._catat_galat); sends that row once (a no-op if someone else claimed it)."""
    outbox_kirim(outbox_id=outbox_id)


@shared_task(ignore_result=True)
def kirim_outbox_tertinggal():
    """Celery beat, every 30 s: rows left behind by a down worker or broker, and stuck rows."""
    return outbox_kirim_tertinggal()


@shared_task(ignore_result=True)
def kirim_pesan_banyak(outbox_ids: list[int]):
    """Enqueued after commit by outbox_tulis_banyak; sends each row once, in order, claiming it just before."""
    for outbox_id in outbox_ids:
        outbox_kirim(outbox_id=outbox_id)
