"""Complaints: graded handling times by kind in working days on the office calendar, and the SP4N-LAPOR! bridge."""

from datetime import date, time

import pytest

from audit.models import AuditEvent
from integritas.models import Pengaduan
from integritas.services import (
    DataTidakValid,
    lapor_tenggat,
    pengaduan_buat,
    pengaduan_hari_kerja,
    pengaduan_tautkan_lapor,
)
from kelurahan.models import HariLibur
from tests.factories import MEDONO, TIRTO, Dunia
from tests.pembantu_indikator import wib


@pytest.fixture
def dunia(db):
    return Dunia()


def test_default_times_by_kind(settings):
    assert pengaduan_hari_kerja("lambat") == (2, 5)
    assert pengaduan_hari_kerja("pungli") == (3, 14)
    settings.PENGADUAN_HARI_KERJA = {"pungli": (1, 7)}
    assert pengaduan_hari_kerja("pungli") == (1, 7)
    assert pengaduan_hari_kerja("lainnya") == (settings.PENGADUAN_TANGGAPAN_HARI_KERJA,) * 2


def test_settings_parse_the_environment_form():
    from config.settings import _waktu_pengaduan

    assert _waktu_pengaduan("pungli:3/14, lambat:2/5") == {"pungli": (3, 14), "lambat": (2, 5)}


def test_deadlines_across_national_and_local_holidays_by_kind(dunia):
    # Mon 16 March 2026 10.00. 17 works; 18–24 are cuti bersama, Nyepi, Idul Fitri and a weekend.
    # Medono also closes Wed 25 March for a local holiday (Tirto does not).
    HariLibur.objects.create(kantor=dunia.medono, tanggal=date(2026, 3, 25), nama="Sedekah bumi Medono")
    lambat = pengaduan_buat(kategori="lambat", isi="Surat belum selesai dua minggu.", kelurahan=MEDONO,
                            waktu=wib(2026, 3, 16, 10))
    # 2 working days: 17, (25 closed) 26 → Thu 26 March; 5: 17, 26, 27, 30, 31 → Tue 31 March.
    assert lambat.tenggat_tanggapan == wib(2026, 3, 26, 10)
    assert lambat.tenggat_selesai == wib(2026, 3, 31, 10)
    di_tirto = pengaduan_buat(kategori="lambat", isi="Surat belum selesai dua minggu.", kelurahan=TIRTO,
                              waktu=wib(2026, 3, 16, 10))
    assert di_tirto.tenggat_tanggapan == wib(2026, 3, 25, 10)  # 17, 25
    assert di_tirto.tenggat_selesai == wib(2026, 3, 30, 10)  # 17, 25, 26, 27, 30
    pungli = pengaduan_buat(kategori="pungli", isi="Diminta uang lima puluh ribu.", kelurahan=MEDONO,
                            waktu=wib(2026, 3, 16, 10))
    # 3: 17, 26, 27 → Fri 27 March; 14: 17, 26, 27, 30, 31, 1–2 Apr, (3 Apr Good Friday), 6–10, 13, 14 → Tue 14 April.
    assert pungli.tenggat_tanggapan == wib(2026, 3, 27, 10)
    assert pungli.tenggat_selesai == wib(2026, 4, 14, 10)
    # The event records the deadlines it was given.
    event = AuditEvent.objects.filter(rantai="pengaduan", objek_id=pungli.kode_lacak).get()
    assert event.data["tenggat_selesai"] == pungli.tenggat_selesai.isoformat()


def test_half_day_closure_still_counts_as_a_working_day_and_the_60_day_cap_holds(dunia, settings):
    HariLibur.objects.create(kantor=dunia.medono, tanggal=date(2026, 11, 10), nama="Rapat", tutup_pukul=time(12))
    p = pengaduan_buat(kategori="lambat", isi="Surat belum selesai seminggu.", kelurahan=MEDONO,
                       waktu=wib(2026, 11, 9, 10))
    assert p.tenggat_tanggapan == wib(2026, 11, 11, 10)  # Tue (open till noon) and Wed
    settings.PENGADUAN_HARI_KERJA = {"lainnya": (5, 100)}
    p = pengaduan_buat(kategori="lainnya", isi="Pelayanan kurang jelas sekali.", kelurahan=MEDONO,
                       waktu=wib(2026, 11, 9, 10))
    assert p.tenggat_selesai == wib(2027, 1, 8, 10)  # 60 calendar days, before 100 working days


def test_lapor_id_recorded_audited_and_shown_to_the_inspectorate_only(client, dunia):
    p = pengaduan_buat(kategori="pungli", isi="Diminta uang lima puluh ribu.", kelurahan=MEDONO,
                       waktu=wib(2026, 3, 16, 10))
    with pytest.raises(DataTidakValid):
        pengaduan_tautkan_lapor(kode_lacak=p.kode_lacak, lapor_id="<script>", pengguna=dunia.inspektorat,
                                peran="inspektorat")
    client.force_login(dunia.inspektorat)
    r = client.post(f"/petugas/pengaduan/{p.kode_lacak}/lapor/", {"lapor_id": "LAP-2026-0412345"})
    assert r.status_code == 302
    assert Pengaduan.objects.get(pk=p.pk).lapor_id == "LAP-2026-0412345"
    event = AuditEvent.objects.filter(rantai="pengaduan", aksi="tautkan_lapor").get()
    assert event.data == {"lapor_id": ["", "LAP-2026-0412345"]} and event.aktor == "inspektorat"
    html = client.get(f"/petugas/pengaduan/{p.kode_lacak}/").content.decode()
    assert 'id="lapor-id">LAP-2026-0412345' in html
    # The national rules, counted on the office calendar from receipt (Mon 16 March 10.00): 3 working days →
    # 17, 25, 26 (18–24 closed) = Thu 26 Mar; +5 → 27, 30, 31, 1, 2 = Thu 2 Apr; +10 → (3 Apr Good Friday)
    # 6–10, 13–17 = Fri 17 Apr.
    tahap = {t["kunci"]: (t["hari_kerja"], t["tenggat"]) for t in lapor_tenggat(p)}
    assert tahap == {"verifikasi": (3, wib(2026, 3, 26, 10)), "tindak_lanjut": (5, wib(2026, 4, 2, 10)),
                     "tanggapan_pelapor": (10, wib(2026, 4, 17, 10))}
    assert 'data-lapor="verifikasi"' in html and "26 Mar 2026" in html
    from tests.test_api_lifecycle import klien

    assert klien(dunia.inspektorat).get(f"/api/v1/pengaduan/{p.kode_lacak}/").json()["lapor_id"] == "LAP-2026-0412345"
    publik = klien().get(f"/api/v1/pengaduan/{p.kode_lacak}/").json()
    assert "lapor_id" not in publik
    client.force_login(dunia.lurah_medono)
    assert client.post(f"/petugas/pengaduan/{p.kode_lacak}/lapor/", {"lapor_id": "X"}).status_code == 403
    assert Pengaduan.objects.get(pk=p.pk).lapor_id == "LAP-2026-0412345"
