"""Reads of the audit ledger."""

from dataclasses import dataclass

from audit.models import GENESIS_HASH, AuditEvent, RantaiAudit
from audit.rantai import hitung_hash, isi_event


@dataclass
class HasilVerifikasi:
    rantai: str
    jumlah: int
    utuh: bool
    event_rusak_id: int | None = None
    alasan: str = ""


def rantai_verifikasi(rantai: str, *, ukuran_batch: int = 5000) -> HasilVerifikasi:
    """Walk one chain in order and report the first event whose link or hash does not hold."""
    sebelum = GENESIS_HASH
    urutan_harap = 1
    jumlah = 0
    qs = AuditEvent.objects.filter(rantai=rantai).order_by("urutan")
    for event in qs.iterator(chunk_size=ukuran_batch):
        jumlah += 1
        if event.urutan != urutan_harap:
            return HasilVerifikasi(rantai, jumlah, False, event.pk, f"urutan {event.urutan}, seharusnya {urutan_harap}")
        if event.hash_sebelum != sebelum:
            return HasilVerifikasi(rantai, jumlah, False, event.pk, "hash_sebelum tidak menyambung")
        if hitung_hash(hash_sebelum=event.hash_sebelum, isi=isi_event(event)) != event.hash:
            return HasilVerifikasi(rantai, jumlah, False, event.pk, "isi tidak cocok dengan hash")
        sebelum = event.hash
        urutan_harap += 1
    kepala = RantaiAudit.objects.filter(kunci=rantai).first()
    if kepala is not None and (kepala.urutan != urutan_harap - 1 or kepala.hash_terakhir != sebelum):
        return HasilVerifikasi(rantai, jumlah, False, None, "kepala rantai tidak cocok: ada kejadian yang hilang di ujung")
    return HasilVerifikasi(rantai, jumlah, True)


def semua_rantai() -> list[str]:
    kunci = set(RantaiAudit.objects.values_list("kunci", flat=True))
    kunci |= set(AuditEvent.objects.values_list("rantai", flat=True).distinct())
    return sorted(kunci)


def riwayat_objek(objek_tipe: str, objek_id, *, kategori: str | None = None):
    qs = AuditEvent.objects.filter(objek_tipe=objek_tipe, objek_id=str(objek_id))
    if kategori:
        qs = qs.filter(kategori=kategori)
    return qs.order_by("waktu", "id")
