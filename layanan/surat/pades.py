"""PAdES signature (pyHanko) of issued letters with the deployment's office certificate.

Optional: without SURAT_PKCS12_PATH letters are issued unsigned and the
verification page says so. Once a certificate is configured every letter is
signed, and a certificate that cannot be used (missing file, wrong passphrase,
expired) stops the approval with a clear error, rolled back with no number
consumed, rather than silently issuing unsigned letters.
"""

import datetime
import hashlib
import io
import logging
import os
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

from layanan.permohonan.galat import GalatLayanan

logger = logging.getLogger(__name__)

NAMA_FIELD = "TandaTanganElektronik"
FORMAT = "PAdES-B-B"


class SertifikatTidakDapatDipakai(GalatLayanan):
    """The configured certificate cannot sign: an administrator must fix the deployment (503)."""

    status_code = 503


def pades_aktif() -> bool:
    return bool(getattr(settings, "SURAT_PKCS12_PATH", ""))


def _penanda_tangan_kelas():
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class PenandaTangan(SimpleSigner):
        """SimpleSigner that parses its private key once.

        pyHanko's SimpleSigner parses (and for RSA re-checks) the key at every
        signature, twice per letter with the size estimate: ~0.1 s each here,
        spent while the office's number counter is locked.
        """

        kunci = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mekanisme = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if mekanisme == "rsassa_pkcs1v15":
                return self.kunci.sign(data, PKCS1v15(), hash_algo)
            if mekanisme == "ecdsa":
                return self.kunci.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return PenandaTangan


@lru_cache(maxsize=4)
def _muat(path: str, passphrase: str, _versi: tuple):
    """(signer, certificate info) for one PKCS#12 file; `_versi` (mtime, size) reloads a replaced file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.signers import SimpleSigner

    with open(path, "rb") as berkas:
        isi = berkas.read()
    dasar = SimpleSigner.load_pkcs12_data(isi, other_certs=(), passphrase=passphrase.encode() if passphrase else None)
    signer = _penanda_tangan_kelas()(
        signing_key=dasar.signing_key, signing_cert=dasar.signing_cert, cert_registry=dasar.cert_registry
    )
    signer.kunci = serialization.load_der_private_key(dasar.signing_key.dump(), password=None)
    sertifikat = x509.load_der_x509_certificate(dasar.signing_cert.dump())
    cn = sertifikat.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    info = {
        "format": FORMAT,
        "nama": cn[0].value if cn else sertifikat.subject.rfc4514_string(),
        "subjek": sertifikat.subject.rfc4514_string(),
        "penerbit": sertifikat.issuer.rfc4514_string(),
        "nomor_seri": format(sertifikat.serial_number, "x"),
        "sidik_sha256": hashlib.sha256(dasar.signing_cert.dump()).hexdigest(),
        "berlaku_mulai": sertifikat.not_valid_before_utc.isoformat(),
        "berlaku_sampai": sertifikat.not_valid_after_utc.isoformat(),
    }
    return signer, info


def sertifikat_muat():
    """The configured signer and its certificate info; raises SertifikatTidakDapatDipakai with the reason."""
    path = str(settings.SURAT_PKCS12_PATH)
    pesan_admin = _("Surat tidak dapat ditandatangani secara elektronik: %(alasan)s Hubungi administrator.")
    try:
        keadaan = os.stat(path)
        signer, info = _muat(path, settings.SURAT_PKCS12_PASSPHRASE or "", (keadaan.st_mtime_ns, keadaan.st_size))
    except OSError as galat:
        logger.error("SURAT_PKCS12_PATH %s cannot be read: %s", path, galat)
        raise SertifikatTidakDapatDipakai(pesan_admin % {"alasan": _("berkas sertifikat tidak dapat dibaca.")}) from galat
    except ValueError as galat:
        logger.error("SURAT_PKCS12_PATH %s cannot be opened (wrong passphrase or not PKCS#12): %s", path, galat)
        raise SertifikatTidakDapatDipakai(
            pesan_admin % {"alasan": _("sertifikat tidak dapat dibuka (kata sandi salah atau bukan PKCS#12).")}
        ) from galat
    waktu = datetime.datetime.now(datetime.UTC)  # pyHanko stamps the real signing time
    mulai = datetime.datetime.fromisoformat(info["berlaku_mulai"])
    sampai = datetime.datetime.fromisoformat(info["berlaku_sampai"])
    if not mulai <= waktu <= sampai:
        logger.error("SURAT_PKCS12_PATH %s is valid from %s to %s only", path, mulai, sampai)
        raise SertifikatTidakDapatDipakai(
            pesan_admin % {"alasan": _("sertifikat tidak berlaku pada saat ini (berlaku %(mulai)s sampai %(sampai)s).")
                           % {"mulai": mulai.date().isoformat(), "sampai": sampai.date().isoformat()}}
        )
    return signer, info


def pades_tandatangani(pdf: bytes, *, alasan: str, lokasi: str) -> tuple[bytes, dict]:
    """(signed PDF, certificate info) with a certificate configured; (pdf, {}) untouched without one.

    The signature is an incremental update over the whole rendered file, so the
    signed bytes are the ones to store, hash and audit.
    """
    if not pades_aktif():
        return pdf, {}
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer, info = sertifikat_muat()
    meta = signers.PdfSignatureMetadata(
        field_name=NAMA_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=alasan, location=lokasi,
    )
    keluaran = signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return keluaran.getvalue(), dict(info)
