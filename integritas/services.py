"""Writes of the integrity domain: anonymous surveys, complaints and their handling, each audited in its
own city-wide chain in the same transaction; and the survey invitation that follows a finished request."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import filetype
from django.conf import settings
from django.core.signing import BadSignature, TimestampSigner
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_catat
from integritas.ikm import ITEM_IPAK, ITEM_IPKP, UNSUR_IKM
from integritas.indikator import kode_induk, tingkat_kode
from integritas.models import Pengaduan, RiwayatPengaduan, Survei
from kelurahan.kalender import kalender_wilayah
from kelurahan.models import Wilayah
from layanan.models import Permohonan, Status
from layanan.permohonan.services import kabari_pemohon

RANTAI_SURVEI = "survei"
RANTAI_PENGADUAN = "pengaduan"
# Same rule as nomor_registrasi: no 0/O, 1/I/L, read aloud and typed from paper.
ALFABET_KODE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JENIS_BUKTI = {"application/pdf", "image/jpeg", "image/png"}


class DataTidakValid(Exception):
    """Input refused; `galat` maps each field to its messages (the API answers 400)."""

    def __init__(self, galat: dict):
        super().__init__(galat)
        self.galat = galat


class SudahDiisi(Exception):
    """The survey of this request was already answered (the API answers 409)."""


class TautanTidakSah(Exception):
    """A survey link that is forged, altered or expired."""


def kunci_samaran(nilai, *, tujuan: str) -> str:
    """Keyed hash: links records of one person or request without storing who or which.

    Only someone holding SECRET_KEY can test a guess, so officers reading the
    tables cannot turn the key back into a request or a NIK.
    """
    kunci = hashlib.sha256(f"simpatik:{tujuan}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(kunci, str(nilai).encode(), hashlib.sha256).hexdigest()


def survei_tautan(permohonan) -> str:
    """The link in the `survei_undangan` WhatsApp message: signed, bound to one request, expiring."""
    token = TimestampSigner(salt="audit.survei").sign(str(permohonan.pk))
    return f"{settings.PUBLIC_BASE_URL}/survei/{token}/"


def survei_token_baca(token: str) -> int:
    """The request id inside a survey link, or TautanTidakSah."""
    umur = timedelta(days=settings.SURVEI_TAUTAN_MAKS_HARI)
    try:
        return int(TimestampSigner(salt="audit.survei").unsign(token, max_age=umur))
    except (BadSignature, ValueError) as exc:
        raise TautanTidakSah(str(exc)) from exc


def _skor(jawaban, kunci: tuple, nama_bagian: str, galat: dict) -> dict:
    if not isinstance(jawaban, dict):
        galat[nama_bagian] = [_("Harus berupa objek berisi skor per unsur.")]
        return {}
    hasil = {}
    for k in kunci:
        nilai = jawaban.get(k)
        if isinstance(nilai, bool) or not isinstance(nilai, int) or not 1 <= nilai <= 4:
            galat[f"{nama_bagian}.{k}"] = [_("Wajib diisi dengan angka 1 sampai 4.")]
        else:
            hasil[k] = nilai
    lebih = sorted(set(jawaban) - set(kunci))
    if lebih:
        galat[nama_bagian] = [_("Unsur tidak dikenal: %(daftar)s") % {"daftar": ", ".join(lebih)}]
    return hasil


def survei_simpan(
    *,
    permohonan_id: int,
    kelurahan: str,
    layanan: str,
    ikm: dict,
    ipak: dict,
    ipkp: dict,
    diminta_bayar: bool,
    jumlah_bayar: int | None = None,
    kepada_bayar: str = "",
    saran: str = "",
    waktu=None,
) -> Survei:
    """Store one survey of a finished request. The caller has checked ownership and that it is finished.

    Nothing here names the resident or the request: a keyed hash of the request
    id refuses a second answer, and the ledger event carries only the answers.
    """
    galat: dict = {}
    skor_ikm = _skor(ikm, UNSUR_IKM, "ikm", galat)
    skor_ipak = _skor(ipak, ITEM_IPAK, "ipak", galat)
    skor_ipkp = _skor(ipkp, ITEM_IPKP, "ipkp", galat)
    if not isinstance(diminta_bayar, bool):
        galat["diminta_bayar"] = [_("Jawab ya (true) atau tidak (false).")]
    if jumlah_bayar is not None and (isinstance(jumlah_bayar, bool) or not isinstance(jumlah_bayar, int)
                                     or jumlah_bayar < 0):
        galat["jumlah_bayar"] = [_("Jumlah harus bilangan bulat tidak negatif.")]
    if len(kepada_bayar or "") > 120:
        galat["kepada_bayar"] = [_("Paling banyak 120 karakter.")]
    if len(saran or "") > 2000:
        galat["saran"] = [_("Paling banyak 2000 karakter.")]
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    tanggal = timezone.localtime(waktu).date()
    kunci = kunci_samaran(permohonan_id, tujuan="survei")
    if not diminta_bayar:
        jumlah_bayar, kepada_bayar = None, ""
    with transaction.atomic():
        if Survei.objects.filter(kunci=kunci).exists():
            raise SudahDiisi()
        survei = Survei(
            kunci=kunci, kelurahan=kelurahan, kecamatan=kode_induk(kelurahan, 3), kota=kode_induk(kelurahan, 2),
            layanan=layanan, tanggal=tanggal, diminta_bayar=diminta_bayar, jumlah_bayar=jumlah_bayar,
            kepada_bayar=kepada_bayar or "", saran=saran or "",
            **{f"ikm_{k}": v for k, v in skor_ikm.items()},
            **{f"ipak_{k}": v for k, v in skor_ipak.items()},
            **{f"ipkp_{k}": v for k, v in skor_ipkp.items()},
        )
        try:
            with transaction.atomic():
                survei.save(force_insert=True)
        except IntegrityError as exc:
            raise SudahDiisi() from exc
        # The event keeps the answers (indicators recomputable from the ledger) but no request, time or IP.
        audit_catat(
            rantai=RANTAI_SURVEI, kategori=AuditEvent.Kategori.SURVEI, aksi="isi", anonim=True,
            waktu=datetime.combine(tanggal, datetime.min.time(), tzinfo=timezone.get_current_timezone()),
            data={"kelurahan": kelurahan, "layanan": layanan, "tanggal": tanggal.isoformat(), "ikm": skor_ikm,
                  "ipak": skor_ipak, "ipkp": skor_ipkp, "diminta_bayar": diminta_bayar},
        )
    return survei


def _buat_kode_lacak() -> str:
    acak = "".join(secrets.choice(ALFABET_KODE) for _i in range(8))
    return f"{acak[:4]}-{acak[4:]}"


def _periksa_bukti(bukti, galat: dict):
    if bukti is None:
        return "", ""
    if bukti.size > settings.PENGADUAN_BUKTI_MAX_BYTES:
        galat["bukti"] = [_("Berkas terlalu besar (paling besar %(mb)d MB).") % {
            "mb": settings.PENGADUAN_BUKTI_MAX_BYTES // (1024 * 1024)}]
        return "", ""
    awal = bukti.read(261)
    bukti.seek(0)
    jenis = filetype.guess_mime(awal)
    if jenis not in JENIS_BUKTI:
        galat["bukti"] = [_("Bukti harus berupa PDF, JPEG atau PNG.")]
        return "", ""
    sha = hashlib.sha256()
    for potong in bukti.chunks():
        sha.update(potong)
    bukti.seek(0)
    return jenis, sha.hexdigest()


def pengaduan_buat(
    *,
    kategori: str,
    isi: str,
    nomor_registrasi: str = "",
    permohonan_id: int | None = None,
    layanan: str = "",
    kelurahan: str = "",
    kontak: str = "",
    bukti=None,
    waktu=None,
) -> Pengaduan:
    """Record a complaint (anonymous allowed). The caller resolves nomor_registrasi and checks the kelurahan exists."""
    galat: dict = {}
    if kategori not in Pengaduan.Kategori.values:
        galat["kategori"] = [_("Pilih salah satu: %(daftar)s.") % {"daftar": ", ".join(Pengaduan.Kategori.values)}]
    isi = (isi or "").strip()
    if len(isi) < 10:
        galat["isi"] = [_("Ceritakan pengaduan Anda (paling sedikit 10 karakter).")]
    elif len(isi) > 5000:
        galat["isi"] = [_("Paling banyak 5000 karakter.")]
    if len(kontak or "") > 150:
        galat["kontak"] = [_("Paling banyak 150 karakter.")]
    if kelurahan and tingkat_kode(kelurahan) != 4:
        galat["kelurahan"] = [_("Kode kelurahan tidak dikenal.")]
    jenis, sha = _periksa_bukti(bukti, galat)
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    with transaction.atomic():
        pengaduan = Pengaduan(
            kode_lacak=_buat_kode_lacak(), kategori=kategori, isi=isi, nomor_registrasi=nomor_registrasi or "",
            permohonan_id=permohonan_id, layanan=layanan or "", kelurahan=kelurahan or "",
            kecamatan=kode_induk(kelurahan, 3) if kelurahan else "",
            kota=kode_induk(kelurahan, 2) if kelurahan else "",
            kontak=kontak or "", bukti_jenis=jenis, bukti_sha256=sha, diterima_pada=waktu,
            tenggat_tanggapan=kalender_wilayah(kelurahan).tambah_hari_kerja(
                waktu, settings.PENGADUAN_TANGGAPAN_HARI_KERJA),
            tenggat_selesai=waktu + timedelta(days=settings.PENGADUAN_SELESAI_HARI),
        )
        if bukti is not None:
            ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[jenis]
            pengaduan.bukti.save(f"{secrets.token_hex(16)}.{ext}", bukti, save=False)
        pengaduan.save(force_insert=True)
        RiwayatPengaduan.objects.create(pengaduan=pengaduan, dari="", ke=pengaduan.status, waktu=waktu)
        # The complainant's IP and contact stay out of the ledger: whistleblowers are protected.
        audit_catat(
            rantai=RANTAI_PENGADUAN, kategori=AuditEvent.Kategori.PENGADUAN, aksi="terima", anonim=True,
            objek_tipe="pengaduan", objek_id=pengaduan.kode_lacak, waktu=waktu,
            data={"kategori": kategori, "kelurahan": pengaduan.kelurahan, "layanan": pengaduan.layanan,
                  "nomor_registrasi": pengaduan.nomor_registrasi, "ke": pengaduan.status,
                  "bukti_sha256": sha, "tenggat_tanggapan": pengaduan.tenggat_tanggapan.isoformat(),
                  "tenggat_selesai": pengaduan.tenggat_selesai.isoformat()},
        )
    return pengaduan


ALUR_PENGADUAN = {
    Pengaduan.Status.DITERIMA: {Pengaduan.Status.DIVERIFIKASI, Pengaduan.Status.DITUTUP},
    Pengaduan.Status.DIVERIFIKASI: {Pengaduan.Status.DITINDAKLANJUTI, Pengaduan.Status.SELESAI,
                                    Pengaduan.Status.DITUTUP},
    Pengaduan.Status.DITINDAKLANJUTI: {Pengaduan.Status.SELESAI, Pengaduan.Status.DITUTUP},
    Pengaduan.Status.SELESAI: {Pengaduan.Status.DITUTUP},
    Pengaduan.Status.DITUTUP: set(),
}
STATUS_TUNTAS = {Pengaduan.Status.SELESAI, Pengaduan.Status.DITUTUP}


class StatusPengaduanTidakSesuai(Exception):
    """The complaint's current status does not allow that step (the API answers 409)."""


def pengaduan_ubah_status(*, kode_lacak: str, status: str, pengguna, peran: str, catatan: str = "",
                          waktu=None) -> Pengaduan:
    """One step of the inspectorate's handling, audited in the same transaction."""
    galat = {}
    if status not in Pengaduan.Status.values:
        galat["status"] = [_("Status tidak dikenal.")]
    catatan = (catatan or "").strip()
    if status in STATUS_TUNTAS and not catatan:
        galat["catatan"] = [_("Tuliskan hasil penanganan untuk pengadu.")]
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    with transaction.atomic():
        pengaduan = Pengaduan.objects.select_for_update().get(kode_lacak=kode_lacak)
        dari = pengaduan.status
        if status not in ALUR_PENGADUAN[dari]:
            raise StatusPengaduanTidakSesuai(dari)
        pengaduan.status = status
        if pengaduan.ditanggapi_pada is None:
            pengaduan.ditanggapi_pada = waktu
        if status in STATUS_TUNTAS and pengaduan.diselesaikan_pada is None:
            pengaduan.diselesaikan_pada = waktu
        pengaduan.save(update_fields=["status", "ditanggapi_pada", "diselesaikan_pada"])
        RiwayatPengaduan.objects.create(pengaduan=pengaduan, dari=dari, ke=status, catatan=catatan,
                                        oleh=getattr(pengguna, "username", ""), waktu=waktu)
        audit_catat(
            rantai=RANTAI_PENGADUAN, kategori=AuditEvent.Kategori.PENGADUAN, aksi="ubah_status",
            aktor=pengguna, peran=peran, objek_tipe="pengaduan", objek_id=pengaduan.kode_lacak, waktu=waktu,
            data={"kategori": pengaduan.kategori, "kelurahan": pengaduan.kelurahan, "dari": dari, "ke": status,
                  "catatan": catatan},
        )
    return pengaduan


# --- what follows a request's transitions ------------------------------------------------------------


def permohonan_transisi(sender, *, permohonan, ke, **kwargs):
    """A finished request invites its resident to the survey, in the transition's transaction."""
    if ke == Status.SELESAI:
        kabari_pemohon(permohonan, "survei_undangan", tautan_survei=survei_tautan(permohonan))


# --- complaints from the public ---------------------------------------------------------------------


def pengaduan_ajukan(*, kategori, isi, nomor_registrasi="", kelurahan="", kontak="", bukti=None, waktu=None):
    """A complaint from the API or the web form: resolves a nomor_registrasi to its request, service and
    kelurahan, or a kelurahan code to a real one, then `pengaduan_buat`. Raises DataTidakValid per field."""
    nomor = str(nomor_registrasi or "").strip().upper()
    kelurahan = str(kelurahan or "").strip()
    permohonan_id, layanan = None, ""
    if nomor:
        p = Permohonan.objects.select_related("layanan").filter(nomor_registrasi=nomor).first()
        if p is None:
            raise DataTidakValid({"nomor_registrasi": [_("Nomor registrasi tidak dikenal.")]})
        permohonan_id, layanan, kelurahan = p.pk, p.layanan.kode, p.kelurahan_id
    elif kelurahan and not Wilayah.objects.filter(kode=kelurahan, tingkat=Wilayah.Tingkat.DESA).exists():
        raise DataTidakValid({"kelurahan": [_("Kode kelurahan tidak dikenal.")]})
    return pengaduan_buat(kategori=kategori, isi=isi, nomor_registrasi=nomor, permohonan_id=permohonan_id,
                          layanan=layanan, kelurahan=kelurahan, kontak=kontak, bukti=bukti, waktu=waktu)
