"""Rendering a letter to PDF (WeasyPrint) from the frame template and the service's body template."""

import base64
import datetime
import io

import qrcode
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

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


def _isian(formulir: list, data: dict) -> list[tuple[str, str]]:
    """The service's extra fields, labelled as the catalogue labels them, in catalogue order."""
    baris = []
    for bidang in formulir or []:
        nama = bidang.get("nama")
        if not nama or data.get(nama) in (None, ""):
            continue
        nilai = data[nama]
        if bidang.get("tipe") == "tanggal":
            nilai = tanggal_indonesia(nilai)
        baris.append((bidang.get("label") or nama, str(nilai)))
    return baris


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


def konteks_surat(*, permohonan, kantor, nomor, tanggal, penandatangan, url_verifikasi=None, draf=False) -> dict:
    layanan = permohonan.layanan
    kelurahan = permohonan.kelurahan
    kabkota, kota = _kabkota(kantor)
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
        "isian": _isian(layanan.formulir, permohonan.data or {}),
        "keperluan": permohonan.keperluan,
        "penandatangan": penandatangan,
        "draf": draf,
        "logo": _logo(kantor),
        "qr": data_uri(qr_png(url_verifikasi), "image/png") if url_verifikasi else "",
        "url_verifikasi": url_verifikasi or "",
    }


def render_isi(layanan, konteks: dict) -> str:
    """The letter body: the service's own template when an admin wrote one, else the default."""
    if layanan.templat_surat.strip():
        return engines["django"].from_string(layanan.templat_surat).render(konteks)
    return render_to_string("surat/isi_bawaan.html", konteks)


def render_html(konteks: dict) -> str:
    isi = render_isi(konteks["layanan"], konteks)
    return render_to_string("surat/surat.html", {**konteks, "isi": mark_safe(isi)})


def render_pdf(konteks: dict) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    return HTML(string=render_html(konteks)).write_pdf()
