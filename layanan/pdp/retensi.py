"""The retention job (`manage.py terapkan_retensi`, Celery beat nightly): removes or anonymises personal
data whose period in settings has passed (docs/privasi.md "Retensi" lists each rule and why).

What it never touches: issued letters (archives under the city's retention schedule), the audit
ledger (holds no personal data; tests/test_privasi_demo.py proves it), request rows themselves
(status, times and SLA figures feed the indicators), resident accounts. Every run appends one
`retensi` event to the `sistem` chain with counts only."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_catat
from layanan.models import Berkas, PermintaanKoreksi, Permohonan, Status
from layanan.permohonan.sementara import sapu_kedaluwarsa
from notifikasi.retensi import otp_hapus_sebelum, outbox_anonimkan_sebelum

PER_BATCH = 200


def _batas(sekarang, hari):
    """The cut-off of a rule, or None when the rule is off (0 days)."""
    return sekarang - timedelta(days=hari) if hari > 0 else None


def _hapus_berkas(qs) -> int:
    """Delete upload rows and their files, a batch at a time; a file is deleted after its row commits
    (a failed batch leaves both)."""
    jumlah = 0
    while True:
        baris = list(qs.order_by("pk").values_list("pk", "berkas")[:PER_BATCH])
        if not baris:
            return jumlah
        with transaction.atomic():
            Berkas.objects.filter(pk__in=[pk for pk, _nama in baris]).delete()
        for _pk, nama in baris:
            if nama:
                default_storage.delete(nama)
        jumlah += len(baris)


def _anonimkan_permohonan(batas, sekarang) -> int:
    """Rejected and cancelled requests closed before `batas`: identity snapshot, service fields, purpose
    and last note are emptied (model attributes, so it works whatever storage the fields use)."""
    qs = Permohonan.objects.filter(status__in=[Status.DITOLAK, Status.DIBATALKAN], selesai_pada__lt=batas,
                                   dianonimkan_pada__isnull=True)
    jumlah = 0
    while True:
        baris = list(qs.order_by("pk")[:PER_BATCH])
        if not baris:
            return jumlah
        with transaction.atomic():
            for p in baris:
                p.identitas, p.data, p.keperluan, p.catatan_terakhir = {}, {}, "", ""
                p.dianonimkan_pada = sekarang
                p.save(update_fields=["identitas", "data", "keperluan", "catatan_terakhir", "dianonimkan_pada"])
        jumlah += len(baris)


def _anonimkan_koreksi(batas) -> int:
    """Decided correction requests: the values asked for and the reasons go; the field names stay."""
    jumlah = 0
    for k in PermintaanKoreksi.objects.filter(diputuskan_pada__lt=batas).exclude(status="menunggu").iterator():
        if any(v is not None for v in k.perubahan.values()) or k.alasan or k.catatan:
            k.perubahan = {kolom: None for kolom in k.perubahan}
            k.alasan = k.catatan = ""
            k.save(update_fields=["perubahan", "alasan", "catatan"])
            jumlah += 1
    return jumlah


def retensi_terapkan(*, sekarang=None) -> dict:
    """Apply every rule once; returns {rule: count} and audits the counts (idempotent: a second run
    the same day finds nothing)."""
    s = settings
    sekarang = sekarang or timezone.now()
    hasil = {}
    batas = _batas(sekarang, s.RETENSI_BERKAS_SELESAI_HARI)
    hasil["berkas_selesai"] = _hapus_berkas(
        Berkas.objects.filter(permohonan__status=Status.SELESAI, permohonan__selesai_pada__lt=batas)
    ) if batas else 0
    batas = _batas(sekarang, s.RETENSI_DITOLAK_HARI)
    if batas:
        hasil["berkas_ditolak"] = _hapus_berkas(Berkas.objects.filter(
            permohonan__status__in=[Status.DITOLAK, Status.DIBATALKAN], permohonan__selesai_pada__lt=batas))
        hasil["permohonan_dianonimkan"] = _anonimkan_permohonan(batas, sekarang)
    else:
        hasil["berkas_ditolak"] = hasil["permohonan_dianonimkan"] = 0
    batas = _batas(sekarang, s.RETENSI_OTP_HARI)
    hasil["kode_otp"] = otp_hapus_sebelum(batas) if batas else 0
    batas = _batas(sekarang, s.RETENSI_OUTBOX_HARI)
    hasil["pesan_dianonimkan"] = outbox_anonimkan_sebelum(batas) if batas else 0
    # Sessions past their expiry are useless to anyone; RETENSI_SESI_HARI only delays their removal.
    hasil["sesi"] = Session.objects.filter(expire_date__lt=sekarang - timedelta(days=s.RETENSI_SESI_HARI)).delete()[0]
    batas = _batas(sekarang, s.RETENSI_KOREKSI_HARI)
    hasil["koreksi_dianonimkan"] = _anonimkan_koreksi(batas) if batas else 0
    hasil["unggahan_sementara"] = sapu_kedaluwarsa(sekarang)
    with transaction.atomic():
        audit_catat(rantai="sistem", kategori=AuditEvent.Kategori.RETENSI, aksi="retensi", waktu=sekarang,
                    data={"jumlah": hasil, "hari": {
                        "berkas_selesai": s.RETENSI_BERKAS_SELESAI_HARI, "ditolak": s.RETENSI_DITOLAK_HARI,
                        "otp": s.RETENSI_OTP_HARI, "outbox": s.RETENSI_OUTBOX_HARI, "sesi": s.RETENSI_SESI_HARI,
                        "koreksi": s.RETENSI_KOREKSI_HARI}})
    return hasil
