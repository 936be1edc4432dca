"""PAdES signature of issued letters: signed through the real approval, validated with pyHanko."""

import datetime
import hashlib
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from rest_framework.test import APIClient

from audit.models import AuditEvent
from layanan.models import PenghitungNomorSurat, Permohonan, Status, Surat
from layanan.permohonan.services import permohonan_aksi
from layanan.surat.pades import NAMA_FIELD, SertifikatTidakDapatDipakai
from layanan.surat.token import token_buat
from notifikasi.models import Outbox
from tests.fixtures_surat import *  # noqa: F403  (fixtures: wilayah, kantor, petugas, layanan, warga, permohonan)
from tests.fixtures_surat import WAKTU
from tests.pembantu_ttd import lihat_draf_api, tandatangani

KATA_SANDI = "rahasia-kantor"
NAMA_SERTIFIKAT = "Hj. Siti Rahayu, S.Sos."



def buat_sertifikat(tmp_path, *, jenis="rsa", berlaku_sampai=None, nama_berkas="kantor.p12"):
    """A throwaway self-signed signing certificate as PKCS#12 in tmp_path: (path, certificate)."""
    kunci = rsa.generate_private_key(public_exponent=65537, key_size=2048) if jenis == "rsa" else (
        ec.generate_private_key(ec.SECP256R1()))
    nama = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Pekalongan"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Kelurahan Medono"),
        x509.NameAttribute(NameOID.COMMON_NAME, NAMA_SERTIFIKAT),
    ])
    sekarang = datetime.datetime.now(datetime.UTC)
    sertifikat = (
        x509.CertificateBuilder()
        .subject_name(nama).issuer_name(nama).public_key(kunci.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(sekarang - datetime.timedelta(days=1))
        .not_valid_after(berlaku_sampai or sekarang + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .sign(kunci, hashes.SHA256())
    )
    isi = pkcs12.serialize_key_and_certificates(
        b"kantor", kunci, sertifikat, None, serialization.BestAvailableEncryption(KATA_SANDI.encode())
    )
    path = tmp_path / nama_berkas
    path.write_bytes(isi)
    return path, sertifikat


@pytest.fixture
def sertifikat(tmp_path, settings):
    path, sertifikat = buat_sertifikat(tmp_path)
    settings.SURAT_PKCS12_PATH = str(path)
    settings.SURAT_PKCS12_PASSPHRASE = KATA_SANDI
    return sertifikat


def setujui(permohonan, petugas):
    p = tandatangani(permohonan_id=permohonan.pk, pengguna=petugas["lurah"], aksi="setujui", waktu=WAKTU)
    return p.surat.get()


def unduh(permohonan, warga) -> bytes:
    klien = APIClient()
    klien.force_authenticate(warga["budi"].user)
    r = klien.get(reverse("api-permohonan-surat", args=[permohonan.pk]))
    assert r.status_code == 200
    return b"".join(r.streaming_content)


def validasi(isi: bytes, sertifikat):
    """pyHanko's status of the only signature in `isi`, trusting `sertifikat` as the root."""
    tanda_tangan = PdfFileReader(io.BytesIO(isi)).embedded_signatures
    assert [t.field_name for t in tanda_tangan] == [NAMA_FIELD]
    akar = asn1_x509.Certificate.load(sertifikat.public_bytes(serialization.Encoding.DER))
    return validate_pdf_signature(tanda_tangan[0], ValidationContext(trust_roots=[akar]))


@pytest.mark.parametrize("jenis", ["rsa", "ec"])
def test_persetujuan_menerbitkan_pdf_bertanda_tangan_pades_utuh(permohonan, petugas, warga, tmp_path, settings, jenis):
    path, sertifikat = buat_sertifikat(tmp_path, jenis=jenis)
    settings.SURAT_PKCS12_PATH, settings.SURAT_PKCS12_PASSPHRASE = str(path), KATA_SANDI
    surat = setujui(permohonan, petugas)
    isi = unduh(permohonan, warga)

    status = validasi(isi, sertifikat)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    tanda_tangan = PdfFileReader(io.BytesIO(isi)).embedded_signatures[0]
    assert tanda_tangan.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not adbe.pkcs7
    assert tanda_tangan.sig_object["/Reason"] == surat.nomor
    assert tanda_tangan.sig_object["/Location"] == "Kelurahan Medono"

    # What is stored and audited is the signed file the resident downloads.
    assert hashlib.sha256(isi).hexdigest() == surat.sha256
    event = AuditEvent.objects.get(kategori="surat", aksi="terbitkan")
    assert event.data["sha256"] == surat.sha256 and event.data["ukuran"] == len(isi)
    assert event.data["tanda_tangan_elektronik"]["nama"] == NAMA_SERTIFIKAT
    assert surat.tanda_tangan_elektronik["sidik_sha256"] == hashlib.sha256(
        sertifikat.public_bytes(serialization.Encoding.DER)).hexdigest()


def test_satu_byte_diubah_merusak_tanda_tangan(permohonan, petugas, warga, sertifikat):
    surat = setujui(permohonan, petugas)
    isi = bytearray(unduh(permohonan, warga))
    # A byte of the first content stream: the file still parses, its digest no longer matches.
    posisi = isi.index(b"stream", isi.index(b"/Length")) + 20
    isi[posisi] ^= 0x01
    status = validasi(bytes(isi), sertifikat)
    assert not status.intact and not status.bottom_line  # `valid` only covers the CMS signed attributes

    r = APIClient().post(f"/api/v1/verifikasi/{token_buat(surat.id_publik)}/",
                         {"berkas": io.BytesIO(bytes(isi))}, format="multipart")
    assert r.status_code == 200 and r.json()["cocok"] is False


def test_halaman_dan_api_menyebut_penanda_tangan_sertifikat(client, permohonan, petugas, sertifikat):
    surat = setujui(permohonan, petugas)
    token = token_buat(surat.id_publik)
    d = APIClient().get(f"/api/v1/verifikasi/{token}/").json()
    assert d["tanda_tangan_digital"] is True
    assert d["tanda_tangan_elektronik"]["nama"] == NAMA_SERTIFIKAT
    assert d["tanda_tangan_elektronik"]["format"] == "PAdES-B-B"
    assert "CN=Hj. Siti Rahayu\\, S.Sos." in d["tanda_tangan_elektronik"]["subjek"]
    assert d["tanda_tangan_keterangan"] == f"Ditandatangani secara elektronik oleh {NAMA_SERTIFIKAT}"
    html = client.get(reverse("surat-verifikasi", args=[token])).content.decode()
    assert f"Ditandatangani secara elektronik oleh {NAMA_SERTIFIKAT}" in html and "PAdES-B-B" in html
    assert "Tanpa tanda tangan elektronik" not in html


def test_tanpa_sertifikat_surat_tidak_ditandatangani_dan_halaman_menyebutnya(client, permohonan, petugas, warga,
                                                                               settings):
    settings.SURAT_PKCS12_PATH = ""
    surat = setujui(permohonan, petugas)
    isi = unduh(permohonan, warga)
    assert PdfFileReader(io.BytesIO(isi)).embedded_signatures == []
    assert hashlib.sha256(isi).hexdigest() == surat.sha256 and surat.tanda_tangan_elektronik == {}
    assert AuditEvent.objects.get(kategori="surat").data["tanda_tangan_elektronik"] is None
    token = token_buat(surat.id_publik)
    d = APIClient().get(f"/api/v1/verifikasi/{token}/").json()
    assert d["tanda_tangan_digital"] is False and d["tanda_tangan_elektronik"] is None
    assert d["tanda_tangan_keterangan"] == "Tanpa tanda tangan elektronik"
    html = client.get(reverse("surat-verifikasi", args=[token])).content.decode()
    assert "Tanpa tanda tangan elektronik" in html and "Ditandatangani secara elektronik" not in html


def _salah_kata_sandi(settings, tmp_path):
    settings.SURAT_PKCS12_PASSPHRASE = "bukan-kata-sandinya"


def _berkas_hilang(settings, tmp_path):
    settings.SURAT_PKCS12_PATH = str(tmp_path / "tidak-ada.p12")


def _kedaluwarsa(settings, tmp_path):
    kemarin = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    path, _ = buat_sertifikat(tmp_path, berlaku_sampai=kemarin, nama_berkas="lama.p12")
    settings.SURAT_PKCS12_PATH = str(path)


@pytest.mark.parametrize(
    ("rusak", "alasan"),
    [
        (_salah_kata_sandi, "kata sandi salah atau bukan PKCS#12"),
        (_berkas_hilang, "berkas sertifikat tidak dapat dibaca"),
        (_kedaluwarsa, "sertifikat tidak berlaku pada saat ini"),
    ],
)
def test_sertifikat_tidak_dapat_dipakai_membatalkan_persetujuan(permohonan, petugas, sertifikat, settings, tmp_path,
                                                                  rusak, alasan):
    rusak(settings, tmp_path)
    klien = APIClient()
    klien.force_authenticate(petugas["lurah"])
    lihat_draf_api(klien, permohonan.pk)  # the draft needs no certificate; the refusal comes at signing
    r = klien.post(f"/api/v1/permohonan/{permohonan.pk}/aksi/", {"aksi": "setujui"}, format="json")
    assert r.status_code == 503
    assert alasan in r.json()["detail"] and "Hubungi administrator" in r.json()["detail"]
    web = Client()
    web.force_login(petugas["lurah"])
    r = web.post(f"/petugas/permohonan/{permohonan.pk}/aksi/setujui/", {"konfirmasi": "1"})
    assert r.status_code == 503 and alasan in r.content.decode()
    with pytest.raises(SertifikatTidakDapatDipakai):
        permohonan_aksi(permohonan_id=permohonan.pk, pengguna=petugas["lurah"], aksi="setujui", waktu=WAKTU)
    # Nothing half-written: the request waits for approval, no number was consumed.
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.DIVERIFIKASI
    assert not Surat.objects.exists() and not PenghitungNomorSurat.objects.filter(terakhir__gt=0).exists()
    assert not AuditEvent.objects.filter(kategori__in=["surat", "transisi"]).exists()  # the page view is logged
    assert not Outbox.objects.filter(templat="selesai").exists()
    folder = settings.MEDIA_ROOT / "surat"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    # Once the certificate is fixed the same approval goes through with number 0001.
    path, _ = buat_sertifikat(tmp_path, nama_berkas="baru.p12")
    settings.SURAT_PKCS12_PATH, settings.SURAT_PKCS12_PASSPHRASE = str(path), KATA_SANDI
    assert setujui(permohonan, petugas).nomor == "400.12.2.2/0001/33.75.01.1002/XI/2026"
