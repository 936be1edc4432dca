"""Periodic work of the layanan app (Celery beat: see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from layanan import sla


@shared_task(ignore_result=True)
def sla_sweep():
    """Every minute: tell officers about requests that crossed into rawan or terlambat."""
    return sla.sla_sweep()
