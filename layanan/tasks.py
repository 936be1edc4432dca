"""Periodic work of the layanan app (Celery beat: see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from layanan.permohonan import sla


@shared_task(ignore_result=True)
def sla_sweep():
    """Every minute: tell officers about requests that crossed into rawan or terlambat.

    A sweep that told anyone appended to the ledger: the chains are signed again right after,
    so the sweep's events are covered by a checkpoint without waiting for the periodic one.
    """
    hasil = sla.sla_sweep()
    if any(hasil.values()):
        from audit.tasks import audit_checkpoint

        audit_checkpoint.delay()
    return hasil


@shared_task(ignore_result=True)
def kirim_digest():
    """Every morning at 07.00 local time: yesterday's figures to each lurah and camat."""
    from layanan.permohonan.services import digest_kirim

    return digest_kirim()


@shared_task(ignore_result=True)
def tte_kabari_pulih():
    """Letters waiting for BSrE: tell their signers once the provider answers again."""
    from layanan.permohonan.services import tte_kabari_pulih as kabari

    kabari()


@shared_task(ignore_result=True)
def terapkan_retensi():
    """Every night: remove or anonymise personal data past its retention period (docs/privasi.md)."""
    from layanan.pdp.retensi import retensi_terapkan

    return retensi_terapkan()
