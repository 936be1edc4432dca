"""Periodic work of the integritas app (Celery beat: see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(ignore_result=True)
def ambang_lampu_catat():
    """Every few minutes: record the dashboards' traffic-light thresholds in the ledger when they changed."""
    from integritas.services import ambang_lampu_catat as catat

    return bool(catat())
