"""Embedded default: the message goes to the log (phone masked) and stays in the outbox."""

import logging
import uuid

from notifikasi.telepon import samarkan_hp
from notifikasi.transport import HasilKirim

log = logging.getLogger("notifikasi.console")


def kirim(pesan, *, templat=None, dalam_sesi=False) -> HasilKirim:
    log.info("[%s/%s] #%s ke %s: %s", pesan.kanal, pesan.templat, pesan.pk, samarkan_hp(pesan.penerima), pesan.isi)
    return HasilKirim(sid=f"KONSOL{uuid.uuid4().hex[:26]}", status="sent")


def cari(pesan) -> list[HasilKirim]:
    # Nothing left the machine: logging the message again is harmless.
    return []
