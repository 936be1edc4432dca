"""Relay tasks. The console backend logs the message and marks it sent."""

import logging

from celery import shared_task
from django.utils import timezone

from notifikasi.models import Outbox

log = logging.getLogger("notifikasi")


@shared_task
def kirim_pesan(outbox_id: int):
    pesan = Outbox.objects.filter(pk=outbox_id, status=Outbox.StatusPesan.ANTRI).first()
    if pesan is None:
        return
    log.info("[%s] ke %s…%s: %s", pesan.templat, pesan.penerima[:5], pesan.penerima[-3:], pesan.isi)
    Outbox.objects.filter(pk=pesan.pk, status=Outbox.StatusPesan.ANTRI).update(
        status=Outbox.StatusPesan.TERKIRIM, dikirim_pada=timezone.now(), percobaan=1
    )


@shared_task
def kirim_outbox_tertinggal():
    for pk in Outbox.objects.filter(status=Outbox.StatusPesan.ANTRI).values_list("pk", flat=True)[:500]:
        kirim_pesan(pk)
