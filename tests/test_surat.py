"""Issuing letters: number, PDF content, QR, hash in the audit log, roll back on failure, token."""

import datetime
import hashlib
import io
import os
import stat

import pytest
import zxingcpp
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from kelurahan.models import Kantor
from layanan.models import PenghitungNomorSurat, Surat
from layanan.surat.terbit import surat_draf_pdf, surat_terbitkan
from layanan.surat.token import ALFABET_ID, token_baca, token_buat, url_verifikasi
from tests.fixtures_surat import *  # noqa: F403  (fixtures: wilayah, kantor, petugas, layanan, warga, permohonan)
from tests.fixtures_surat import WAKTU, WIB, buat_permohonan


def teks_pdf(isi: bytes) -> str:
    """Text of all pages with whitespace collapsed (justified lines extract with double spaces)."""
    return " ".join(" ".join(halaman.extract_text() for halaman in PdfReader(io.BytesIO(isi)).pages).split())


def isi_berkas(surat) -> bytes:
    with surat.berkas_pdf.open("rb") as berkas:
        return berkas.read()


def terbitkan(permohonan, penandatangan, waktu=WAKTU):
    with transaction.atomic():
        return surat_terbitkan(permohonan=permohonan, penandatangan=penandatangan, waktu=waktu)


def test_nomor_berurutan_dengan_format_kantor(permohonan, petugas, layanan, wilayah, warga):
    pertama = terbitkan(permohonan, petugas["lurah"])
    kedua_p = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["ani"])
    kedua = terbitkan(kedua_p, petugas["lurah"])
    assert pertama.nomor == "400.12.2.2/0001/33.75.01.1002/XI/2026"
    assert kedua.nomor == "400.12.2.2/0002/33.75.01.1002/XI/2026"
    assert (kedua.tahun, kedua.urut) == (2026, 2)
    assert PenghitungNomorSurat.objects.get(kantor__wilayah_id="33.75.01.1002", tahun=2026).terakhir == 2


def test_nomor_mulai_lagi_tiap_tahun_menurut_waktu_jakarta(permohonan, petugas, layanan, wilayah, warga):
    akhir_tahun = datetime.datetime(2026, 12, 31, 23, 0, tzinfo=WIB)
    terbitkan(permohonan, petugas["lurah"], waktu=akhir_tahun)
    # 18:30 UTC on 31 December is already 1 January in Pekalongan.
    tahun_baru = datetime.datetime(2026, 12, 31, 18, 30, tzinfo=datetime.UTC)
    p2 = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["ani"])
    surat = terbitkan(p2, petugas["lurah"], waktu=tahun_baru)
    assert surat.nomor == "400.12.2.2/0001/33.75.01.1002/I/2027"


def test_format_nomor_dapat_diatur_per_kantor(permohonan, petugas, kantor):
    Kantor.objects.filter(pk=kantor["medono"].pk).update(format_nomor_surat="{klasifikasi}/{urut:03d}/MDN/{bulan}/{tahun}")
    assert terbitkan(permohonan, petugas["lurah"]).nomor == "400.12.2.2/001/MDN/11/2026"


def test_layanan_kecamatan_ditandatangani_kantor_kecamatan(wilayah, kantor, layanan, warga, petugas):
    p = buat_permohonan(layanan=layanan["ahli_waris"], kelurahan=wilayah["tirto"], pemohon=warga["budi"],
                        data={"nama_almarhum": "Slamet Riyadi"}, status="diverifikasi_kecamatan")
    surat = terbitkan(p, petugas["camat"])
    assert surat.kantor == kantor["kecamatan"]
    assert surat.nomor == "400.12.3.1/0001/33.75.01/XI/2026"
    teks = teks_pdf(isi_berkas(surat))
    assert "CAMAT PEKALONGAN BARAT" in teks and "Slamet Riyadi" in teks and "Nama almarhum" in teks


def test_pdf_memuat_nomor_nama_isian_tempat_tanggal_dan_penandatangan(permohonan, petugas):
    surat = terbitkan(permohonan, petugas["lurah"])
    teks = teks_pdf(isi_berkas(surat))
    for harus in [
        surat.nomor, "Budi Santoso", "3375011203900012", "Pekalongan, 12 Maret 1990", "Laki-laki", "Wiraswasta",
        "Lama tinggal", "5 tahun", "Tinggal sejak", "1 Juli 2021", "Persyaratan pembukaan rekening bank",
        "SURAT KETERANGAN DOMISILI", "PEMERINTAH KOTA PEKALONGAN", "KELURAHAN MEDONO", "Pekalongan, 23 November 2026",
        "LURAH MEDONO", "Hj. Siti Rahayu, S.Sos.", "NIP. 197503122001122003",
    ]:
        assert harus in teks, harus
    assert "+6281234567890" not in teks  # the phone number is not printed
    assert surat.penandatangan["nama"] == "Hj. Siti Rahayu, S.Sos."


@pytest.mark.parametrize(
    ("status", "baris"),
    [("plt", ["Plt. LURAH MEDONO"]), ("plh", ["Plh. LURAH MEDONO"]), ("an", ["a.n. LURAH MEDONO", "Sekretaris Kelurahan"])],
)
def test_penandatangan_plt_plh_dan_atas_nama(permohonan, petugas, kantor, status, baris):
    from kelurahan.models import Peran
    from tests.fixtures_surat import buat_user, tugaskan

    Kantor.objects.filter(pk=kantor["medono"].pk).update(penandatangan_status=status)
    sekel = buat_user("sekel.medono", "Rudi", "Hartono")
    tugaskan(sekel, Peran.LURAH, kantor["medono"], nip="198203152006041002", jabatan="Sekretaris Kelurahan")
    surat = terbitkan(permohonan, sekel)
    assert surat.penandatangan["baris_jabatan"] == baris
    assert surat.penandatangan["nama"] == "Rudi Hartono"
    assert surat.penandatangan["nip"] == "198203152006041002"
    teks = teks_pdf(isi_berkas(surat))
    assert all(b in teks for b in baris) and "Rudi Hartono" in teks and "NIP. 198203152006041002" in teks


def test_templat_isi_per_layanan_dari_admin(permohonan, petugas, layanan):
    permohonan.layanan.templat_surat = (
        "<p>Menerangkan bahwa {{ nama_pemohon }} tinggal di {{ kelurahan }} selama {{ permohonan.data.lama_tinggal }}"
        " untuk {{ keperluan }}.</p>"
    )
    permohonan.layanan.save()
    teks = teks_pdf(isi_berkas(terbitkan(permohonan, petugas["lurah"])))
    assert "Menerangkan bahwa Budi Santoso tinggal di Medono selama 5 tahun" in teks


def test_sha256_berkas_dicatat_di_audit(permohonan, petugas):
    surat = terbitkan(permohonan, petugas["lurah"])
    isi = isi_berkas(surat)
    assert isi.startswith(b"%PDF-")
    assert hashlib.sha256(isi).hexdigest() == surat.sha256
    event = AuditEvent.objects.get(kategori="surat", objek_tipe="surat", objek_id=str(surat.pk))
    assert event.rantai == "33.75.01.1002" and event.aksi == "terbitkan" and event.aktor == "lurah.medono"
    assert event.data["sha256"] == surat.sha256 and event.data["nomor"] == surat.nomor
    assert event.data["layanan"] == "domisili" and event.data["kantor"] == "33.75.01.1002"
    assert rantai_verifikasi("33.75.01.1002").utuh


def test_templat_kantor_rusak_tidak_menggagalkan_penerbitan_memakai_bawaan(permohonan, petugas, layanan):
    # Written to the database past the admin's check (e.g. by an older version or by hand).
    Layanan = type(permohonan.layanan)
    Layanan.objects.filter(pk=permohonan.layanan.pk).update(templat_surat="{% if %}rusak", templat_versi=3)
    permohonan.layanan.refresh_from_db()
    surat = terbitkan(permohonan, petugas["lurah"])
    teks = teks_pdf(isi_berkas(surat))
    assert "Budi Santoso" in teks and "5 tahun" in teks and "rusak" not in teks
    assert surat.templat_versi is None
    event = AuditEvent.objects.get(kategori="surat", objek_id=str(surat.pk))
    assert event.data["templat"]["cadangan"] is True and event.data["templat"]["versi_gagal"] == 3
    assert "TemplateSyntaxError" in event.data["templat"]["galat"]


def test_render_gagal_membatalkan_semua_dan_tidak_memakai_nomor(permohonan, petugas, layanan, settings, monkeypatch):
    import layanan.surat.terbit as terbit

    def rusak(konteks):
        raise RuntimeError("renderer mati")

    monkeypatch.setattr(terbit, "render_pdf", rusak)
    with pytest.raises(RuntimeError):
        terbitkan(permohonan, petugas["lurah"])
    assert not Surat.objects.exists()
    assert not PenghitungNomorSurat.objects.filter(terakhir__gt=0).exists()
    assert not AuditEvent.objects.filter(kategori="surat").exists()
    folder = settings.MEDIA_ROOT / "surat"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_gagal_setelah_pdf_disimpan_menghapus_berkasnya(permohonan, petugas, settings):
    # A letter number already taken (e.g. typed by hand into the counter's history) makes the insert fail.
    pertama = terbitkan(permohonan, petugas["lurah"])
    PenghitungNomorSurat.objects.update(terakhir=0)
    with pytest.raises(IntegrityError):
        terbitkan(permohonan, petugas["lurah"])
    berkas = [p for p in (settings.MEDIA_ROOT / "surat").rglob("*") if p.is_file()]
    assert [p.name for p in berkas] == [os.path.basename(pertama.berkas_pdf.name)]


def test_qr_dalam_pdf_terbaca_sebagai_url_verifikasi(permohonan, petugas, settings):
    settings.PUBLIC_BASE_URL = "https://simpatik.pekalongankota.go.id"
    surat = terbitkan(permohonan, petugas["lurah"])
    halaman = PdfReader(io.BytesIO(isi_berkas(surat))).pages[0]
    hasil = [b.text for gambar in halaman.images for b in zxingcpp.read_barcodes(gambar.image)]
    assert hasil == [url_verifikasi(surat.id_publik)]
    assert hasil[0].startswith("https://simpatik.pekalongankota.go.id/v/")
    assert token_baca(hasil[0].rsplit("/", 1)[1]) == surat.id_publik


def test_token_dengan_satu_karakter_diubah_tidak_sah(permohonan, petugas):
    surat = terbitkan(permohonan, petugas["lurah"])
    token = token_buat(surat.id_publik)
    assert token_baca(token) == surat.id_publik
    assert len(token) <= 100
    for i, huruf in enumerate(token):
        pengganti = ALFABET_ID if i < len(surat.id_publik) else "ABCabc_-019"
        for lain in pengganti:
            if lain == huruf:
                continue
            palsu = token[:i] + lain + token[i + 1:]
            assert token_baca(palsu) is None, (i, lain)
    assert token_baca(token + "A") is None and token_baca(token[:-1]) is None and token_baca("") is None


def test_token_tidak_dapat_dibuat_tanpa_kunci(permohonan, petugas, settings, tmp_path):
    surat = terbitkan(permohonan, petugas["lurah"])
    token = token_buat(surat.id_publik)
    settings.SIGNING_KEY_PATH = tmp_path / "kunci-lain.pem"  # another deployment's key
    assert token_baca(token) is None


def test_kunci_dibuat_sekali_dengan_izin_0600(settings):
    from audit.kunci import kunci_publik_pem

    pem = kunci_publik_pem()
    mode = stat.S_IMODE(os.stat(settings.SIGNING_KEY_PATH).st_mode)
    assert mode == 0o600
    assert kunci_publik_pem() == pem


def _kunci_dari_proses_lain(path: str, mulai_pada: float, antrean):
    import time

    from django.conf import settings as s

    s.SIGNING_KEY_PATH = path
    while time.time() < mulai_pada:
        pass
    from audit.kunci import kunci_publik_pem

    try:
        antrean.put(kunci_publik_pem())
    except Exception as exc:  # noqa: BLE001 - reported to the test
        antrean.put(repr(exc))


def test_kunci_dibuat_serentak_oleh_banyak_proses_satu_kunci_utuh(tmp_path):
    """gunicorn workers start together: none may read a half-written key (found by bench http)."""
    import multiprocessing
    import time

    ctx = multiprocessing.get_context("fork")
    for putaran in range(5):
        path = str(tmp_path / f"kunci-{putaran}.pem")
        antrean = ctx.Queue()
        mulai_pada = time.time() + 0.3
        proses = [ctx.Process(target=_kunci_dari_proses_lain, args=(path, mulai_pada, antrean)) for _ in range(6)]
        for p in proses:
            p.start()
        hasil = [antrean.get(timeout=30) for _ in proses]
        for p in proses:
            p.join()
        assert all(isinstance(h, bytes) for h in hasil), hasil
        assert len(set(hasil)) == 1
        assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # no temporary file left


def test_draf_bertanda_draf_tanpa_nomor_tanpa_qr_dan_tanpa_efek(permohonan):
    pdf = surat_draf_pdf(permohonan=permohonan)
    teks = teks_pdf(pdf)
    assert "DRAF" in teks and "Budi Santoso" in teks and "5 tahun" in teks
    assert "/0001/" not in teks and "diberikan saat ditandatangani" in teks
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
    assert not Surat.objects.exists() and not PenghitungNomorSurat.objects.exists()
    assert not AuditEvent.objects.exists()
