"""Keeping office calendars fresh.

Any change to an office, its opening hours or a holiday replaces the calendar
cache token (now, for this process and this transaction, and again after commit,
so another process cannot cache the old rows under the new token), and sends
`kalender_berubah` so apps that hold deadlines (layanan) can move them. This app
knows nothing of requests: it only announces which region's calendar changed.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from kelurahan.kalender import kalender_invalidasi
from kelurahan.models import HariLibur, JamKhusus, JamKhususHari, JamLayanan, Kantor, Wilayah
from kelurahan.simpanan import wilayah_simpanan

# Sent inside the transaction that changed the calendar. wilayah_kode: the region whose
# office calendar changed, or None when every office is affected (a holiday for all).
kalender_berubah = Signal()


def _invalidasi():
    kalender_invalidasi()
    transaction.on_commit(kalender_invalidasi)


@receiver([post_save, post_delete], sender=Kantor, dispatch_uid="kalender_kantor")
def _kantor_berubah(sender, instance, **kwargs):
    _invalidasi()


@receiver([post_save, post_delete], sender=JamLayanan, dispatch_uid="kalender_jam")
@receiver([post_save, post_delete], sender=HariLibur, dispatch_uid="kalender_libur")
@receiver([post_save, post_delete], sender=JamKhusus, dispatch_uid="kalender_jam_khusus")
def _jadwal_berubah(sender, instance, **kwargs):
    _umumkan(sender, instance.kantor_id)


@receiver([post_save, post_delete], sender=JamKhususHari, dispatch_uid="kalender_jam_khusus_hari")
def _jam_khusus_berubah(sender, instance, **kwargs):
    periode = JamKhusus.objects.filter(pk=instance.periode_id).values_list("kantor_id", flat=True)
    if not periode:  # the period itself is being deleted: its own signal moves the deadlines
        _invalidasi()
        return
    _umumkan(sender, periode[0])


def _umumkan(sender, kantor_id):
    _invalidasi()
    wilayah_kode = None
    if kantor_id is not None:
        wilayah_kode = Kantor.objects.filter(pk=kantor_id).values_list("wilayah_id", flat=True).first()
        if wilayah_kode is None:  # the office itself is being deleted: nothing left to move
            return
    kalender_berubah.send(sender=sender, wilayah_kode=wilayah_kode)


# Served kelurahan (kelurahan/simpanan.py): an office opened or closed, a region renamed.
for _model, _uid in ((Kantor, "kantor"), (Wilayah, "wilayah")):
    post_save.connect(wilayah_simpanan.invalidasi_sekarang_dan_saat_commit, sender=_model,
                      dispatch_uid=f"wilayah_simpanan_{_uid}_simpan")
    post_delete.connect(wilayah_simpanan.invalidasi_sekarang_dan_saat_commit, sender=_model,
                        dispatch_uid=f"wilayah_simpanan_{_uid}_hapus")
