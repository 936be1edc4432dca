"""Rendering a letter to PDF (WeasyPrint) from the frame template and the service's body template.

The body is the office's own template (`Layanan.templat_surat`, versioned)
when there is one, else the service's built-in body
(`surat/isi/<kode>.html`), else the generic `surat/isi_bawaan.html`. An
office template that fails at render time never fails the approval: the
built-in body is used and the letter and its audit event say so.
WeasyPrint fetches nothing but `data:` URLs and the project's own static
files, read from disk (`url_fetcher`).
"""

import base64
import dataclasses
import datetime
import io
import logging
import mimetypes
import posixpath
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit

import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string, select_template
from django.utils.safestring import mark_safe

from layanan.surat.templat import templat_render

log = logging.getLogger("layanan.surat.pdf")

NAMA_BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]
ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}

# Resident data printed on the letter, in the order letters list it (no phone number).
BARIS_IDENTITAS = [
    ("nama", "Nama"),
    ("nik", "NIK"),
    ("tempat_tanggal_lahir", "Tempat/Tanggal Lahir"),
    ("jenis_kelamin", "Jenis Kelamin"),
    ("agama", "Agama"),
    ("pekerjaan", "Pekerjaan"),
    ("status_perkawinan", "Status Perkawinan"),
    ("alamat", "Alamat"),
]


def tanggal_indonesia(nilai) -> str:
    """date, datetime or ISO text -> "23 November 2026" (independent of the active locale)."""
    if isinstance(nilai, str):
        try:
            nilai = datetime.date.fromisoformat(nilai[:10])
        except ValueError:
            return nilai
    if nilai is None:
        return ""
    return f"{nilai.day} {NAMA_BULAN[nilai.month - 1]} {nilai.year}"


def qr_png(isi: str) -> bytes:
    """PNG of a QR code (medium error correction survives a stamp or a fold)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(isi)
    qr.make(fit=True)
    keluaran = io.BytesIO()
    qr.make_image().save(keluaran, format="PNG")
    return keluaran.getvalue()


def data_uri(isi: bytes, jenis: str) -> str:
    return f"data:{jenis};base64,{base64.b64encode(isi).decode('ascii')}"


def _identitas(identitas: dict) -> list[tuple[str, str]]:
    nilai = dict(identitas)
    tempat, tanggal = nilai.get("tempat_lahir", ""), tanggal_indonesia(nilai.get("tanggal_lahir") or None)
    nilai["tempat_tanggal_lahir"] = ", ".join(x for x in (tempat, tanggal) if x)
    nilai["jenis_kelamin"] = JENIS_KELAMIN.get(nilai.get("jenis_kelamin", ""), nilai.get("jenis_kelamin", ""))
    return [(label, str(nilai.get(kunci) or "-")) for kunci, label in BARIS_IDENTITAS]


@dataclasses.dataclass
class Isian:
    """One service field as a letter prints it: its label and the resident's value, formatted."""

    nama: str
    label: str
    tipe: str
    nilai: str = ""
    mentah: object = None
    tercetak: bool = False  # set by the `surat` tags once the body has printed it
    kolom: list = dataclasses.field(default_factory=list)
    baris: list = dataclasses.field(default_factory=list)

    def __str__(self):
        return self.nilai

    def __bool__(self):
        return bool(self.nilai or self.baris)


def rupiah(nilai) -> str:
    """2500000 -> "Rp2.500.000" (Indonesian grouping; cents only when there are any)."""
    try:
        angka = Decimal(str(nilai))
    except InvalidOperation:
        return str(nilai)
    bulat = int(angka)
    teks = f"{bulat:,}".replace(",", ".")
    sen = angka - bulat
    return f"Rp{teks}" + (f",{int(sen * 100):02d}" if sen else "")


def nilai_cetak(bidang: dict, nilai) -> str:
    """One value as the letter prints it: dates in Indonesian, RT/RW zero-padded, money in rupiah."""
    if nilai in (None, ""):
        return ""
    tipe = bidang.get("tipe", "teks")
    if tipe == "tanggal":
        return tanggal_indonesia(nilai)
    if tipe == "jam":
        return str(nilai).replace(":", ".") + " WIB"
    if tipe == "angka":
        if bidang.get("format") == "rupiah":
            return rupiah(nilai)
        if bidang.get("digit") and str(nilai).isdigit():
            return str(nilai).zfill(int(bidang["digit"]))
    return str(nilai)


def isian_cetak(formulir: list, data: dict) -> dict:
    """{nama: Isian} for every field of the service, in catalogue order (empty ones too, so templates may name them)."""
    hasil = {}
    for bidang in formulir or []:
        nama = bidang.get("nama")
        if not nama:
            continue
        label = bidang.get("label") or nama
        isian = Isian(nama=nama, label=label, tipe=bidang.get("tipe", "teks"))
        nilai = data.get(nama)
        if isian.tipe == "daftar":
            kolom = bidang.get("kolom") or []
            isian.kolom = [k.get("label") or k["nama"] for k in kolom]
            isian.baris = [[nilai_cetak(k, (b or {}).get(k["nama"])) for k in kolom]
                           for b in (nilai if isinstance(nilai, list) else [])]
            isian.nilai = "; ".join(", ".join(x for x in b if x) for b in isian.baris)
        else:
            isian.nilai = nilai_cetak(bidang, nilai)
            isian.mentah = nilai
        hasil[nama] = isian
    # Values kept under names the catalogue no longer lists (a field renamed or removed since the
    # request was made) are still printed, labelled by their name.
    for nama, nilai in data.items():
        if nama not in hasil and nilai not in (None, "", []):
            label = nama.replace("_", " ").capitalize()
            if isinstance(nilai, list):
                hasil[nama] = Isian(nama=nama, label=label, tipe="teks",
                                    nilai="; ".join(", ".join(str(v) for v in (b or {}).values()) if isinstance(b, dict)
                                                    else str(b) for b in nilai))
            else:
                hasil[nama] = Isian(nama=nama, label=label, tipe="teks", nilai=str(nilai), mentah=nilai)
    return hasil


def _isian(f: dict) -> list[tuple[str, str]]:
    """The service's extra fields as (label, value) pairs, labelled as the catalogue labels them."""
    return [(i.label, i.nilai) for i in f.values() if i.nilai]


def _kabkota(kantor) -> tuple[str, str]:
    """("Kota Pekalongan", "Pekalongan"): the full name for the body, the short one for the place line."""
    wilayah = kantor.wilayah
    while wilayah is not None and wilayah.tingkat > 2:
        wilayah = wilayah.induk
    if wilayah is None:
        return "", ""
    nama = wilayah.nama
    for awalan in ("Kota ", "Kabupaten ", "KOTA ", "KABUPATEN "):
        if nama.startswith(awalan):
            return nama, nama[len(awalan):].title()
    return nama, nama.title()


def _logo(kantor) -> str:
    if not kantor.logo:
        return ""
    with kantor.logo.open("rb") as berkas:
        isi = berkas.read()
    jenis = "image/svg+xml" if kantor.logo.name.lower().endswith(".svg") else "image/png"
    if isi[:3] == b"\xff\xd8\xff":
        jenis = "image/jpeg"
    return data_uri(isi, jenis)


def _kepala_kelurahan(permohonan) -> dict | None:
    """The lurah of the request's kelurahan, named on kecamatan letters the lurah confirmed first (ahli waris)."""
    from kelurahan.models import Kantor

    kantor = Kantor.objects.filter(wilayah_id=permohonan.kelurahan_id).first()
    if kantor is None:
        return None
    return {"nama": kantor.penandatangan_nama, "nip": kantor.penandatangan_nip,
            "jabatan": kantor.penandatangan_jabatan or f"LURAH {permohonan.kelurahan.nama.upper()}"}


def konteks_surat(*, permohonan, kantor, nomor, tanggal, penandatangan, url_verifikasi=None, draf=False) -> dict:
    layanan = permohonan.layanan
    kelurahan = permohonan.kelurahan
    kabkota, kota = _kabkota(kantor)
    f = isian_cetak(layanan.formulir, permohonan.data or {})
    return {
        "permohonan": permohonan,
        "layanan": layanan,
        "judul": (layanan.perihal or f"Surat Keterangan {layanan.nama}").upper(),
        "kantor": kantor,
        "kelurahan": kelurahan.nama,
        "kecamatan": permohonan.kecamatan.nama,
        "kabkota": kabkota,
        "kota": kota,
        "nomor": nomor,
        "tanggal": tanggal_indonesia(tanggal),
        "pemohon": _identitas(permohonan.identitas or {}),
        "nama_pemohon": (permohonan.identitas or {}).get("nama", ""),
        "f": f,
        "isian": _isian(f),
        "keperluan": permohonan.keperluan,
        "penandatangan": penandatangan,
        "lurah": _kepala_kelurahan(permohonan) if kantor.jenis == "kecamatan" else None,
        "jenis_kelamin_pemohon": (permohonan.identitas or {}).get("jenis_kelamin", ""),
        "draf": draf,
        "logo": _logo(kantor),
        "qr": data_uri(qr_png(url_verifikasi), "image/png") if url_verifikasi else "",
        "url_verifikasi": url_verifikasi or "",
    }


def render_isi_bawaan(layanan, konteks: dict) -> str:
    """The service's built-in body (`surat/isi/<kode>.html`), or the generic one for a service without."""
    return select_template([f"surat/isi/{layanan.kode}.html", "surat/isi_bawaan.html"]).render(konteks)


def render_isi(layanan, konteks: dict) -> tuple[str, dict]:
    """The letter body and which template made it: {"versi": n or None, "cadangan": bool, ...}.

    An office template is checked when saved, so a failure here is rare (a
    value the template does not expect); it must not stop the approval.
    """
    if layanan.templat_surat.strip():
        try:
            return templat_render(layanan.templat_surat, konteks), {"versi": layanan.templat_versi, "cadangan": False}
        except Exception as galat:  # noqa: BLE001 - any failure falls back to the built-in body
            log.exception("templat surat layanan %s versi %s gagal; memakai templat bawaan",
                          layanan.kode, layanan.templat_versi)
            info = {"versi": None, "cadangan": True, "versi_gagal": layanan.templat_versi,
                    "galat": f"{type(galat).__name__}: {galat}"[:300]}
            for isian in konteks.get("f", {}).values():
                isian.tercetak = False
            return render_isi_bawaan(layanan, konteks), info
    return render_isi_bawaan(layanan, konteks), {"versi": None, "cadangan": False}


def render_html(konteks: dict) -> str:
    """The whole letter as HTML; `konteks["templat_dipakai"]` says which body template made it."""
    isi, info = render_isi(konteks["layanan"], konteks)
    konteks["templat_dipakai"] = info
    return render_to_string("surat/surat.html", {**konteks, "isi": mark_safe(isi)})


BASIS_URL = "https://surat.simpatik.invalid/"


def _berkas_statis(url: str) -> str | None:
    """The file on disk behind one of the project's own static URLs, or None."""
    bagian = urlsplit(url)
    asal = urlsplit(BASIS_URL)
    if (bagian.scheme, bagian.netloc) != (asal.scheme, asal.netloc) or bagian.query:
        return None
    jalur = unquote(bagian.path)
    awalan = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    if not jalur.startswith(awalan):
        return None
    relatif = jalur[len(awalan):]
    if not relatif or "\\" in relatif or "\x00" in relatif or posixpath.normpath(relatif) != relatif \
            or relatif.startswith(("/", "..")):
        return None
    return finders.find(relatif)


def url_fetcher_kelas():
    """A WeasyPrint URLFetcher that loads `data:` URLs and the project's static files (from disk), nothing else.

    Relative URLs resolve against a base that names no real host, so `/static/x.png`
    comes from the static folders and every other URL (file://, http://127.0.0.1…)
    is refused before any connection is made. WeasyPrint leaves a refused image out
    and logs it; the letter still renders.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PengambilAman(URLFetcher):
        def __init__(self, **kwargs):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, **kwargs)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            berkas = _berkas_statis(url)
            if berkas is None:
                raise ValueError(f"URL tidak diizinkan dalam surat: {url[:120]}")
            with open(berkas, "rb") as isi:
                data = isi.read()
            return URLFetcherResponse(url, data, {"Content-Type": mimetypes.guess_type(berkas)[0] or "application/octet-stream"})

    return PengambilAman


def render_pdf(konteks: dict) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    return HTML(string=render_html(konteks), base_url=BASIS_URL, url_fetcher=url_fetcher_kelas()()).write_pdf()
