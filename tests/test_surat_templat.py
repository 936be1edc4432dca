"""Signature blocks per signer, and office letter templates: checked on save, versioned, previewed,
never failing an approval, and unable to make the renderer fetch anything outside the project."""

import http.server
import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from kelurahan.models import Peran
from layanan.models import Layanan, Surat, TemplatSuratVersi
from layanan.surat.terbit import surat_terbitkan
from tests.fixtures_surat import *  # noqa: F403  (fixtures: wilayah, kantor, petugas, layanan, warga, permohonan)
from tests.fixtures_surat import WAKTU, buat_permohonan, buat_user, tugaskan


def teks_pdf(isi: bytes) -> str:
    return " ".join(" ".join(h.extract_text() for h in PdfReader(io.BytesIO(isi)).pages).split())


def terbitkan(permohonan, penandatangan):
    with transaction.atomic():
        surat = surat_terbitkan(permohonan=permohonan, penandatangan=penandatangan, waktu=WAKTU)
    with surat.berkas_pdf.open("rb") as berkas:
        return surat, teks_pdf(berkas.read())


# --- signature block per signer -------------------------------------------------------------------


def test_kepala_menandatangani_tanpa_awalan(permohonan, petugas):
    surat, teks = terbitkan(permohonan, petugas["lurah"])
    assert surat.penandatangan["baris_jabatan"] == ["LURAH MEDONO"]
    assert "Yang bertanda tangan di bawah ini, Lurah Medono, Kecamatan Pekalongan Barat" in teks
    assert "a.n." not in teks and "Plt." not in teks and "Plh." not in teks
    assert "Hj. Siti Rahayu, S.Sos." in teks


@pytest.mark.parametrize(
    ("kedudukan", "baris", "pembuka"),
    [
        ("an", ["a.n. LURAH MEDONO", "Sekretaris Kelurahan"], "Yang bertanda tangan di bawah ini, Lurah Medono,"),
        ("plt", ["Plt. LURAH MEDONO"], "Yang bertanda tangan di bawah ini, Plt. Lurah Medono,"),
        ("plh", ["Plh. LURAH MEDONO"], "Yang bertanda tangan di bawah ini, Plh. Lurah Medono,"),
    ],
)
def test_blok_tanda_tangan_mengikuti_kedudukan_penandatangan(permohonan, petugas, kedudukan, baris, pembuka):
    sekel = buat_user("sekel.medono", "Rudi", "Hartono")
    tugas = tugaskan(sekel, Peran.LURAH, petugas["lurah"].penugasan.get().kantor,
                     nip="198203152006041002", jabatan="Sekretaris Kelurahan")
    tugas.kedudukan = kedudukan
    tugas.save()
    surat, teks = terbitkan(permohonan, sekel)
    assert surat.penandatangan["baris_jabatan"] == baris
    assert " ".join(baris) in teks and "Rudi Hartono" in teks and "NIP. 198203152006041002" in teks
    assert pembuka in teks
    # the body names the head's office, never "a.n. LURAH … Lurah …"
    assert "a.n. Lurah" not in teks and "ini, a.n." not in teks
    # the head's own letters, signed the same day, keep no prefix: the block follows the signer
    lain = buat_permohonan(layanan=permohonan.layanan, kelurahan=permohonan.kelurahan, pemohon=permohonan.pemohon)
    _, teks_kepala = terbitkan(lain, petugas["lurah"])
    assert "LURAH MEDONO" in teks_kepala and f"{baris[0].split()[0]} LURAH" not in teks_kepala


# --- templates in the admin -----------------------------------------------------------------------


@pytest.fixture
def admin_klien(client, layanan):
    admin = get_user_model().objects.create_superuser("admin.uji", "admin@example.org", "sandi-uji-panjang-1")
    client.force_login(admin)
    return client


def _form(layanan, templat):
    return {
        "kode": layanan.kode, "nama": layanan.nama, "nama_en": "", "tingkat": layanan.tingkat, "deskripsi": "",
        "deskripsi_en": "", "perihal": layanan.perihal, "kode_klasifikasi": layanan.kode_klasifikasi,
        "sla_jam": str(layanan.sla_jam), "sla_jam_kelurahan": str(layanan.sla_jam_kelurahan),
        "sla_jam_kecamatan": str(layanan.sla_jam_kecamatan), "formulir": __import__("json").dumps(layanan.formulir),
        "dasar_hukum": "", "templat_surat": templat, "aktif": "on", "urutan": "0",
        "persyaratan-TOTAL_FORMS": "0", "persyaratan-INITIAL_FORMS": "0", "persyaratan-MIN_NUM_FORMS": "0",
        "persyaratan-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(
    ("templat", "pesan"),
    [
        ("<p>baik</p>\n<p>{% if %}rusak</p>", "Baris 2"),
        ("<p>{% include 'admin/base.html' %}</p>", "include"),
        ("{% load static %}<img src=\"{% static 'x.png' %}\">", "surat"),
        ("<p>{{ nama_pemohon|tidak_ada }}</p>", "Baris 1"),
    ],
)
def test_templat_rusak_tidak_dapat_disimpan(admin_klien, layanan, templat, pesan):
    domisili = layanan["domisili"]
    url = reverse("admin:layanan_layanan_change", args=[domisili.pk])
    jawab = admin_klien.post(url, _form(domisili, templat))
    assert jawab.status_code == 200
    assert pesan in jawab.content.decode()
    domisili.refresh_from_db()
    assert domisili.templat_surat == "" and domisili.templat_versi == 0
    assert not TemplatSuratVersi.objects.exists()


def test_templat_tersimpan_berversi_dan_surat_mencatat_versinya(admin_klien, layanan, permohonan, petugas):
    domisili = layanan["domisili"]
    url = reverse("admin:layanan_layanan_change", args=[domisili.pk])
    for isi in ["<p>Versi satu untuk {{ nama_pemohon }}.</p>", "<p>Versi dua: {{ nama_pemohon }} tinggal di "
                "{{ kelurahan }} {% baris f.lama_tinggal %}</p>"]:
        jawab = admin_klien.post(url, _form(domisili, isi))
        assert jawab.status_code == 302, jawab.content.decode()[:3000]
    domisili.refresh_from_db()
    assert domisili.templat_versi == 2
    assert list(TemplatSuratVersi.objects.values_list("versi", "dibuat_oleh")) == [(2, "admin.uji"), (1, "admin.uji")]
    halaman = admin_klien.get(url).content.decode()
    assert "v2 · " in halaman and "Versi satu untuk" in halaman  # the history is shown
    permohonan.layanan.refresh_from_db()
    surat, teks = terbitkan(permohonan, petugas["lurah"])
    assert "Versi dua: Budi Santoso tinggal di Medono" in teks and "5 tahun" in teks
    assert surat.templat_versi == 2
    event = AuditEvent.objects.get(kategori="surat", objek_id=str(surat.pk))
    assert event.data["templat"] == {"versi": 2, "cadangan": False}

    pratinjau = admin_klien.get(reverse("admin:layanan_layanan_pratinjau", args=[domisili.pk]))
    assert pratinjau.status_code == 200 and pratinjau["Content-Type"] == "application/pdf"
    teks_pratinjau = teks_pdf(pratinjau.content)
    assert "DRAF" in teks_pratinjau and "Versi dua: Nama Contoh Pemohon" in teks_pratinjau
    assert Surat.objects.count() == 1  # the preview stores nothing


def test_persetujuan_tidak_gagal_karena_templat(permohonan, petugas, layanan):
    # A template that passes the check but fails at render time: `baris` given plain text, not a field.
    templat = "<p>{% baris f.lama_tinggal %} {% baris kelurahan %}</p>"
    from layanan.surat.templat import templat_surat_periksa

    templat_surat_periksa(templat)
    Layanan.objects.filter(pk=permohonan.layanan.pk).update(templat_surat=templat, templat_versi=4)
    permohonan.layanan.refresh_from_db()
    from tests.pembantu_ttd import tandatangani

    tandatangani(permohonan_id=permohonan.pk, pengguna=petugas["lurah"], aksi="setujui", catatan="")
    permohonan = type(permohonan).objects.get(pk=permohonan.pk)
    assert permohonan.status == "selesai"
    surat = permohonan.surat.get()
    event = AuditEvent.objects.get(kategori="surat", objek_id=str(surat.pk))
    assert surat.templat_versi is None
    assert event.data["templat"]["cadangan"] is True and event.data["templat"]["versi_gagal"] == 4
    with surat.berkas_pdf.open("rb") as berkas:
        teks = teks_pdf(berkas.read())
    assert "bertempat tinggal (berdomisili)" in teks and "5 tahun" in teks  # the built-in body


# --- nothing outside the project is fetched -------------------------------------------------------


class _Perekam(http.server.BaseHTTPRequestHandler):
    diminta: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Perekam.diminta.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def server_lokal():
    _Perekam.diminta = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Perekam)
    benang = threading.Thread(target=server.serve_forever, daemon=True)
    benang.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_templat_tidak_dapat_mengambil_berkas_atau_url_lokal(admin_klien, layanan, permohonan, petugas, server_lokal):
    port = server_lokal
    templat = (
        f'<img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/gambar.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/gaya.css">'
        f'<style>@import url("http://127.0.0.1:{port}/impor.css"); '
        f'p {{ background: url("file:///etc/hostname") }}</style>'
        f'<object data="http://localhost:{port}/objek"></object>'
        f'<img src="/static/../../../../etc/passwd"><img src="/static/css/simpatik.css">'
        '<p>Surat untuk {{ nama_pemohon }}.</p>'
    )
    domisili = layanan["domisili"]
    jawab = admin_klien.post(reverse("admin:layanan_layanan_change", args=[domisili.pk]), _form(domisili, templat))
    assert jawab.status_code == 302  # valid Django template: the fetcher, not the check, stops the URLs
    permohonan.layanan.refresh_from_db()
    surat, teks = terbitkan(permohonan, petugas["lurah"])
    assert "Surat untuk Budi Santoso." in teks
    assert "root:" not in teks
    assert _Perekam.diminta == []
    assert surat.templat_versi == 1


def test_berkas_statis_proyek_boleh_dimuat_dari_disk():
    from layanan.surat.pdf import BASIS_URL, _berkas_statis

    assert _berkas_statis(BASIS_URL + "static/css/simpatik.css").endswith("static/css/simpatik.css")
    for url in ["file:///etc/passwd", BASIS_URL + "static/../../etc/passwd", BASIS_URL + "static/%2e%2e/x",
                BASIS_URL + "media/surat/a.pdf", "http://127.0.0.1:8000/static/css/simpatik.css",
                BASIS_URL + "static/css/simpatik.css?x=1"]:
        assert _berkas_statis(url) is None, url
