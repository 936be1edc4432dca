"""BSrE (Balai Sertifikasi Elektronik, BSSN) as the signing backend, through its HTTP API.

As public client code calls it (REFERENCES.md "BSrE electronic signatures"):
- sign: `POST {BSRE_BASE_URL}/api/v2/sign/pdf`, multipart `nik`, `passphrase`, `file[]`, and the
  visible-signature placement `tampilan` (INVISIBLE, or VISIBLE with `page`, `xAxis`, `yAxis`,
  `width`, `height`, `linkQR`); the answer is the signed PDF (or JSON `{"file": [base64]}`), a
  refusal a 4xx JSON `{"error", "status_code"}`;
- verify: `POST /api/v2/verify/pdf`, multipart `signed_file`;
- signer status: `GET /api/v2/user/check/status?nik=…`.
Client credentials go as HTTP basic auth. Every call has a connect and a read timeout.

The passphrase only travels in the request body to BSrE: it is not logged (we log status codes),
not put in any exception (requests' own errors are replaced `from None`, so no traceback frame
holding the body is reported), and the functions holding it are `sensitive_variables`.
"""

import base64
import binascii
import hashlib
import io
import logging

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from layanan.surat.tte.galat import GalatTTE, PenyediaTidakTersedia, TTETidakDikonfigurasi

logger = logging.getLogger(__name__)

JALUR_TANDA_TANGAN = "/api/v2/sign/pdf"
JALUR_VERIFIKASI = "/api/v2/verify/pdf"
JALUR_STATUS = "/api/v2/user/check/status"

# BSrE answers refusals with its own status codes and Indonesian/English text; read both.
KATA_PASSPHRASE = ("passphrase",)
KATA_TIDAK_TERDAFTAR = ("tidak terdaftar", "belum terdaftar", "not registered", "not found", "tidak ditemukan")
KATA_SERTIFIKAT = ("kedaluwarsa", "kadaluarsa", "kadaluwarsa", "expired", "revoke", "dicabut", "suspend",
                   "tidak aktif", "not active", "sertifikat")


def pesan(kode: str) -> str:
    """The signer's message for each kind of failure (also what the desk page shows)."""
    return {
        "passphrase_salah": _("Passphrase TTE salah. Surat belum ditandatangani dan permohonan tetap menunggu "
                              "persetujuan Anda; coba lagi."),
        "tidak_terdaftar": _("NIK penandatangan belum terdaftar sebagai pemilik sertifikat elektronik di BSrE "
                             "(atau NIK TTE belum diisi pada penugasan). Surat belum ditandatangani."),
        "sertifikat_tidak_berlaku": _("Sertifikat elektronik penandatangan kedaluwarsa, dicabut atau dibekukan. "
                                      "Perbarui sertifikat di BSrE; surat belum ditandatangani."),
        "ditolak": _("BSrE menolak penandatanganan. Surat belum ditandatangani; coba lagi atau hubungi admin."),
        "penyedia_tidak_tersedia": _("Layanan BSrE sedang tidak dapat dihubungi. Persetujuan Anda dicatat: "
                                     "permohonan menunggu tanda tangan di antrean \"Siap ditandatangani\" dan dapat "
                                     "ditandatangani begitu layanan pulih."),
        "tidak_dikonfigurasi": _("Aplikasi belum dapat memakai BSrE (alamat atau kredensial klien). "
                                 "Hubungi administrator; surat belum ditandatangani."),
    }[kode]


def _auth():
    return (settings.BSRE_CLIENT_ID, settings.BSRE_CLIENT_SECRET) if settings.BSRE_CLIENT_ID else None


def _timeout():
    return (settings.BSRE_TIMEOUT_CONNECT, settings.BSRE_TIMEOUT_READ)


def _url(jalur: str) -> str:
    if not settings.BSRE_BASE_URL:
        logger.error("SURAT_TTE=bsre but BSRE_BASE_URL is empty")
        raise TTETidakDikonfigurasi(pesan("tidak_dikonfigurasi"), kode="tidak_dikonfigurasi")
    return settings.BSRE_BASE_URL + jalur


def _galat_penolakan(jawaban) -> GalatTTE:
    """A 4xx answer -> the error the signer reads. The provider's text is matched, never shown or logged."""
    try:
        isi = jawaban.json()
    except ValueError:
        isi = {}
    teks = str(isi.get("error") or isi.get("message") or "").lower() if isinstance(isi, dict) else ""
    kode_penyedia = isi.get("status_code") if isinstance(isi, dict) else None
    logger.warning("BSrE refused: HTTP %s, status_code %s", jawaban.status_code, kode_penyedia)
    if jawaban.status_code in (401, 403) and not teks:
        return TTETidakDikonfigurasi(pesan("tidak_dikonfigurasi"), kode="tidak_dikonfigurasi")
    if any(k in teks for k in KATA_PASSPHRASE):
        kode = "passphrase_salah"
    elif any(k in teks for k in KATA_TIDAK_TERDAFTAR):
        kode = "tidak_terdaftar"
    elif any(k in teks for k in KATA_SERTIFIKAT):
        kode = "sertifikat_tidak_berlaku"
    else:
        kode = "ditolak"
    return GalatTTE(pesan(kode), kode=kode)


def _tak_terjangkau(galat: Exception):
    logger.warning("BSrE unreachable: %s", type(galat).__name__)
    return PenyediaTidakTersedia(pesan("penyedia_tidak_tersedia"), kode="penyedia_tidak_tersedia")


@sensitive_variables("passphrase", "data")
def tandatangani(pdf: bytes, *, alasan: str, lokasi: str, nik: str, passphrase: str,
                 url_verifikasi: str = "") -> tuple[bytes, dict]:
    """Send the rendered letter to BSrE to be signed by the signer's certificate; (signed PDF, info)."""
    if not nik:
        raise GalatTTE(pesan("tidak_terdaftar"), kode="tidak_terdaftar")
    url = _url(JALUR_TANDA_TANGAN)
    data = {"nik": nik, "passphrase": passphrase, "tampilan": settings.BSRE_TAMPILAN,
            "reason": alasan, "location": lokasi}
    if settings.BSRE_TAMPILAN == "VISIBLE":
        halaman, x, y, lebar, tinggi = (s.strip() for s in settings.BSRE_POSISI.split(","))
        data.update({"page": halaman, "xAxis": x, "yAxis": y, "width": lebar, "height": tinggi,
                     "linkQR": url_verifikasi})
    galat = None
    try:
        jawaban = requests.post(url, data=data, files={"file[]": ("surat.pdf", pdf, "application/pdf")},
                                auth=_auth(), timeout=_timeout())
    except requests.RequestException as e:
        galat = _tak_terjangkau(e)
    del data, passphrase
    if galat is not None:
        raise galat from None  # requests' exception (and its frames) never reach a report
    if jawaban.status_code >= 500:
        logger.warning("BSrE answered HTTP %s", jawaban.status_code)
        raise PenyediaTidakTersedia(pesan("penyedia_tidak_tersedia"), kode="penyedia_tidak_tersedia")
    if jawaban.status_code >= 400:
        raise _galat_penolakan(jawaban)
    hasil = _pdf_dari_jawaban(jawaban)
    if hasil is None:
        logger.error("BSrE answered %s without a signed PDF", jawaban.status_code)
        raise PenyediaTidakTersedia(pesan("penyedia_tidak_tersedia"), kode="penyedia_tidak_tersedia")
    return hasil, info_sertifikat(hasil)


def _pdf_dari_jawaban(jawaban) -> bytes | None:
    if jawaban.content.startswith(b"%PDF"):
        return jawaban.content
    try:
        isi = jawaban.json()
        berkas = isi.get("file") if isinstance(isi, dict) else None
        berkas = berkas[0] if isinstance(berkas, list) else berkas
        hasil = base64.b64decode(berkas or "", validate=True)
    except (ValueError, binascii.Error, TypeError, IndexError):
        return None
    return hasil if hasil.startswith(b"%PDF") else None


def info_sertifikat(pdf: bytes) -> dict:
    """Who signed, as the last PAdES signature's certificate says (kept with the letter and audited)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        tanda_tangan = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # a PDF pyHanko cannot read: the letter is refused, not issued unsigned
        tanda_tangan = []
    if not tanda_tangan:
        logger.error("BSrE answered a PDF without a signature")
        raise PenyediaTidakTersedia(pesan("penyedia_tidak_tersedia"), kode="penyedia_tidak_tersedia")
    ttd = tanda_tangan[-1]
    sertifikat = ttd.signer_cert
    waktu = ttd.self_reported_timestamp
    return {
        "penyedia": "bsre",
        "format": "PAdES",
        "nama": sertifikat.subject.native.get("common_name", ""),
        "subjek": sertifikat.subject.human_friendly,
        "penerbit": sertifikat.issuer.human_friendly,
        "nomor_seri": format(sertifikat.serial_number, "x"),
        "sidik_sha256": hashlib.sha256(sertifikat.dump()).hexdigest(),
        "berlaku_sampai": sertifikat["tbs_certificate"]["validity"]["not_after"].native.isoformat(),
        "ditandatangani_pada": waktu.isoformat() if waktu else "",
    }


def verifikasi_pdf(pdf: bytes) -> dict:
    """BSrE's reading of a signed PDF: {"tersedia", "kesimpulan", "penandatangan": [...]}.

    The answer's fields as BSrE's verify returns them: `conclusion`, `description` and
    `signatureInformations` (signerName, signatureDate, certificate status flags).
    """
    try:
        jawaban = requests.post(_url(JALUR_VERIFIKASI), files={"signed_file": ("surat.pdf", pdf, "application/pdf")},
                                auth=_auth(), timeout=_timeout())
        jawaban.raise_for_status()
        isi = jawaban.json()
    except (requests.RequestException, ValueError, GalatTTE) as e:
        logger.warning("BSrE verify unavailable: %s", type(e).__name__)
        return {"tersedia": False}
    daftar = []
    for info in isi.get("signatureInformations") or []:
        if info.get("certificateRevoked"):
            status = "dicabut"
        elif info.get("certificateExpired") or info.get("expired"):
            status = "kedaluwarsa"
        elif info.get("certificateTrusted") and info.get("integrityValid"):
            status = "berlaku"
        else:
            status = "tidak_sah"
        daftar.append({"nama": str(info.get("signerName") or ""), "waktu": str(info.get("signatureDate") or ""),
                       "status_sertifikat": status, "utuh": bool(info.get("integrityValid"))})
    return {"tersedia": True, "kesimpulan": str(isi.get("conclusion") or ""),
            "keterangan": str(isi.get("description") or ""), "penandatangan": daftar}


def verifikasi_surat(surat) -> dict:
    """`verifikasi_pdf` of a stored letter, cached (BSRE_VERIFIKASI_CACHE_DETIK) so scans do not flood BSrE."""
    kunci = f"bsre:verifikasi:{surat.pk}:{surat.sha256}"
    hasil = cache.get(kunci)
    if hasil is None:
        with surat.berkas_pdf.open("rb") as berkas:
            hasil = verifikasi_pdf(berkas.read())
        if hasil["tersedia"]:
            cache.set(kunci, hasil, settings.BSRE_VERIFIKASI_CACHE_DETIK)
    return hasil


def status_pengguna(nik: str) -> str | None:
    """BSrE's status of a signer ("ISSUE" when they may sign), or None when BSrE cannot be reached."""
    try:
        jawaban = requests.get(_url(JALUR_STATUS), params={"nik": nik}, auth=_auth(), timeout=_timeout())
    except (requests.RequestException, GalatTTE) as e:
        logger.warning("BSrE status unavailable: %s", type(e).__name__)
        return None
    if jawaban.status_code >= 500:
        return None
    try:
        isi = jawaban.json()
    except ValueError:
        return None
    return str(isi.get("status") or isi.get("message") or "") if isinstance(isi, dict) else ""
