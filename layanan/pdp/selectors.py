"""Reads of the personal-data rules: everything held about one resident and who opened it
(UU 27/2022 Pasal 7 and 32), the correction queue of a kelurahan, and what one account read in a
period (breach investigation, `manage.py akses_akun`)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from audit.models import AuditEvent
from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import Peran
from layanan.models import Berkas, PermintaanKoreksi, Permohonan

# Audited reads of a request's personal data by officers (layanan/permohonan/services.py, integritas exports).
AKSI_AKSES_PETUGAS = ("lihat_permohonan", "buka_data_pribadi", "pratinjau_draf", "lihat_berkas",
                      "koreksi_diterima", "koreksi_ditolak")
KOLOM_WARGA = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "tempat_lahir", "agama", "pekerjaan",
               "status_perkawinan", "alamat", "no_hp", "whatsapp_aktif", "dibuat", "privasi_versi",
               "privasi_disetujui_pada")


def data_saya(warga) -> dict:
    """Everything Simpatik holds about `warga`, as stored (the resident sees their own data unmasked)."""
    from notifikasi import otp
    from notifikasi.models import KodeOTP, Outbox

    permohonan = list(Permohonan.objects.filter(pemohon=warga).select_related("layanan", "kelurahan")
                      .order_by("-diajukan_pada"))
    berkas = {}
    for b in Berkas.objects.filter(permohonan__in=permohonan).order_by("permohonan", "persyaratan_kode", "pk"):
        berkas.setdefault(b.permohonan_id, []).append(b)
    for p in permohonan:
        p.daftar_berkas = berkas.get(p.pk, [])
    referensi = [f"permohonan:{p.pk}" for p in permohonan] + [f"warga:{warga.pk}"]
    return {
        "warga": [(warga._meta.get_field(k).verbose_name, getattr(warga, k)) for k in KOLOM_WARGA],
        "permohonan": permohonan,
        "kode_masuk": list(KodeOTP.objects.filter(kunci=otp.kunci_nik(warga.nik)).order_by("-dibuat")[:100]),
        "pesan": list(Outbox.objects.filter(referensi__in=referensi).order_by("-dibuat")[:200]),
        "persetujuan": list(warga.persetujuan_privasi.order_by("-waktu")),
        "koreksi": list(warga.koreksi.select_related("kelurahan").order_by("-diajukan_pada")),
    }


def akses_data_saya(warga, *, batas: int = 500) -> list[AuditEvent]:
    """Every audited officer access to the resident's requests and record, newest first, each with
    `petugas_nama` (the account's full name) for display."""
    permohonan = [str(pk) for pk in Permohonan.objects.filter(pemohon=warga).values_list("pk", flat=True)]
    events = list(
        AuditEvent.objects.filter(
            Q(objek_tipe="permohonan", objek_id__in=permohonan) | Q(objek_tipe="warga", objek_id=str(warga.pk)),
            kategori=AuditEvent.Kategori.AKSES_DATA, aksi__in=AKSI_AKSES_PETUGAS,
        ).exclude(peran=Peran.WARGA).order_by("-waktu")[:batas]
    )
    nama = {u.pk: u.get_full_name() or u.get_username()
            for u in get_user_model().objects.filter(pk__in={e.aktor_id for e in events if e.aktor_id})}
    for e in events:
        e.petugas_nama = nama.get(e.aktor_id, e.aktor)
    return events


def koreksi_antrean(pengguna):
    """Correction requests of the kelurahan where `pengguna` is a petugas_kelurahan, waiting first."""
    kantor = [t.kantor.wilayah_id for t in penugasan_aktif(pengguna) if t.peran == Peran.PETUGAS_KELURAHAN]
    return (PermintaanKoreksi.objects.filter(kelurahan_id__in=kantor).select_related("warga", "kelurahan")
            .order_by("-status", "diajukan_pada"))


def akses_akun(pengguna, *, dari, sampai) -> dict:
    """What one account read in [dari, sampai): every audited access to personal data (views, reveals,
    previews, exports) and, as the upper bound of what it *could* have read, its scope's requests."""
    from layanan.permohonan.selectors import permohonan_dalam_lingkup

    events = list(AuditEvent.objects.filter(kategori=AuditEvent.Kategori.AKSES_DATA, aktor_id=pengguna.pk,
                                            waktu__gte=dari, waktu__lt=sampai).order_by("waktu"))
    lingkup = permohonan_dalam_lingkup(pengguna)
    return {
        "kejadian": events,
        "permohonan": sorted({e.data.get("nomor_registrasi") for e in events if e.data.get("nomor_registrasi")}),
        "lingkup_kantor": sorted({t.kantor.wilayah_id for t in penugasan_aktif(pengguna)}),
        "lingkup_permohonan": lingkup.filter(diajukan_pada__lt=sampai).count(),
    }
