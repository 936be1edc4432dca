"""Indicators from the ledger: counts, SLA compliance, medians and percentiles, surveys, complaints."""

from datetime import date, timedelta

import pytest

from audit.models import AuditEvent
from audit.services import rantai_periksa
from integritas import indikator
from integritas.models import PermohonanRingkas
from integritas.services import pengaduan_buat, pengaduan_ubah_status, survei_simpan
from tests.pembantu_indikator import (
    JAM,
    KOTA,
    KRAPYAK,
    MEDONO,
    PEKALONGAN_BARAT,
    TIRTO,
    catat,
    permohonan_selesai,
    petugas,
    wib,
)

pytestmark = pytest.mark.django_db

DARI, SAMPAI = date(2026, 1, 1), date(2026, 6, 30)
SEKARANG = wib(2026, 7, 1, 10)
IKM_4 = dict.fromkeys(["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
                       "pengaduan", "sarana"], 4)
IPAK_4 = dict.fromkeys(["diskriminasi", "kecurangan", "gratifikasi", "pungli", "percaloan"], 4)
IPKP_4 = dict.fromkeys(["informasi", "persyaratan", "prosedur", "waktu", "biaya", "sarana", "petugas",
                        "pengaduan"], 4)


def _buka(pid, ke, diajukan, tenggat, kelurahan=MEDONO):
    sla = {"tenggat": tenggat.isoformat(), "terpakai_kelurahan_detik": 0, "dalam_jam_kerja": True}
    catat(pid, "ajukan", "", "diajukan", diajukan, kelurahan=kelurahan, diajukan_pada=diajukan, sla=sla,
          aktor=petugas(f"warga{pid}"), peran="warga")
    if ke == "perlu_perbaikan":
        catat(pid, "minta_perbaikan", "diajukan", "perlu_perbaikan", diajukan + timedelta(hours=2),
              kelurahan=kelurahan, diajukan_pada=diajukan, sla=sla, aktor=petugas("petugas.medono", 11),
              peran="petugas_kelurahan")


def _akhiri(pid, aksi, ke, diajukan, kelurahan=MEDONO):
    catat(pid, "ajukan", "", "diajukan", diajukan, kelurahan=kelurahan, diajukan_pada=diajukan,
          aktor=petugas(f"warga{pid}"), peran="warga")
    catat(pid, aksi, "diajukan", ke, diajukan + timedelta(hours=3), kelurahan=kelurahan, diajukan_pada=diajukan,
          aktor=petugas("petugas.medono", 11), peran="petugas_kelurahan")


def _kecamatan(pid, diajukan, *, jam_kel, jam_kec, kelurahan=TIRTO):
    """A kecamatan-level service through both stages."""
    umum = dict(kelurahan=kelurahan, layanan="ahli-waris", diajukan_pada=diajukan)
    sla = {"jatah_detik": 16 * JAM, "tenggat": (diajukan + timedelta(days=5)).isoformat()}
    langkah = [
        ("ajukan", "", "diajukan", "kelurahan", 0, 0, "warga"),
        ("verifikasi", "diajukan", "diverifikasi", "kelurahan", jam_kel / 2, 0, "petugas_kelurahan"),
        ("setujui", "diverifikasi", "diteruskan_kecamatan", "kecamatan", jam_kel, 0, "lurah"),
        ("verifikasi_kecamatan", "diteruskan_kecamatan", "diverifikasi_kecamatan", "kecamatan", jam_kel, jam_kec / 2,
         "petugas_kecamatan"),
        ("setujui_camat", "diverifikasi_kecamatan", "selesai", "kecamatan", jam_kel, jam_kec, "camat"),
    ]
    for i, (aksi, dari, ke, tahap, kel, kec, peran) in enumerate(langkah):
        isi = {**sla, "terpakai_kelurahan_detik": int(kel * JAM), "terpakai_kecamatan_detik": int(kec * JAM)}
        if ke == "selesai":
            isi["memenuhi_standar"] = True
        catat(pid, aksi, dari, ke, diajukan + timedelta(hours=4 * i), tahap=tahap, sla=isi,
              aktor=petugas(f"{peran}.x"), peran=peran, **umum)


@pytest.fixture
def riwayat():
    for i, (jam, tepat) in enumerate([(1, True), (2, True), (3, True), (4, True), (10, False)], start=1):
        permohonan_selesai(i, wib(2026, 2, 2 + i, 9), jam_kelurahan=jam, memenuhi=tepat,
                           kanal="loket" if i == 5 else "online")
    _akhiri(6, "tolak", "ditolak", wib(2026, 3, 2, 9))
    _akhiri(7, "batalkan", "dibatalkan", wib(2026, 3, 3, 9))
    _buka(8, "diajukan", wib(2026, 6, 15, 9), wib(2026, 6, 20, 12))  # overdue now
    _buka(9, "perlu_perbaikan", wib(2026, 6, 15, 9), wib(2026, 6, 20, 12))  # clock paused: not overdue
    _buka(10, "diajukan", wib(2026, 6, 29, 9), wib(2026, 7, 5, 12))
    _kecamatan(20, wib(2026, 4, 6, 8), jam_kel=5, jam_kec=6)
    permohonan_selesai(30, wib(2026, 4, 7, 9), jam_kelurahan=2, kelurahan=KRAPYAK)
    permohonan_selesai(40, wib(2025, 12, 1, 9), jam_kelurahan=7, selesai=wib(2025, 12, 2, 9))  # before the period


def test_kelurahan_hitungan_kanal_hasil_dan_kepatuhan_sla(riwayat):
    hasil = indikator.indikator_hitung(wilayah=MEDONO, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    p = hasil["permohonan"]
    assert p["total"] == 10
    assert p["per_kanal"] == {"online": 9, "loket": 1}
    assert p["per_status"] == {"selesai": 5, "ditolak": 1, "dibatalkan": 1, "diajukan": 2, "perlu_perbaikan": 1}
    assert (p["selesai"], p["ditolak"], p["dibatalkan"], p["terlambat"]) == (5, 1, 1, 1)
    assert (p["terbuka"], p["lewat_tenggat"]) == (3, 1)
    assert hasil["sla"]["kepatuhan"] == 0.8
    assert (hasil["sla"]["tepat_waktu"], hasil["sla"]["dinilai"]) == (4, 5)
    # Hours 1, 2, 3, 4, 10: median 3; p90 at rank 0.9×4 = 3.6 → 4 + 0.6×(10−4) = 7.6.
    assert hasil["sla"]["jam_kerja"]["kelurahan"] == {"n": 5, "median": 3.0, "p90": 7.6}
    assert hasil["sla"]["jam_kerja"]["kecamatan"] == {"n": 0, "median": None, "p90": None}


def test_kecamatan_dan_kota_menggabungkan_kelurahannya(riwayat):
    kec = indikator.indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    assert kec["permohonan"]["total"] == 11
    assert kec["permohonan"]["selesai"] == 6
    assert kec["sla"]["kepatuhan"] == round(5 / 6, 4)
    jam = kec["sla"]["jam_kerja"]
    # kelurahan stage: 1, 2, 3, 4, 5, 10 → median 3.5; p90 at 4.5 → 5 + 0.5×5 = 7.5
    assert jam["kelurahan"] == {"n": 6, "median": 3.5, "p90": 7.5}
    assert jam["kecamatan"] == {"n": 1, "median": 6.0, "p90": 6.0}
    # both stages: 1, 2, 3, 4, 10, 11 → median 3.5; p90 → 10 + 0.5×1 = 10.5
    assert jam["total"] == {"n": 6, "median": 3.5, "p90": 10.5}
    kota = indikator.indikator_hitung(wilayah=KOTA, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    assert (kota["permohonan"]["total"], kota["permohonan"]["selesai"]) == (12, 7)


def test_saring_per_layanan(riwayat):
    hasil = indikator.indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI, layanan="ahli-waris",
                                       sekarang=SEKARANG)
    assert (hasil["permohonan"]["total"], hasil["permohonan"]["selesai"]) == (1, 1)
    assert hasil["sla"]["kepatuhan"] == 1.0


def test_persentil_interpolasi_linear():
    assert indikator.persentil([1, 2, 3, 4, 10], 0.9) == 7.6
    assert indikator.persentil([5], 0.9) == 5.0
    assert indikator.persentil([4, 1, 3, 2], 0.5) == 2.5
    assert indikator.persentil([], 0.5) is None


def test_survei_ikm_ipak_bebas_pungli_dan_sampel_minimum(riwayat):
    waktu = wib(2026, 5, 1, 10)
    survei_simpan(permohonan_id=1, kelurahan=MEDONO, layanan="domisili", ikm=IKM_4, ipak=IPAK_4, ipkp=IPKP_4,
                  diminta_bayar=False, waktu=waktu)
    survei_simpan(permohonan_id=2, kelurahan=MEDONO, layanan="domisili", ikm=IKM_4, ipak=IPAK_4, ipkp=IPKP_4,
                  diminta_bayar=False, waktu=waktu)
    survei_simpan(permohonan_id=3, kelurahan=MEDONO, layanan="domisili", ikm=dict.fromkeys(IKM_4, 3),
                  ipak={**dict.fromkeys(IPAK_4, 2), "pungli": 1}, ipkp=dict.fromkeys(IPKP_4, 3),
                  diminta_bayar=True, jumlah_bayar=50000, kepada_bayar="petugas loket", waktu=waktu)
    survei_simpan(permohonan_id=20, kelurahan=TIRTO, layanan="ahli-waris", ikm=dict.fromkeys(IKM_4, 1),
                  ipak=IPAK_4, ipkp=IPKP_4, diminta_bayar=False, waktu=waktu)
    hasil = indikator.indikator_hitung(wilayah=MEDONO, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    # NRR 11/3 for every unsur → 11/3 × 25 = 91.67 → A.
    assert (hasil["ikm"]["nilai"], hasil["ikm"]["mutu"], hasil["ikm"]["kinerja"]) == (91.67, "A", "Sangat Baik")
    assert hasil["ikm"]["responden"] == 3
    # Served population 5 → Krejcie–Morgan minimum 5; three respondents are not enough.
    assert (hasil["ikm"]["populasi"], hasil["ikm"]["sampel_minimum"], hasil["ikm"]["sampel_cukup"]) == (5, 5, False)
    # IPAK item means 10/3 (×4) and 3 (pungli): (40/3 + 3)/5 = 3.2667 → 3.27.
    assert hasil["ipak"] == 3.27
    assert hasil["ipkp"] == 3.67
    assert hasil["bebas_pungli"] == round(2 / 3, 4)
    assert hasil["survei"] == {"responden": 3, "diminta_bayar": 1}
    assert hasil["zona_integritas"]["ipak"]["nilai"] == 14.31  # 3.27/4 × 17.5 = 14.306
    assert hasil["zona_integritas"]["ipak"]["wbk"] is False
    kec = indikator.indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    # (11 + 1)/4 = 3 per unsur → 75.00 → C
    assert (kec["ikm"]["nilai"], kec["ikm"]["mutu"], kec["ikm"]["responden"]) == (75.0, "C", 4)


def test_pengaduan_dihitung_tanpa_isinya(riwayat):
    a = pengaduan_buat(kategori="pungli", isi="Diminta uang rokok di loket.", kelurahan=MEDONO,
                       waktu=wib(2026, 3, 2, 9))
    pengaduan_buat(kategori="lambat", isi="Sudah seminggu belum selesai.", kelurahan=MEDONO,
                   waktu=wib(2026, 6, 1, 9))
    pengaduan_buat(kategori="calo", isi="Ada calo di depan kantor.", kelurahan=TIRTO, waktu=wib(2026, 3, 2, 9))
    inspektur = petugas("inspektorat", 99)
    pengaduan_ubah_status(kode_lacak=a.kode_lacak, status="diverifikasi", pengguna=inspektur, peran="inspektorat",
                          waktu=wib(2026, 3, 4, 9))
    pengaduan_ubah_status(kode_lacak=a.kode_lacak, status="selesai", pengguna=inspektur, peran="inspektorat",
                          catatan="Petugas dibina, uang dikembalikan.", waktu=wib(2026, 3, 12, 9))
    hasil = indikator.indikator_hitung(wilayah=MEDONO, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)["pengaduan"]
    assert hasil["total"] == 2
    assert hasil["per_kategori"] == {"pungli": 1, "calo": 0, "lambat": 1, "perilaku": 0, "lainnya": 0}
    assert hasil["tuntas"] == 1 and hasil["rasio_tuntas"] == 0.5
    assert hasil["median_hari_tanggapan"] == 2.0
    assert hasil["median_hari_selesai"] == 10.0
    assert hasil["ditanggapi_tepat_waktu"] == 1
    assert hasil["belum_ditanggapi_lewat_tenggat"] == 1
    assert "isi" not in str(hasil)


def test_status_rantai_dari_pemeriksaan_terakhir(riwayat):
    hasil = indikator.indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    assert hasil["rantai_audit"]["utuh"] is False
    assert hasil["rantai_audit"]["belum_diperiksa"] == [MEDONO, TIRTO]
    rantai_periksa(MEDONO)
    rantai_periksa(TIRTO)
    hasil = indikator.indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    assert hasil["rantai_audit"]["utuh"] is True
    assert hasil["rantai_audit"]["jumlah"] == 2


def _isi_ringkasan():
    return sorted(PermohonanRingkas.objects.values_list(
        "permohonan_id", "status", "kelurahan", "kecamatan", "kanal", "layanan", "selesai_pada", "tenggat",
        "terpakai_kelurahan_detik", "terpakai_kecamatan_detik", "memenuhi_standar", "lewat_kecamatan",
        "pernah_perbaikan", "pemohon", "event_terakhir"))


def test_ringkasan_sama_dengan_bangun_ulang_dari_rantai(riwayat):
    sebelum = _isi_ringkasan()
    assert len(sebelum) == 13
    assert indikator.ringkasan_bangun_ulang() == AuditEvent.objects.filter(kategori="transisi").count()
    assert _isi_ringkasan() == sebelum


def test_ringkasan_mengikuti_perubahan_permohonan():
    diajukan = wib(2026, 5, 4, 9)
    _buka(50, "diajukan", diajukan, wib(2026, 5, 6, 9))
    kemarin = indikator.indikator_hitung(wilayah=MEDONO, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    assert (kemarin["permohonan"]["terbuka"], kemarin["permohonan"]["lewat_tenggat"]) == (1, 1)
    catat(50, "verifikasi", "diajukan", "diverifikasi", wib(2026, 5, 7, 9), diajukan_pada=diajukan,
          aktor=petugas("petugas.medono", 11), peran="petugas_kelurahan")
    # An event from before the SLA keys existed: only the deadline decides.
    catat(50, "setujui", "diverifikasi", "selesai", wib(2026, 5, 7, 10), diajukan_pada=diajukan,
          aktor=petugas("lurah.medono", 12), peran="lurah")
    hasil = indikator.indikator_hitung(wilayah=MEDONO, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)
    assert (hasil["permohonan"]["terbuka"], hasil["permohonan"]["selesai"]) == (0, 1)
    assert hasil["permohonan"]["terlambat"] == 1
    assert hasil["sla"]["kepatuhan"] == 0.0
    assert hasil["sla"]["jam_kerja"]["kelurahan"]["n"] == 1


def test_jumlah_query_tetap(riwayat, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        indikator.indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI, sekarang=SEKARANG)


# --- HTTP: who may read which unit ---------------------------------------------------------------


@pytest.fixture
def dunia(db):
    from tests.factories import Dunia

    return Dunia()


def _get(user, url, **params):
    from tests.test_api_lifecycle import klien

    return klien(user).get(url, params)


@pytest.mark.parametrize("siapa, wilayah, kode", [
    ("lurah_medono", MEDONO, 200),
    ("lurah_medono", TIRTO, 404),
    ("lurah_medono", PEKALONGAN_BARAT, 404),
    ("camat", MEDONO, 200),
    ("camat", PEKALONGAN_BARAT, 200),
    ("camat", "33.75.02.1004", 404),
    ("camat", KOTA, 404),
    ("camat_timur", MEDONO, 404),
    ("inspektorat", KOTA, 200),
    ("inspektorat", MEDONO, 200),
    ("inspektorat", "33.76", 404),
    ("petugas_medono", MEDONO, 403),
    ("petugas_kec", PEKALONGAN_BARAT, 403),
])
def test_akses_indikator_menurut_lingkup(dunia, siapa, wilayah, kode):
    r = _get(getattr(dunia, siapa), "/api/v1/indikator/", wilayah=wilayah)
    assert r.status_code == kode, r.content
    if kode == 200:
        body = r.json()
        assert body["wilayah"] == wilayah
        for kunci in ("permohonan", "sla", "ikm", "ipak", "ipkp", "bebas_pungli", "pengaduan", "rantai_audit"):
            assert kunci in body
        assert {"total", "selesai", "terlambat"} <= set(body["permohonan"])
        assert body["dari"] == f"{body['sampai'][:4]}-01-01"


def test_warga_dan_anonim_tidak_membaca_indikator(dunia):
    assert _get(dunia.warga.user, "/api/v1/indikator/", wilayah=MEDONO).status_code == 403
    assert _get(None, "/api/v1/indikator/", wilayah=MEDONO).status_code in (401, 403)


@pytest.mark.parametrize("params, bidang", [
    ({}, {"wilayah"}),
    ({"wilayah": MEDONO, "dari": "2026-13-01"}, {"dari"}),
    ({"wilayah": MEDONO, "dari": "kemarin", "sampai": "2026-02-30"}, {"dari", "sampai"}),
    ({"wilayah": MEDONO, "dari": "2026-06-01", "sampai": "2026-05-01"}, {"sampai"}),
    ({"wilayah": MEDONO, "layanan": "tidak-ada"}, {"layanan"}),
])
def test_parameter_salah_400(dunia, params, bidang):
    r = _get(dunia.camat, "/api/v1/indikator/", **params)
    assert r.status_code == 400
    assert set(r.json()) == bidang


def test_api_indikator_dari_riwayat(dunia, riwayat):
    r = _get(dunia.camat, "/api/v1/indikator/", wilayah=PEKALONGAN_BARAT, dari="2026-01-01", sampai="2026-06-30")
    assert r.status_code == 200
    assert r.json()["nama_wilayah"] == "Pekalongan Barat"
    assert r.json()["permohonan"]["selesai"] == 6
    r = _get(dunia.camat, "/api/v1/indikator/", wilayah=PEKALONGAN_BARAT, dari="2026-01-01", sampai="2026-06-30",
             layanan="ahli-waris")
    assert r.json()["permohonan"]["total"] == 1


def test_sinyal_hanya_untuk_inspektorat_dengan_tautan(dunia):
    permohonan_selesai(1, wib(2026, 3, 2, 9), jam_kelurahan=3, selesai=wib(2026, 3, 5, 9))
    permohonan_selesai(2, wib(2026, 3, 2, 13), jam_kelurahan=1, selesai=wib(2026, 3, 3, 9))
    assert _get(dunia.camat, "/api/v1/indikator/sinyal/", wilayah=MEDONO).status_code == 403
    assert _get(dunia.lurah_medono, "/api/v1/indikator/sinyal/", wilayah=MEDONO).status_code == 403
    r = _get(dunia.inspektorat, "/api/v1/indikator/sinyal/", wilayah=PEKALONGAN_BARAT, dari="2026-01-01",
             sampai="2026-12-31")
    assert r.status_code == 200
    sinyal = r.json()["sinyal"]
    assert [s["jenis"] for s in sinyal] == ["di_luar_urutan"]
    assert sinyal[0]["permohonan"][0]["url"] == "http://testserver/api/v1/permohonan/2/"
    assert _get(dunia.inspektorat, "/api/v1/indikator/sinyal/", wilayah=MEDONO, jenis="x").status_code == 400


# --- tables, trend, overdue list, exports, transparency -------------------------------------------


def test_rincian_per_kelurahan_dan_ekspor_csv_xlsx(dunia, riwayat):
    import csv
    import io

    from openpyxl import load_workbook

    params = {"wilayah": PEKALONGAN_BARAT, "dari": "2026-01-01", "sampai": "2026-06-30"}
    body = _get(dunia.camat, "/api/v1/indikator/rincian/", **params).json()
    baris = {b["wilayah"]: b for b in body["baris"]}
    assert list(baris) == [PEKALONGAN_BARAT, MEDONO, TIRTO]
    assert (baris[MEDONO]["nama"], baris[MEDONO]["kepatuhan_sla"], baris[MEDONO]["selesai"]) == ("Medono", 0.8, 5)
    assert (baris[TIRTO]["kepatuhan_sla"], baris[PEKALONGAN_BARAT]["selesai"]) == (1.0, 6)
    r = _get(dunia.camat, "/api/v1/indikator/rincian/", ekspor="csv", **params)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    tabel = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert tabel[0][:3] == ["nama", "permohonan", "selesai"]  # names, not codes (issue 18)
    assert tabel[2][:3] == ["Medono", "10", "5"]
    r = _get(dunia.camat, "/api/v1/indikator/rincian/", ekspor="xlsx", **params)
    lembar = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in lembar[3]][:3] == ["Medono", 10, 5]
    assert _get(dunia.camat, "/api/v1/indikator/rincian/", ekspor="pdf", **params).status_code == 400
    # The lurah's table is its own kelurahan only; another kelurahan is out of scope.
    lurah = _get(dunia.lurah_medono, "/api/v1/indikator/rincian/", **{**params, "wilayah": MEDONO}).json()
    assert [b["wilayah"] for b in lurah["baris"]] == [MEDONO]
    assert _get(dunia.lurah_medono, "/api/v1/indikator/rincian/", **params).status_code == 404


def test_tren_bulanan(dunia, riwayat):
    survei_simpan(permohonan_id=1, kelurahan=MEDONO, layanan="domisili", ikm=IKM_4, ipak=IPAK_4, ipkp=IPKP_4,
                  diminta_bayar=False, waktu=wib(2026, 2, 20, 10))
    body = _get(dunia.lurah_medono, "/api/v1/indikator/tren/", wilayah=MEDONO, dari="2026-01-01",
                sampai="2026-06-30").json()
    assert body["bulan"] == [{"bulan": "2026-02", "selesai": 5, "kepatuhan_sla": 0.8, "ikm": 100.0, "responden": 1}]
    kec = _get(dunia.camat, "/api/v1/indikator/tren/", wilayah=PEKALONGAN_BARAT, dari="2026-01-01",
               sampai="2026-06-30").json()["bulan"]
    assert [(b["bulan"], b["selesai"]) for b in kec] == [("2026-02", 5), ("2026-04", 1)]


def test_daftar_lewat_tenggat(dunia, riwayat):
    import time_machine

    with time_machine.travel(SEKARANG, tick=False):
        body = _get(dunia.camat, "/api/v1/indikator/lewat-tenggat/", wilayah=PEKALONGAN_BARAT).json()
        csv = _get(dunia.camat, "/api/v1/indikator/lewat-tenggat/", wilayah=PEKALONGAN_BARAT, ekspor="csv")
    assert [b["permohonan_id"] for b in body["permohonan"]] == [8]
    assert body["permohonan"][0]["terlambat_jam"] == round((SEKARANG - wib(2026, 6, 20, 12)).total_seconds() / 3600, 1)
    assert body["permohonan"][0]["url"].endswith("/api/v1/permohonan/8/")
    assert "NR000008" in csv.content.decode()
    # Names beside the codes, the status in words, the delay in working days (issue 18, item 4).
    from kelurahan.kalender import kalender_wilayah
    from layanan.models import Layanan, Status

    baris = body["permohonan"][0]
    assert baris["layanan_nama"] == Layanan.objects.get(kode=baris["layanan"]).nama
    assert baris["kelurahan_nama"] == "Medono" and baris["status_label"] == Status(baris["status"]).label
    detik = kalender_wilayah(MEDONO).detik_kerja_antara(wib(2026, 6, 20, 12), SEKARANG)
    assert baris["terlambat_hari_kerja"] == round(detik / (7.5 * 3600), 1) < baris["terlambat_jam"] / 24
    kepala, baris_csv = csv.content.decode("utf-8-sig").splitlines()[:2]
    assert kepala.startswith("nomor_registrasi,layanan,kelurahan,status,") and "terlambat_hari_kerja" in kepala
    # The export names the service, the kelurahan and the status instead of their codes (issue 18).
    assert f"{baris['layanan_nama']},Medono,{baris['status_label']}," in baris_csv and MEDONO not in baris_csv
    # No personal data: no NIK, no person's name (the only names are of the service and the kelurahan).
    tanpa_nama_unit = [{k: v for k, v in b.items() if k not in ("layanan_nama", "kelurahan_nama")}
                       for b in body["permohonan"]]
    assert "nik" not in str(body).lower() and "nama" not in str(tanpa_nama_unit)


def test_transparansi_publik_semester(dunia, riwayat):
    import time_machine

    from tests.test_api_lifecycle import klien

    r = klien().get(f"/api/v1/transparansi/{MEDONO}/", {"semester": "2026-1"})
    assert r.status_code == 200
    body = r.json()
    assert (body["nama"], body["semester"], body["sla"]["kepatuhan"]) == ("Medono", "2026-1", 0.8)
    assert body["permohonan"] == {"total": 10, "selesai": 5, "terlambat": 1}
    assert set(body["ikm"]) == {"nilai", "mutu", "kinerja", "responden", "nrr", "nrr_konversi", "populasi",
                                "sampel_minimum", "sampel_cukup"}
    with time_machine.travel(SEKARANG, tick=False):
        assert klien().get(f"/api/v1/transparansi/{MEDONO}/").json()["semester"] == "2026-1"
    with time_machine.travel(wib(2026, 3, 1, 10), tick=False):
        assert klien().get(f"/api/v1/transparansi/{MEDONO}/").json()["semester"] == "2025-2"
    assert klien().get(f"/api/v1/transparansi/{PEKALONGAN_BARAT}/").status_code == 404
    assert klien().get(f"/api/v1/transparansi/{MEDONO}/", {"semester": "2026-3"}).status_code == 400


def test_sinyal_ekspor_csv(dunia):
    permohonan_selesai(1, wib(2026, 3, 2, 9), jam_kelurahan=3, selesai=wib(2026, 3, 5, 9))
    permohonan_selesai(2, wib(2026, 3, 2, 13), jam_kelurahan=1, selesai=wib(2026, 3, 3, 9))
    r = _get(dunia.inspektorat, "/api/v1/indikator/sinyal/", wilayah=KOTA, dari="2026-01-01", sampai="2026-12-31",
             ekspor="csv")
    teks = r.content.decode("utf-8-sig").splitlines()
    assert teks[0] == "judul,kelurahan,petugas,keterangan,permohonan"
    assert teks[1].startswith("Diproses mendahului antrean,Medono,") and teks[1].endswith('"NR000002, NR000001"')
