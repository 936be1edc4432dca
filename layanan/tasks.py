"""Periodic work of the layanan app (Celery beat: see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from layanan.permohonan import sla


@shared_task(ignore_result=True)
def sla_sweep():
    """Every minute: tell officers about requests that crossed into rawan or terlambat."""
    return sla.sla_sweep()


@shared_task(ignore_result=True)
def kirim_digest():
    """Every morning at 07.00 local time: yesterday's figures to each lurah and camat."""
    from layanan.permohonan.services import digest_kirim

    return digest_kirim()
