"""Writes of the integrity domain: anonymous surveys, complaints and their handling, each audited in its
own city-wide chain in the same transaction; and the survey invitation that follows a finished request."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature, TimestampSigner
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_catat
from integritas.ikm import ITEM_IPAK, ITEM_IPKP, PROFIL_RESPONDEN, UNSUR_IKM
from integritas.indikator import kode_induk, tingkat_kode
from integritas.models import (
    JawabanSurveiPegawai,
    LkeJawaban,
    PartisipasiSurveiPegawai,
    Pengaduan,
    RiwayatPengaduan,
    Survei,
)
from integritas.selectors import ambang_lampu_berlaku, ambang_lampu_terakhir
from kelurahan.kalender import kalender_wilayah
from kelurahan.models import Kantor, Wilayah
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
    profil: dict | None = None,
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
    profil = _profil(profil, galat)
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
            **{f"responden_{k}": v for k, v in profil.items()},
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
                  "ipak": skor_ipak, "ipkp": skor_ipkp, "diminta_bayar": diminta_bayar,
                  **({"profil": profil} if profil else {})},
        )
    return survei


def _profil(profil, galat: dict) -> dict:
    """The optional respondent profile: each part empty or one of its codes; unknown parts refused."""
    if profil in (None, ""):
        return {}
    if not isinstance(profil, dict):
        galat["profil"] = [_("Harus berupa objek (jenis_kelamin, usia, pendidikan, pekerjaan).")]
        return {}
    bersih = {}
    for k, nilai in profil.items():
        pilihan = PROFIL_RESPONDEN.get(k)
        if pilihan is None:
            galat[f"profil.{k}"] = [_("Bagian profil tidak dikenal.")]
        elif nilai not in (None, ""):
            if nilai not in dict(pilihan):
                galat[f"profil.{k}"] = [_("Pilih salah satu: %(daftar)s.") % {"daftar": ", ".join(dict(pilihan))}]
            else:
                bersih[k] = nilai
    return bersih


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


def pengaduan_hari_kerja(kategori: str) -> tuple[int, int]:
    """(response, resolution) in working days for a kind of complaint (settings.PENGADUAN_HARI_KERJA)."""
    bawaan = (settings.PENGADUAN_TANGGAPAN_HARI_KERJA, settings.PENGADUAN_TANGGAPAN_HARI_KERJA)
    return tuple(settings.PENGADUAN_HARI_KERJA.get(kategori, bawaan))


def pengaduan_tenggat(kategori: str, kelurahan: str, waktu) -> tuple[datetime, datetime]:
    """Response and resolution deadlines counted in working days on the calendar of the office complained
    about (holidays, half-day closures and its own days off skipped); resolution never later than the
    Perpres 76/2013 cap of PENGADUAN_SELESAI_HARI calendar days."""
    tanggapan, selesai = pengaduan_hari_kerja(kategori)
    kalender = kalender_wilayah(kelurahan)
    batas = waktu + timedelta(days=settings.PENGADUAN_SELESAI_HARI)
    return kalender.tambah_hari_kerja(waktu, tanggapan), min(kalender.tambah_hari_kerja(waktu, selesai), batas)


def lapor_tenggat(pengaduan: Pengaduan) -> list[dict]:
    """The national SP4N-LAPOR! clock of a complaint, counted from its receipt on the office calendar:
    what a report forwarded there is measured against (settings.LAPOR_HARI_KERJA)."""
    kalender = kalender_wilayah(pengaduan.kelurahan)
    label = {"verifikasi": _("Verifikasi dan disposisi oleh admin"),
             "tindak_lanjut": _("Tindak lanjut pertama oleh instansi"),
             "tanggapan_pelapor": _("Kesempatan pelapor menanggapi")}
    hasil, mulai = [], pengaduan.diterima_pada
    for kunci, hari in settings.LAPOR_HARI_KERJA.items():
        mulai = kalender.tambah_hari_kerja(mulai, hari)
        hasil.append({"kunci": kunci, "label": label[kunci], "hari_kerja": hari, "tenggat": mulai})
    return hasil


def pengaduan_tautkan_lapor(*, kode_lacak: str, lapor_id: str, pengguna, peran: str, waktu=None) -> Pengaduan:
    """Record the SP4N-LAPOR! tracking id of a complaint (forwarded there, or received from there), audited."""
    lapor_id = (lapor_id or "").strip()
    if len(lapor_id) > 40 or (lapor_id and not all(c.isalnum() or c in "-/#." for c in lapor_id)):
        raise DataTidakValid({"lapor_id": [_("Nomor SP4N-LAPOR! paling banyak 40 huruf, angka atau - / # .")]})
    waktu = waktu or timezone.now()
    with transaction.atomic():
        pengaduan = Pengaduan.objects.select_for_update().get(kode_lacak=kode_lacak)
        lama = pengaduan.lapor_id
        if lama == lapor_id:
            return pengaduan
        pengaduan.lapor_id = lapor_id
        pengaduan.save(update_fields=["lapor_id"])
        audit_catat(
            rantai=RANTAI_PENGADUAN, kategori=AuditEvent.Kategori.PENGADUAN, aksi="tautkan_lapor",
            aktor=pengguna, peran=peran, objek_tipe="pengaduan", objek_id=pengaduan.kode_lacak, waktu=waktu,
            data={"lapor_id": [lama, lapor_id]},
        )
    return pengaduan


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
            **dict(zip(("tenggat_tanggapan", "tenggat_selesai"), pengaduan_tenggat(kategori, kelurahan, waktu), strict=True)),
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


# --- the officers' integrity survey ---------------------------------------------------------------------


def survei_pegawai_simpan(*, pengguna, kantor: str, jawaban: dict, periode: str | None = None) -> None:
    """One officer's answers for one period, anonymous to everyone, the admin with the database included.

    In one transaction: the participation row (user, period: refuses a second answer, says nothing of the
    answer) and the answer row (office, period and scores: no user, no date or time). Then every answer
    row of that office and period is deleted and written again in random order under fresh random ids, so
    ids, insertion order (SQLite rowid, PostgreSQL ctid) and transaction ids (PostgreSQL xmin, the same for
    all of them afterwards) cannot tell which answer arrived with which participation. No ledger event
    carries the answers: its order and times would link them (docs/indikator.md states what remains).
    Raises DataTidakValid per field, SudahDiisi on a second answer."""
    import random
    import uuid

    from integritas.pegawai import BUTIR_PEGAWAI, periode_sekarang
    from kelurahan.lingkup import penugasan_aktif

    galat: dict = {}
    kantor_boleh = {t.kantor.wilayah_id for t in penugasan_aktif(pengguna)}
    if kantor not in kantor_boleh:
        galat["kantor"] = [_("Pilih kantor tempat Anda bertugas.")]
    skor = _skor(jawaban, BUTIR_PEGAWAI, "jawaban", galat)
    if galat:
        raise DataTidakValid(galat)
    periode = periode or periode_sekarang()
    with transaction.atomic():
        try:
            with transaction.atomic():
                PartisipasiSurveiPegawai.objects.create(id=uuid.uuid4(), user=pengguna, periode=periode)
        except IntegrityError as exc:
            raise SudahDiisi() from exc
        # One writer per office at a time (the office row locked), so no answer is lost in the rewrite;
        # the reads below start after the lock, so they see the rows of whoever held it before.
        list(Kantor.objects.select_for_update().filter(wilayah_id=kantor).values_list("pk", flat=True))
        milik = JawabanSurveiPegawai.objects.filter(kantor=kantor, periode=periode)
        baris = [dict(b) for b in milik.values(*BUTIR_PEGAWAI)]
        baris.append(skor)
        random.SystemRandom().shuffle(baris)
        milik.delete()
        JawabanSurveiPegawai.objects.bulk_create(
            [JawabanSurveiPegawai(id=uuid.uuid4(), kantor=kantor, periode=periode, **b) for b in baris])


# --- the Zona Integritas worksheet (LKE) ------------------------------------------------------------------

RANTAI_ZI = "zona_integritas"


def lke_isi(*, pengguna, peran: str, kantor: str, tahun: int, kode: str, jawaban: str, catatan: str = "",
            bukti=None, waktu=None) -> LkeJawaban:
    """Answer (or change) one office-filled LKE indicator with its evidence, audited on the city-wide
    chain `zona_integritas` with the old and new answer and the evidence's SHA-256. The caller has checked
    that the user may fill this office's worksheet. Raises DataTidakValid per field."""
    from integritas.zi import DIISI_KANTOR, nilai_jawaban
    from layanan.permohonan.validasi import periksa_berkas

    galat: dict = {}
    indikator = DIISI_KANTOR.get(kode)
    if indikator is None:
        galat["kode"] = [_("Indikator tidak dikenal atau diisi oleh sistem.")]
    else:
        try:
            nilai_jawaban(indikator, jawaban)
        except (KeyError, ValueError, ZeroDivisionError):
            galat["jawaban"] = [_("Jawaban tidak sesuai bentuk indikator ini.")]
    if not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
        galat["tahun"] = [_("Tahun tidak valid.")]
    if len(catatan or "") > 2000:
        galat["catatan"] = [_("Paling banyak 2000 karakter.")]
    info = None
    if bukti is not None:
        try:
            info = periksa_berkas(bukti)
        except ValidationError as e:
            galat["bukti"] = e.messages
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    jawaban = str(jawaban).strip().lower()
    with transaction.atomic():
        baris = LkeJawaban.objects.select_for_update().filter(kantor=kantor, tahun=tahun, kode=kode).first()
        lama = {"jawaban": baris.jawaban, "bukti_sha256": baris.bukti_sha256} if baris else {}
        if baris is None:
            baris = LkeJawaban(kantor=kantor, tahun=tahun, kode=kode)
        baris.jawaban, baris.catatan = jawaban, catatan or ""
        baris.diubah_oleh, baris.diubah_pada = getattr(pengguna, "username", ""), waktu
        if info is not None:
            ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[info["jenis"]]
            baris.bukti.save(f"{secrets.token_hex(16)}.{ext}", bukti, save=False)
            baris.bukti_jenis, baris.bukti_sha256 = info["jenis"], info["sha256"]
        baris.save()
        audit_catat(
            rantai=RANTAI_ZI, kategori=AuditEvent.Kategori.MASTER_DATA, aksi="lke_isi", aktor=pengguna, peran=peran, objek_tipe="lke",
            objek_id=f"{kantor}/{tahun}/{kode}", waktu=waktu,
            data={"kantor": kantor, "tahun": tahun, "kode": kode, "lama": lama,
                  "baru": {"jawaban": jawaban, "bukti_sha256": baris.bukti_sha256}, "catatan": catatan or ""},
        )
    return baris


# --- the traffic lights' thresholds in the ledger --------------------------------------------------------


def ambang_lampu_catat(*, waktu=None) -> AuditEvent | None:
    """Append the thresholds in force to the system chain when they differ from the last record (or none
    exists). They live in the environment, where whoever runs the server could turn every light green;
    Celery beat runs this every few minutes, so such a change lands in the ledger with the values before and
    after, and the dashboards show the date of the last change. Returns the event written, if any."""
    berlaku = ambang_lampu_berlaku()
    with transaction.atomic():
        terakhir = ambang_lampu_terakhir()
        sebelumnya = terakhir.data.get("ambang") if terakhir is not None else None
        if sebelumnya == berlaku:
            return None
        return audit_catat(rantai="sistem", kategori=AuditEvent.Kategori.MASTER_DATA, aksi="ambang_lampu",
                           objek_tipe="pengaturan", objek_id="LAMPU", waktu=waktu,
                           data={"ambang": berlaku, "sebelumnya": sebelumnya})
