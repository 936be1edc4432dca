"""What a server with DEBUG off needs before it may serve: reported by `manage.py check` (and
`check --deploy`) as errors, and refused at start by gunicorn and Celery (config/wsgi.py, config/celery.py).
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def masalah_produksi() -> list[checks.Error]:
    """Errors of a production configuration; none while DEBUG is on."""
    if settings.DEBUG:
        return []
    from audit.enkripsi import masalah_kunci
    from audit.kunci import kunci_terbaca

    galat = []
    try:
        rahasia = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty one; settings.py empties a missing or weak one
        rahasia = ""
    if not rahasia:
        galat.append(checks.Error(
            "SECRET_KEY tidak diatur (atau kurang dari 50 karakter) padahal DEBUG mati.",
            hint="python -c 'import secrets; print(secrets.token_urlsafe(64))' lalu simpan di .env sebagai SECRET_KEY.",
            id="simpatik.E001"))
    alasan = kunci_terbaca()
    if alasan:
        galat.append(checks.Error(
            f"Kunci penandatangan tidak bisa dipakai: {alasan}.",
            hint="Buat sekali dengan `manage.py buat_kunci`, atau salin kunci yang sama dari host lain; "
                 "tanpa kunci yang sama, QR surat dari host ini tidak terverifikasi di host lain.",
            id="simpatik.E002"))
    for alasan in masalah_kunci(terlarang=_kunci_pengembangan()):
        galat.append(checks.Error(
            f"Kunci enkripsi data tidak bisa dipakai: {alasan}.",
            hint="Buat dengan `manage.py enkripsi_ulang --kunci-baru` (sekali untuk DATA_KEYS, sekali untuk "
                 "BLIND_INDEX_KEY), simpan di .env dan salin yang sama ke setiap host; tanpanya NIK dan nomor HP "
                 "tidak bisa dibaca (docs/privasi.md \"Enkripsi\").",
            id="simpatik.E006"))
    if not settings.CACHE_URL:
        galat.append(checks.Error(
            "CACHE_URL tidak diatur padahal DEBUG mati: batas laju dan versi kalender hanya hidup per proses.",
            hint="CACHE_URL=redis://127.0.0.1:6379/1",
            id="simpatik.E003"))
    if settings.APP_HOSTS > 1 and not settings.S3_BUCKET:
        galat.append(checks.Error(
            f"APP_HOSTS={settings.APP_HOSTS} tetapi berkas unggahan dan surat disimpan di disk lokal (MEDIA_ROOT).",
            hint="Atur S3_BUCKET (dan S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY) agar semua host "
                 "membaca berkas yang sama.",
            id="simpatik.E004"))
    galat.extend(_masalah_tte())
    return galat


def _kunci_pengembangan() -> tuple[str, ...]:
    """The fixed development keys: public in the repository, so production refuses them. Only the bench
    settings (bench/settings.py, never a deployment's) accept them, for databases its generator sealed."""
    if settings.KUNCI_PENGEMBANGAN_DIIZINKAN:
        return ()
    from config.settings import _DEV_DATA_KEY, _DEV_INDEX_KEY

    return (_DEV_DATA_KEY, _DEV_INDEX_KEY)


def _masalah_tte() -> list[checks.Error]:
    """A certified-signature setting that would make every signing fail at the first letter, not at start."""
    tte = settings.SURAT_TTE
    if tte not in ("", "bsre"):
        return [checks.Error(f"SURAT_TTE={tte!r} tidak dikenal.", hint="Kosongkan (sertifikat kantor atau tanpa "
                             "TTE) atau isi `bsre`.", id="simpatik.E005")]
    kurang = [nama for nama in ("BSRE_BASE_URL", "BSRE_CLIENT_ID", "BSRE_CLIENT_SECRET")
              if tte == "bsre" and not getattr(settings, nama)]
    if kurang:
        return [checks.Error(f"SURAT_TTE=bsre tetapi {', '.join(kurang)} kosong: setiap penandatanganan akan gagal.",
                             hint="Isi alamat dan kredensial API BSrE dari BSSN (docs/surat.md).",
                             id="simpatik.E005")]
    return []


def masalah_lampu() -> list[checks.Error]:
    """Traffic-light thresholds that would colour the dashboards wrongly (in every mode, not only production):
    numbers in 0..1 with green at or above amber, IKM letters A–D with green at least as good as amber."""
    from integritas.indikator import MUTU_IKM

    hijau, kuning = settings.LAMPU_SLA_HIJAU, settings.LAMPU_SLA_KUNING
    galat = []
    angka = all(isinstance(x, (int, float)) and 0 <= x <= 1 for x in (hijau, kuning))
    if not angka or hijau < kuning:
        galat.append(checks.Error(
            f"LAMPU_SLA_HIJAU={hijau!r} dan LAMPU_SLA_KUNING={kuning!r} tidak sah: keduanya pecahan 0..1 dan "
            "hijau tidak boleh di bawah kuning.", hint="Misalnya LAMPU_SLA_HIJAU=0.95 dan LAMPU_SLA_KUNING=0.85.",
            id="simpatik.E007"))
    hijau, kuning = settings.LAMPU_IKM_HIJAU, settings.LAMPU_IKM_KUNING
    if hijau not in MUTU_IKM or kuning not in MUTU_IKM or len(hijau) != 1 or len(kuning) != 1 \
            or MUTU_IKM.index(hijau) > MUTU_IKM.index(kuning):
        galat.append(checks.Error(
            f"LAMPU_IKM_HIJAU={hijau!r} dan LAMPU_IKM_KUNING={kuning!r} tidak sah: keduanya satu huruf mutu A–D "
            "dan hijau tidak boleh lebih buruk daripada kuning.", hint="Misalnya LAMPU_IKM_HIJAU=B dan "
            "LAMPU_IKM_KUNING=C.", id="simpatik.E007"))
    return galat


@checks.register()
def periksa_produksi(app_configs, **kwargs):
    return masalah_lampu() + masalah_produksi()


def tolak_bila_belum_siap():
    """Called where a server starts: a production process with any of these errors does not start."""
    galat = masalah_lampu() + masalah_produksi()
    if galat:
        raise ImproperlyConfigured("Simpatik tidak dijalankan: " + " | ".join(f"{g.id}: {g.msg}" for g in galat))
