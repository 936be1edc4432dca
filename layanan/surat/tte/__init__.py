"""Signing backends of issued letters, chosen by configuration (docs/surat.md "Tanda tangan elektronik").

- `SURAT_TTE=bsre`: BSrE's API signs with the signer's certificate (NIK + passphrase the signer types
  at approval; the key never leaves the provider) — `bsre.py`;
- `SURAT_TTE` unset and `SURAT_PKCS12_PATH` set: the office certificate on the server — `pkcs12.py`;
- neither: the letter is issued unsigned (the QR token and SHA-256 still verify it).

Every backend answers (signed PDF, signature info kept with the letter) or raises a `GalatTTE`
whose message is the signer's and whose `kode` goes to the audit log. The passphrase is never
kept, logged or put into an error; functions that hold it hide it from Django's error reports.
"""

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from layanan.surat.tte.galat import GalatTTE, PenyediaTidakTersedia, TTETidakDikonfigurasi

__all__ = ["GalatTTE", "PenyediaTidakTersedia", "TTETidakDikonfigurasi", "tandatangani", "tte_bsre",
           "tte_butuh_passphrase", "verifikasi_penyedia"]


def tte_bsre() -> bool:
    return getattr(settings, "SURAT_TTE", "") == "bsre"


def tte_butuh_passphrase() -> bool:
    """Whether the signer types a passphrase to approve a request that issues a letter."""
    return tte_bsre()


@sensitive_variables("passphrase")
def tandatangani(pdf: bytes, *, alasan: str, lokasi: str, nik: str = "", passphrase: str | None = None,
                 url_verifikasi: str = "") -> tuple[bytes, dict]:
    """(signed PDF, info) by the configured backend; (pdf, {}) when nothing signs."""
    if tte_bsre():
        from layanan.surat.tte import bsre

        return bsre.tandatangani(pdf, alasan=alasan, lokasi=lokasi, nik=nik, passphrase=passphrase or "",
                                 url_verifikasi=url_verifikasi)
    from layanan.surat.tte import pkcs12

    return pkcs12.tandatangani(pdf, alasan=alasan, lokasi=lokasi)


def verifikasi_penyedia(surat) -> dict | None:
    """The provider's own reading of a letter's signature, for the public verification page (or None)."""
    if (surat.tanda_tangan_elektronik or {}).get("penyedia") != "bsre" or not tte_bsre():
        return None
    from layanan.surat.tte import bsre

    return bsre.verifikasi_surat(surat)
