"""Retention of what the notification app holds about people (docs/privasi.md "Retensi"):
sign-in codes are deleted, finished messages lose their text, variables and recipient number."""

from notifikasi.models import TANDA_ANONIM, KodeOTP, Outbox
from notifikasi.telepon import samarkan_hp

Status = Outbox.StatusPesan
# Statuses after which the relay never reads the text again (a row to be looked up at the provider,
# `periksa_dulu`, is matched on its text and stays whole until settled).
STATUS_AKHIR = [Status.TERKIRIM, Status.SAMPAI, Status.DIBACA, Status.GAGAL, Status.DILEWATI]


def otp_hapus_sebelum(batas) -> int:
    """Delete sign-in codes created before `batas` (long expired: a code lives minutes)."""
    jumlah, _rinci = KodeOTP.objects.filter(dibuat__lt=batas).delete()
    return jumlah


def outbox_anonimkan_sebelum(batas, *, per_batch: int = 500) -> int:
    """Blank the text and variables of finished messages written before `batas` and keep only a masked
    recipient: delivery figures (status, template, times) stay for the notification reports."""
    qs = (Outbox.objects.filter(dibuat__lt=batas, status__in=STATUS_AKHIR, periksa_dulu=False)
          .exclude(variabel__has_key=TANDA_ANONIM))
    jumlah = 0
    while True:
        baris = list(qs.order_by("pk")[:per_batch])
        if not baris:
            return jumlah
        for o in baris:
            o.isi, o.variabel, o.variabel_tersegel = "", {TANDA_ANONIM: True}, ""
            o.penerima = samarkan_hp(o.penerima)[:16]
            o.penerima_indeks = ""  # no longer found by the number (bulk_update skips the field's pre_save)
        Outbox.objects.bulk_update(baris, ["isi", "variabel", "variabel_tersegel", "penerima", "penerima_indeks"])
        jumlah += len(baris)
