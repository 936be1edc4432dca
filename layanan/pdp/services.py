"""Writes of the personal-data rules (UU 27/2022): accepting the privacy notice and correction requests.

Each write and its audit row commit together. Audit rows name fields and record ids, never the
values (the ledger holds no personal data: docs/privasi.md)."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_catat
from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import Peran
from layanan.models import STATUS_TERBUKA, PermintaanKoreksi, Permohonan, PersetujuanPrivasi, Warga
from layanan.pdp.pemberitahuan import sha256_teks, versi_berlaku
from layanan.permohonan.galat import AksiDilarang, InputTidakValid, StatusTidakSesuai, TidakDitemukan
from notifikasi.services import outbox_tulis

# What a resident may ask to correct at the desk: the identity printed on letters. NIK, sex and birth
# date come from the NIK itself (Dukcapil's record); a wrong NIK is corrected at Dukcapil, not here.
KOLOM_KOREKSI = ("nama", "tempat_lahir", "agama", "pekerjaan", "status_perkawinan", "alamat")


def privasi_setujui(*, warga: Warga, kanal: str, petugas=None, waktu=None, rantai="sistem") -> PersetujuanPrivasi:
    """Record that `warga` accepted the notice in force (its version and text hash), in the caller's
    transaction; audited with the version only, on the chain of the submission's kelurahan when it
    comes with one (so the event sits in time order among that chain's), else on `sistem`."""
    waktu = waktu or timezone.now()
    versi = versi_berlaku()
    with transaction.atomic():
        catatan = PersetujuanPrivasi.objects.create(
            warga=warga, versi=versi, sha256=sha256_teks(), bahasa=translation.get_language() or "id", kanal=kanal,
            waktu=waktu, petugas=petugas)
        warga.privasi_versi, warga.privasi_disetujui_pada = versi, waktu
        warga.save(update_fields=["privasi_versi", "privasi_disetujui_pada"])
        audit_catat(rantai=rantai, kategori=AuditEvent.Kategori.AUTENTIKASI, aksi="privasi_disetujui",
                    aktor=petugas or warga.user, peran=Peran.PETUGAS_KELURAHAN if petugas else Peran.WARGA,
                    objek_tipe="warga", objek_id=warga.pk, waktu=waktu, data={"versi": versi, "kanal": kanal})
    return catatan


def kelurahan_warga(warga: Warga) -> list[str]:
    """Kelurahan where the resident filed requests: the offices that may decide a correction."""
    return list(Permohonan.objects.filter(pemohon=warga).order_by().values_list("kelurahan_id", flat=True).distinct())


def koreksi_ajukan(*, warga: Warga, kelurahan, perubahan: dict, alasan="", waktu=None) -> PermintaanKoreksi:
    """A resident asks to correct fields of their record (UU 27/2022 Pasal 6). Only fields that differ
    from the record count; at least one is needed. The kelurahan must be one they filed at."""
    galat = {}
    bersih = {}
    for kolom, nilai in (perubahan or {}).items():
        if kolom not in KOLOM_KOREKSI:
            galat[kolom] = [_("Kolom ini tidak dapat dikoreksi di sini.")]
            continue
        nilai = str(nilai or "").strip()
        batas = Warga._meta.get_field(kolom).max_length
        if len(nilai) > batas:
            galat[kolom] = [_("Paling banyak %(n)d karakter.") % {"n": batas}]
        elif nilai and nilai != getattr(warga, kolom):
            bersih[kolom] = nilai
    if not bersih and not galat:
        galat["perubahan"] = [_("Isi sedikitnya satu kolom dengan nilai yang benar (berbeda dari data sekarang).")]
    pilihan = kelurahan_warga(warga)
    if str(kelurahan or "") not in pilihan:
        galat["kelurahan"] = [_("Pilih kelurahan tempat Anda pernah mengajukan permohonan.")]
    alasan = str(alasan or "").strip()
    if len(alasan) > PermintaanKoreksi._meta.get_field("alasan").max_length:
        galat["alasan"] = [_("Paling banyak %(n)d karakter.") % {"n": 255}]
    if galat:
        raise InputTidakValid(_("Permintaan koreksi belum lengkap atau tidak valid."), galat)
    waktu = waktu or timezone.now()
    with transaction.atomic():
        k = PermintaanKoreksi.objects.create(warga=warga, kelurahan_id=kelurahan, perubahan=bersih, alasan=alasan,
                                             diajukan_pada=waktu)
        audit_catat(rantai=kelurahan, kategori=AuditEvent.Kategori.AKSES_DATA, aksi="koreksi_diajukan",
                    aktor=warga.user, peran=Peran.WARGA, objek_tipe="warga", objek_id=warga.pk, waktu=waktu,
                    data={"koreksi": k.pk, "kolom": sorted(bersih)})
    return k


def koreksi_putuskan(*, pengguna, koreksi_id, terima: bool, catatan="", waktu=None) -> PermintaanKoreksi:
    """A petugas_kelurahan of the request's kelurahan accepts (the record and the identity of the
    resident's open requests are corrected) or rejects with a reason. Audited; the resident is told
    on WhatsApp. 404 outside the officer's kelurahan, 403 for another role, 409 once decided."""
    waktu = waktu or timezone.now()
    catatan = str(catatan or "").strip()
    kantor = {t.kantor.wilayah_id for t in penugasan_aktif(pengguna) if t.peran == Peran.PETUGAS_KELURAHAN}
    semua = {t.kantor.wilayah_id for t in penugasan_aktif(pengguna)}
    with transaction.atomic():
        k = PermintaanKoreksi.objects.select_for_update().filter(pk=koreksi_id).first()
        if k is None or k.kelurahan_id not in semua:
            raise TidakDitemukan(_("Permintaan koreksi tidak ditemukan."))
        if k.kelurahan_id not in kantor:
            raise AksiDilarang(_("Hanya petugas kelurahan ini yang dapat memutuskan koreksi data."))
        if k.status != PermintaanKoreksi.Status.MENUNGGU:
            raise StatusTidakSesuai(_("Permintaan ini sudah diputuskan."))
        if not terima and not catatan:
            raise InputTidakValid(galat={"catatan": [_("Alasan penolakan wajib diisi.")]})
        if len(catatan) > PermintaanKoreksi._meta.get_field("catatan").max_length:
            raise InputTidakValid(galat={"catatan": [_("Paling banyak %(n)d karakter.") % {"n": 255}]})
        warga = Warga.objects.select_for_update().select_related("user").get(pk=k.warga_id)
        k.status = PermintaanKoreksi.Status.DITERIMA if terima else PermintaanKoreksi.Status.DITOLAK
        k.diputuskan_oleh, k.diputuskan_pada, k.catatan = pengguna, waktu, catatan
        k.save(update_fields=["status", "diputuskan_oleh", "diputuskan_pada", "catatan"])
        terbuka = 0
        if terima:
            for kolom, nilai in k.perubahan.items():
                setattr(warga, kolom, nilai)
            warga.save(update_fields=list(k.perubahan))
            # Open requests print the corrected identity; issued letters stay as signed.
            for p in Permohonan.objects.filter(pemohon=warga, status__in=STATUS_TERBUKA):
                p.identitas = {**p.identitas, **k.perubahan}
                p.save(update_fields=["identitas"])
                terbuka += 1
        audit_catat(rantai=k.kelurahan_id, kategori=AuditEvent.Kategori.AKSES_DATA,
                    aksi="koreksi_diterima" if terima else "koreksi_ditolak", aktor=pengguna,
                    peran=Peran.PETUGAS_KELURAHAN, objek_tipe="warga", objek_id=warga.pk, waktu=waktu,
                    data={"koreksi": k.pk, "kolom": sorted(k.perubahan), "permohonan_terbuka": terbuka})
        variabel = {"kolom": ", ".join(_label_kolom(c) for c in sorted(k.perubahan))}
        if not terima:
            variabel["alasan"] = catatan
        outbox_tulis(penerima=warga.no_hp, templat="koreksi_diterima" if terima else "koreksi_ditolak",
                     variabel=variabel, referensi=f"warga:{warga.pk}")
    return k


def _label_kolom(kolom: str) -> str:
    return {"nama": "nama", "tempat_lahir": "tempat lahir", "agama": "agama", "pekerjaan": "pekerjaan",
            "status_perkawinan": "status perkawinan", "alamat": "alamat"}[kolom]
