"""Each integrity signal fires on a crafted case, stays silent on a clean one, and links its requests."""

from datetime import date, timedelta

import pytest

from integritas.sinyal import sinyal_hitung
from tests.pembantu_indikator import MEDONO, PEKALONGAN_BARAT, TIRTO, catat, permohonan_selesai, petugas, wib

pytestmark = pytest.mark.django_db

DARI, SAMPAI = date(2026, 1, 1), date(2026, 12, 31)
SENIN = wib(2026, 3, 2, 9)


def _sinyal(jenis, wilayah=MEDONO):
    return sinyal_hitung(wilayah=wilayah, dari=DARI, sampai=SAMPAI, jenis=[jenis])


def _ids(sinyal):
    return [[t["id"] for t in s["permohonan"]] for s in sinyal]


class TestDiLuarUrutan:
    def test_permohonan_belakangan_selesai_lebih_dulu(self):
        permohonan_selesai(1, SENIN, jam_kelurahan=3, selesai=SENIN + timedelta(days=3))
        permohonan_selesai(2, SENIN + timedelta(hours=4), jam_kelurahan=1, selesai=SENIN + timedelta(days=1))
        sinyal = _sinyal("di_luar_urutan")
        assert _ids(sinyal) == [[2, 1]]
        assert sinyal[0]["permohonan"][0]["nomor_registrasi"] == "NR000002"
        assert sinyal[0]["kelurahan"] == MEDONO

    def test_permohonan_lama_yang_masih_menunggu_juga_dilompati(self):
        catat(1, "ajukan", "", "diajukan", SENIN, diajukan_pada=SENIN, peran="warga")
        permohonan_selesai(2, SENIN + timedelta(hours=4), jam_kelurahan=1, selesai=SENIN + timedelta(days=1))
        assert _ids(_sinyal("di_luar_urutan")) == [[2, 1]]

    def test_sesuai_urutan_diam(self):
        permohonan_selesai(1, SENIN, jam_kelurahan=1, selesai=SENIN + timedelta(days=1))
        permohonan_selesai(2, SENIN + timedelta(hours=4), jam_kelurahan=1, selesai=SENIN + timedelta(days=2))
        # Another service and another channel keep their own queues.
        permohonan_selesai(3, SENIN - timedelta(hours=4), jam_kelurahan=1, layanan="sktm",
                           selesai=SENIN + timedelta(days=5))
        permohonan_selesai(4, SENIN - timedelta(hours=4), jam_kelurahan=1, kanal="loket",
                           selesai=SENIN + timedelta(days=5))
        assert _sinyal("di_luar_urutan") == []

    def test_yang_menunggu_perbaikan_warga_boleh_dilompati(self):
        catat(1, "ajukan", "", "diajukan", SENIN, diajukan_pada=SENIN, peran="warga")
        catat(1, "minta_perbaikan", "diajukan", "perlu_perbaikan", SENIN + timedelta(hours=1), diajukan_pada=SENIN,
              aktor=petugas("petugas.medono", 11), peran="petugas_kelurahan")
        permohonan_selesai(2, SENIN + timedelta(hours=4), jam_kelurahan=1, selesai=SENIN + timedelta(days=1))
        assert _sinyal("di_luar_urutan") == []


class TestPemohonBerulang:
    def _lompat(self, pid_awal, hari, pemohon):
        awal = SENIN + timedelta(days=hari)
        permohonan_selesai(pid_awal, awal, jam_kelurahan=3, selesai=awal + timedelta(days=3))
        permohonan_selesai(pid_awal + 1, awal + timedelta(hours=4), jam_kelurahan=1,
                           selesai=awal + timedelta(days=1), pemohon=pemohon)

    def test_pemohon_yang_sama_didahulukan_dua_kali(self):
        self._lompat(1, 0, "samaran-A")
        self._lompat(11, 14, "samaran-A")
        self._lompat(21, 28, "samaran-B")
        sinyal = _sinyal("pemohon_berulang")
        assert _ids(sinyal) == [[2, 12]]

    def test_sekali_saja_diam(self):
        self._lompat(1, 0, "samaran-A")
        self._lompat(11, 14, "samaran-B")
        assert _sinyal("pemohon_berulang") == []


class TestLuarJamKerja:
    def test_aksi_petugas_saat_kantor_tutup(self):
        permohonan_selesai(1, SENIN, jam_kelurahan=2, dalam_jam_kerja=False)
        sinyal = _sinyal("luar_jam_kerja")
        assert sorted(s["aktor"] for s in sinyal) == ["lurah.medono", "petugas.medono"]
        assert all(_ids([s]) == [[1]] for s in sinyal)

    def test_warga_mengajukan_malam_hari_dan_petugas_di_jam_kerja_diam(self):
        malam = wib(2026, 3, 2, 22)
        catat(1, "ajukan", "", "diajukan", malam, diajukan_pada=malam, peran="warga",
              aktor=petugas("warga1", 500), sla={"dalam_jam_kerja": False})
        permohonan_selesai(2, SENIN, jam_kelurahan=2, dalam_jam_kerja=True)
        # An old event without the key says nothing either way.
        catat(3, "ajukan", "", "diajukan", SENIN, diajukan_pada=SENIN, peran="petugas_kelurahan",
              aktor=petugas("petugas.medono", 11))
        assert _sinyal("luar_jam_kerja") == []


class TestTolakLaluSetuju:
    def _tolak(self, pid, waktu, pemohon, layanan="domisili"):
        catat(pid, "ajukan", "", "diajukan", waktu, diajukan_pada=waktu, peran="warga", pemohon=pemohon,
              layanan=layanan)
        catat(pid, "tolak", "diajukan", "ditolak", waktu + timedelta(hours=2), diajukan_pada=waktu,
              aktor=petugas("petugas.medono", 11), peran="petugas_kelurahan", pemohon=pemohon, layanan=layanan)

    def test_ditolak_lalu_disetujui_untuk_pemohon_yang_sama(self):
        self._tolak(1, SENIN, "samaran-A")
        permohonan_selesai(2, SENIN + timedelta(days=1), jam_kelurahan=2, pemohon="samaran-A")
        sinyal = _sinyal("tolak_lalu_setuju")
        assert _ids(sinyal) == [[1, 2]]

    def test_pemohon_lain_layanan_lain_atau_jauh_kemudian_diam(self):
        self._tolak(1, SENIN, "samaran-A")
        permohonan_selesai(2, SENIN + timedelta(days=1), jam_kelurahan=2, pemohon="samaran-B")
        permohonan_selesai(3, SENIN + timedelta(days=1), jam_kelurahan=2, pemohon="samaran-A", layanan="sktm")
        permohonan_selesai(4, SENIN + timedelta(days=60), jam_kelurahan=2, pemohon="samaran-A")
        assert _sinyal("tolak_lalu_setuju") == []


class TestPersetujuanCepat:
    def _setujui(self, awal_pid, lurah, kelurahan, jam_setuju):
        for i in range(10):
            permohonan_selesai(awal_pid + i, SENIN + timedelta(days=i), jam_kelurahan=4, jam_setuju=jam_setuju,
                               lurah=lurah, kelurahan=kelurahan, layanan=f"l{awal_pid + i}")

    def test_satu_lurah_jauh_lebih_cepat_daripada_rekan(self):
        self._setujui(100, petugas("lurah.medono", 12), MEDONO, 0.1)
        self._setujui(200, petugas("lurah.tirto", 22), TIRTO, 2)
        self._setujui(300, petugas("lurah.sapuro", 32), "33.75.01.1004", 2.5)
        sinyal = _sinyal("persetujuan_cepat", PEKALONGAN_BARAT)
        assert [s["aktor"] for s in sinyal] == ["lurah.medono"]
        assert sorted(_ids(sinyal)[0]) == list(range(100, 110))

    def test_kecepatan_wajar_atau_sampel_sedikit_diam(self):
        self._setujui(100, petugas("lurah.medono", 12), MEDONO, 1.5)
        self._setujui(200, petugas("lurah.tirto", 22), TIRTO, 2)
        for i in range(5):  # very fast, but too few approvals to judge
            permohonan_selesai(300 + i, SENIN + timedelta(days=i), jam_kelurahan=4, jam_setuju=0.01,
                               lurah=petugas("lurah.sapuro", 32), kelurahan="33.75.01.1004", layanan=f"m{i}")
        assert _sinyal("persetujuan_cepat", PEKALONGAN_BARAT) == []


def test_semua_sinyal_diam_pada_riwayat_bersih():
    for i in range(6):
        permohonan_selesai(i + 1, SENIN + timedelta(days=i), jam_kelurahan=2, pemohon=f"samaran-{i}")
    assert sinyal_hitung(wilayah=PEKALONGAN_BARAT, dari=DARI, sampai=SAMPAI) == []


def test_ujung_ke_ujung_aksi_malam_petugas_lewat_layanan_sungguhan(db):
    """Through the real services and SLA clock: the event says whether the office was open."""
    import time_machine
    from django.core.cache import cache

    from integritas.indikator import indikator_hitung
    from layanan.permohonan.services import permohonan_aksi
    from tests.factories import Dunia
    from tests.pembantu_ttd import tandatangani
    from tests.test_api_lifecycle import ajukan_domisili

    cache.clear()
    dunia = Dunia()
    with time_machine.travel(wib(2026, 3, 2, 13), tick=False):  # Monday, office open
        pk = ajukan_domisili(dunia).json()["id"]
    with time_machine.travel(wib(2026, 3, 2, 20), tick=False):  # same evening, office closed
        permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    with time_machine.travel(wib(2026, 3, 3, 9), tick=False):  # Tuesday morning
        tandatangani(permohonan_id=pk, pengguna=dunia.lurah_medono, aksi="setujui")
    sinyal = _sinyal("luar_jam_kerja")
    assert [(s["aktor"], _ids([s])) for s in sinyal] == [("petugas.medono", [[pk]])]
    hasil = indikator_hitung(wilayah=MEDONO, dari=DARI, sampai=SAMPAI)
    # Monday 13.00–16.00 (3 h) and Tuesday 07.30–09.00 (1.5 h) against 8 h.
    assert hasil["sla"]["jam_kerja"]["kelurahan"] == {"n": 1, "median": 4.5, "p90": 4.5}
    assert hasil["sla"]["kepatuhan"] == 1.0
    assert hasil["permohonan"]["per_kanal"]["online"] == 1
