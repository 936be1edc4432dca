"""Complaints: anonymous intake, tracking code, own clock, inspectorate-only handling, all audited."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from integritas.models import Pengaduan
from integritas.services import ALFABET_KODE, RANTAI_PENGADUAN, pengaduan_buat
from tests.factories import KAUMAN, MEDONO, Dunia, png_bytes
from tests.pembantu_indikator import wib
from tests.test_api_lifecycle import ajukan_domisili, klien


@pytest.fixture
def dunia(db):
    cache.clear()
    return Dunia()


def _adukan(**isian):
    data = {"kategori": "pungli", "isi": "Petugas meminta uang Rp50.000 agar surat cepat jadi.", **isian}
    return klien().post("/api/v1/pengaduan/", data, format="multipart")


def test_pengaduan_anonim_dengan_bukti_mendapat_kode_lacak(dunia):
    bukti = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    r = _adukan(kelurahan=MEDONO, bukti=bukti)
    assert r.status_code == 201, r.content
    body = r.json()
    kode = body["kode_lacak"]
    assert len(kode) == 9 and kode[4] == "-" and set(kode.replace("-", "")) <= set(ALFABET_KODE)
    assert body["status"] == "diterima"
    assert "isi" not in body and "kelurahan" not in body
    p = Pengaduan.objects.get(kode_lacak=kode)
    assert (p.kelurahan, p.kecamatan, p.kota, p.bukti_jenis) == (MEDONO, "33.75.01", "33.75", "image/png")
    event = AuditEvent.objects.get(rantai=RANTAI_PENGADUAN)
    assert (event.aksi, event.objek_id, event.ip) == ("terima", kode, None)
    publik = klien().get(f"/api/v1/pengaduan/{kode.lower()}/").json()
    assert publik["status"] == "diterima" and "isi" not in publik and "kontak" not in publik


def test_nomor_registrasi_mengikat_ke_permohonan(dunia):
    nomor = ajukan_domisili(dunia).json()["nomor_registrasi"]
    r = _adukan(nomor_registrasi=nomor.lower(), kategori="lambat")
    assert r.status_code == 201, r.content
    p = Pengaduan.objects.get()
    assert (p.nomor_registrasi, p.kelurahan, p.layanan) == (nomor, MEDONO, "domisili")
    assert p.permohonan_id is not None


@pytest.mark.parametrize("isian, bidang", [
    ({"kategori": "sogok"}, {"kategori"}),
    ({"isi": "pendek"}, {"isi"}),
    ({"kategori": "", "isi": ""}, {"kategori", "isi"}),
    ({"nomor_registrasi": "ZZZZ-ZZZZ"}, {"nomor_registrasi"}),
    ({"kelurahan": "33.75.01.9999"}, {"kelurahan"}),
    ({"bukti": SimpleUploadedFile("x.png", b"bukan gambar sama sekali", content_type="image/png")}, {"bukti"}),
])
def test_input_salah_400_per_bidang_tanpa_sisa(dunia, isian, bidang):
    r = _adukan(**isian)
    assert r.status_code == 400
    assert set(r.json()) == bidang
    assert not Pengaduan.objects.exists() and not AuditEvent.objects.filter(rantai=RANTAI_PENGADUAN).exists()


def test_bukti_terlalu_besar(dunia, settings):
    settings.PENGADUAN_BUKTI_MAX_BYTES = 100
    r = _adukan(bukti=SimpleUploadedFile("f.png", png_bytes() + b"\0" * 200, content_type="image/png"))
    assert r.status_code == 400 and "terlalu besar" in r.json()["bukti"][0]


def test_tenggat_tanggapan_lima_hari_kerja_melewati_cuti_bersama(db, settings):
    # Mon 16 March 2026: 17 works; 18–24 are cuti bersama, Nyepi, Idul Fitri and a weekend; then 25, 26, 27, 30.
    settings.PENGADUAN_HARI_KERJA = {"lambat": (5, 100)}
    p = pengaduan_buat(kategori="lambat", isi="Surat belum selesai dua minggu.", waktu=wib(2026, 3, 16, 10))
    assert p.tenggat_tanggapan == wib(2026, 3, 30, 10)
    assert p.tenggat_selesai == wib(2026, 5, 15, 10)  # the Perpres 76/2013 cap of 60 days comes first


def test_pengaduan_medono_tak_terlihat_oleh_petugas_medono(dunia):
    bukti = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    kode = _adukan(kelurahan=MEDONO, kontak="0812xxxx (Bu Ani)", bukti=bukti).json()["kode_lacak"]
    for petugas in (dunia.petugas_medono, dunia.lurah_medono, dunia.camat, dunia.petugas_kec):
        c = klien(petugas)
        assert c.get("/api/v1/pengaduan/").status_code == 403
        detail = c.get(f"/api/v1/pengaduan/{kode}/")
        assert detail.status_code == 200
        assert not {"isi", "kontak", "kelurahan", "nomor_registrasi", "bukti_url"} & set(detail.json())
        assert "Bu Ani" not in detail.content.decode() and "50.000" not in detail.content.decode()
        assert c.get(f"/api/v1/pengaduan/{kode}/bukti/").status_code == 403
        assert c.post(f"/api/v1/pengaduan/{kode}/status/", {"status": "ditutup", "catatan": "x"},
                      format="json").status_code == 403
    assert Pengaduan.objects.get().status == "diterima"
    # The inspectorate sees the whole file.
    daftar = klien(dunia.inspektorat).get("/api/v1/pengaduan/").json()
    assert daftar["count"] == 1
    assert daftar["results"][0]["kontak"] == "0812xxxx (Bu Ani)"
    assert "50.000" in daftar["results"][0]["isi"]
    bukti = klien(dunia.inspektorat).get(f"/api/v1/pengaduan/{kode}/bukti/")
    assert bukti.status_code == 200 and b"".join(bukti.streaming_content) == png_bytes()


def test_penanganan_inspektorat_tiap_langkah_diaudit(dunia):
    kode = _adukan(kelurahan=MEDONO).json()["kode_lacak"]
    c = klien(dunia.inspektorat)
    url = f"/api/v1/pengaduan/{kode}/status/"
    assert c.post(url, {"status": "selesai", "catatan": "x"}, format="json").status_code == 409
    assert c.post(url, {"status": "arsip"}, format="json").status_code == 400
    r = c.post(url, {"status": "diverifikasi", "catatan": "Bukti cukup, diteruskan ke pemeriksa."}, format="json")
    assert r.status_code == 200 and r.json()["ditanggapi_pada"]
    assert c.post(url, {"status": "ditindaklanjuti"}, format="json").status_code == 200
    tanpa_catatan = c.post(url, {"status": "selesai"}, format="json")
    assert tanpa_catatan.status_code == 400 and set(tanpa_catatan.json()) == {"catatan"}
    r = c.post(url, {"status": "selesai", "catatan": "Petugas dijatuhi sanksi, uang dikembalikan."}, format="json")
    assert r.status_code == 200 and r.json()["diselesaikan_pada"]
    event = list(AuditEvent.objects.filter(rantai=RANTAI_PENGADUAN).order_by("urutan").values_list(
        "aksi", "aktor", "peran", "data__dari", "data__ke"))
    assert event == [
        ("terima", "", "", None, "diterima"),
        ("ubah_status", "inspektorat", "inspektorat", "diterima", "diverifikasi"),
        ("ubah_status", "inspektorat", "inspektorat", "diverifikasi", "ditindaklanjuti"),
        ("ubah_status", "inspektorat", "inspektorat", "ditindaklanjuti", "selesai"),
    ]
    assert rantai_verifikasi(RANTAI_PENGADUAN).utuh
    publik = klien().get(f"/api/v1/pengaduan/{kode}/").json()
    assert [x["status"] for x in publik["riwayat"]] == ["diterima", "diverifikasi", "ditindaklanjuti", "selesai"]
    assert publik["riwayat"][-1]["catatan"].startswith("Petugas dijatuhi")
    # Medono's own ledger chain carries nothing of the complaint.
    assert not AuditEvent.objects.filter(rantai=MEDONO, kategori="pengaduan").exists()


def test_kode_tak_dikenal_404(dunia):
    assert klien().get("/api/v1/pengaduan/ZZZZ-ZZZZ/").status_code == 404
    assert klien(dunia.inspektorat).post("/api/v1/pengaduan/ZZZZ-ZZZZ/status/", {"status": "diverifikasi"},
                                         format="json").status_code == 404


def test_pengaduan_kecamatan_lain_tetap_untuk_inspektorat_kota(dunia):
    _adukan(kelurahan=KAUMAN)
    _adukan()
    assert klien(dunia.inspektorat).get("/api/v1/pengaduan/").json()["count"] == 2
    assert klien(dunia.inspektorat).get("/api/v1/pengaduan/", {"kelurahan": KAUMAN}).json()["count"] == 1


def test_pembatasan_laju(dunia, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "pengaduan": "2/hour"}}
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        kode = [_adukan().status_code for _ in range(3)]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert kode == [201, 201, 429]


def test_antrean_pengaduan_diekspor_inspektorat(dunia):
    _adukan(kelurahan=MEDONO, kontak="Bu Ani")
    r = klien(dunia.inspektorat).get("/api/v1/pengaduan/", {"ekspor": "csv"})
    baris = r.content.decode("utf-8-sig").splitlines()
    assert baris[0].startswith("kode_lacak,kategori,status,kelurahan")
    assert "Medono" in baris[1] and MEDONO not in baris[1] and "Bu Ani" in baris[1]
    assert klien(dunia.lurah_medono).get("/api/v1/pengaduan/", {"ekspor": "csv"}).status_code == 403
