"""Input checks shared by the API and the web forms. Each returns a clean value
or raises django.core.exceptions.ValidationError with an Indonesian message."""

import datetime
import hashlib
from decimal import Decimal, InvalidOperation

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kelurahan.models import Wilayah

JENIS_BERKAS_DIIZINKAN = {"application/pdf", "image/jpeg", "image/png"}


def usia(lahir: datetime.date, pada: datetime.date) -> int:
    """Completed years between a birth date and a day."""
    return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))


def tanggal_lahir_nik(hari: int, bulan: int, tahun2: int, *, hari_ini: datetime.date) -> list[datetime.date]:
    """The birth dates a NIK's DDMMYY can stand for, youngest first: a two-digit year in any century
    whose date is not after today and whose age is at most settings.NIK_USIA_MAKS. Born 1925 and born
    2025 share the digits 25, so both stay candidates; a raises ValueError for an impossible date."""
    calon = []
    for abad in range(hari_ini.year // 100 * 100, hari_ini.year - settings.NIK_USIA_MAKS - 100, -100):
        lahir = datetime.date(abad + tahun2, bulan, hari)  # ValueError: 30 February, month 13
        if lahir <= hari_ini and usia(lahir, hari_ini) <= settings.NIK_USIA_MAKS:
            calon.append(lahir)
    return calon


def validasi_nik(nik, *, tanggal_lahir: datetime.date | None = None) -> dict:
    """16 digits; first six a real kecamatan; DDMMYY a real date (day + 40 for women), not after today.

    The two-digit year leaves the century open: `tanggal_lahir` (from the KTP-el, typed at the counter)
    settles it and must be one of the dates the digits allow; without it the youngest is taken.
    Returns {"nik", "jenis_kelamin", "tanggal_lahir"}.
    """
    nik = str(nik or "").strip()
    if len(nik) != 16 or not nik.isdigit():
        raise ValidationError(_("NIK harus 16 digit angka."))
    kode_kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if not Wilayah.objects.filter(kode=kode_kecamatan, tingkat=Wilayah.Tingkat.KECAMATAN).exists():
        raise ValidationError(_("Kode wilayah NIK (%(kode)s) tidak dikenal.") % {"kode": nik[:6]})
    hari, bulan, tahun2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    jenis_kelamin = "L"
    if hari > 40:
        hari -= 40
        jenis_kelamin = "P"
    hari_ini = timezone.localdate()
    try:
        calon = tanggal_lahir_nik(hari, bulan, tahun2, hari_ini=hari_ini)
    except ValueError:
        raise ValidationError(_("Tanggal lahir dalam NIK tidak valid.")) from None
    if tanggal_lahir is not None:
        if tanggal_lahir > hari_ini:
            raise ValidationError(_("Tanggal lahir tidak boleh sesudah hari ini."))
        if tanggal_lahir not in calon:
            raise ValidationError(_("NIK tidak cocok dengan tanggal lahir."))
        calon = [tanggal_lahir]
    if not calon:
        raise ValidationError(_("Tanggal lahir dalam NIK sesudah hari ini atau terlalu lampau."))
    if nik[12:16] == "0000":
        raise ValidationError(_("Nomor urut NIK tidak valid."))
    return {"nik": nik, "jenis_kelamin": jenis_kelamin, "tanggal_lahir": calon[0]}


def validasi_isian(formulir: list, data) -> dict:
    """Check `data` against a service's extra fields; returns cleaned values or raises a dict of errors."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError({"data": [_("Isian harus berupa objek JSON.")]})
    galat, bersih = {}, {}
    dikenal = {f["nama"] for f in formulir}
    for kunci in data:
        if kunci not in dikenal:
            galat[kunci] = [_("Isian ini tidak dikenal untuk layanan ini.")]
    for field in formulir:
        nama, tipe = field["nama"], field.get("tipe", "teks")
        nilai = data.get(nama)
        if nilai in (None, "") or (tipe == "daftar" and nilai == [] and not field.get("min")):
            if field.get("wajib"):
                galat[nama] = [_("%(label)s wajib diisi.") % {"label": field.get("label", nama)}]
            continue
        try:
            bersih[nama] = _bersihkan_nilai(tipe, nilai, field)
        except ValidationError as e:
            galat[nama] = e.messages
    if galat:
        raise ValidationError(galat)
    return bersih


def _bersihkan_daftar(nilai, field) -> list:
    """A repeatable group: a list of rows, each checked against the field's `kolom` like a small form."""
    if not isinstance(nilai, list) or not all(isinstance(b, dict) for b in nilai):
        raise ValidationError(_("Harus berupa daftar baris (larik objek JSON)."))
    baris = [b for b in nilai if any(v not in (None, "") for v in b.values())]
    minimal, maksimal = int(field.get("min", 0) or 0), int(field.get("maks", 50) or 50)
    if len(baris) < minimal:
        raise ValidationError(_("Paling sedikit %(n)s baris.") % {"n": minimal})
    if len(baris) > maksimal:
        raise ValidationError(_("Paling banyak %(n)s baris.") % {"n": maksimal})
    kolom = field.get("kolom") or []
    bersih, pesan = [], []
    for nomor, satu in enumerate(baris, start=1):
        try:
            bersih.append(validasi_isian(kolom, satu))
        except ValidationError as galat:
            for nama, daftar_pesan in galat.message_dict.items():
                pesan.extend(_("Baris %(n)s, %(kolom)s: %(pesan)s") % {"n": nomor, "kolom": nama, "pesan": p}
                             for p in daftar_pesan)
    if pesan:
        raise ValidationError(pesan)
    return bersih


def _bersihkan_nilai(tipe, nilai, field):
    if tipe == "daftar":
        return _bersihkan_daftar(nilai, field)
    if tipe == "jam":
        try:
            return datetime.time.fromisoformat(str(nilai).strip().replace(".", ":")).strftime("%H:%M")
        except ValueError:
            raise ValidationError(_("Jam harus berformat JJ:MM.")) from None
    if tipe == "angka":
        if isinstance(nilai, bool):
            raise ValidationError(_("Harus berupa angka."))
        try:
            angka = Decimal(str(nilai).strip())
        except InvalidOperation:
            raise ValidationError(_("Harus berupa angka.")) from None
        if not angka.is_finite():
            raise ValidationError(_("Harus berupa angka."))
        return int(angka) if angka == angka.to_integral_value() else str(angka)
    if tipe == "tanggal":
        try:
            return datetime.date.fromisoformat(str(nilai).strip()).isoformat()
        except ValueError:
            raise ValidationError(_("Tanggal harus berformat TTTT-BB-HH.")) from None
    if tipe == "pilihan":
        if str(nilai) not in [str(p) for p in field.get("pilihan", [])]:
            raise ValidationError(_("Pilihan tidak tersedia."))
        return str(nilai)
    if not isinstance(nilai, (str, int, float)) or isinstance(nilai, bool):
        raise ValidationError(_("Harus berupa teks."))
    teks = str(nilai).strip()
    if len(teks) > 500:
        raise ValidationError(_("Paling banyak 500 karakter."))
    return teks


def periksa_berkas(berkas) -> dict:
    """Type by content (magic bytes), never by name; size limit. Returns {"jenis", "ukuran", "sha256"}."""
    batas = settings.BERKAS_MAX_BYTES
    if berkas.size > batas:
        raise ValidationError(
            _("Ukuran berkas %(ukuran).1f MB melebihi batas %(batas).0f MB.")
            % {"ukuran": berkas.size / 1048576, "batas": batas / 1048576}
        )
    if berkas.size == 0:
        raise ValidationError(_("Berkas kosong."))
    berkas.seek(0)
    kepala = berkas.read(8192)
    jenis = filetype.guess_mime(kepala)
    if jenis not in JENIS_BERKAS_DIIZINKAN:
        raise ValidationError(_("Berkas harus PDF, JPEG atau PNG (diperiksa dari isinya)."))
    if jenis == "application/pdf" and not kepala.startswith(b"%PDF-"):
        raise ValidationError(_("Berkas PDF tidak valid."))
    if jenis.startswith("image/"):
        from PIL import Image

        berkas.seek(0)
        try:
            with Image.open(berkas) as gambar:
                gambar.verify()
        except Exception:
            raise ValidationError(_("Gambar rusak atau tidak dapat dibaca.")) from None
    berkas.seek(0)
    h = hashlib.sha256()
    for potongan in berkas.chunks():
        h.update(potongan)
    berkas.seek(0)
    return {"jenis": jenis, "ukuran": berkas.size, "sha256": h.hexdigest()}
