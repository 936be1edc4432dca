"""Periodic work of the ledger (Celery beat: see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(ignore_result=True)
def audit_checkpoint():
    """Every few minutes, and after an SLA sweep that appended events: sign each chain that grew."""
    from audit.checkpoint import checkpoint_semua

    hasil = checkpoint_semua()
    return {"dibuat": len(hasil["dibuat"]), "ditolak": hasil["ditolak"]}
