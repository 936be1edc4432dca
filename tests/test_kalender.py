"""Office calendars: working time between instants and after an amount, on real 2026 dates."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kelurahan.kalender import Kalender, kalender_wilayah, libur_nasional
from kelurahan.models import HariLibur, JamLayanan, Kantor, Wilayah

WIB = ZoneInfo("Asia/Jakarta")
JAM = 3600


def wib(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def kal():
    return Kalender()


def test_default_is_37_5_hours_a_week(kal):
    # Mon 9 – Fri 13 Nov 2026: no holidays.
    assert kal.detik_kerja_antara(wib(2026, 11, 9), wib(2026, 11, 16)) == 37.5 * JAM
    assert kal.detik_kerja_antara(wib(2026, 11, 9), wib(2026, 11, 10)) == 7.5 * JAM  # Monday
    assert kal.detik_kerja_antara(wib(2026, 11, 13), wib(2026, 11, 14)) == 7.5 * JAM  # Friday


def test_breaks_do_not_count(kal):
    assert kal.detik_kerja_antara(wib(2026, 11, 9, 11), wib(2026, 11, 9, 14)) == 2 * JAM  # 12–13 break
    assert kal.detik_kerja_antara(wib(2026, 11, 13, 11), wib(2026, 11, 13, 14)) == 1.5 * JAM  # Fri 11.30–13
    assert not kal.buka(wib(2026, 11, 13, 12, 0))
    assert kal.buka(wib(2026, 11, 13, 13, 0))


def test_national_holidays_and_cuti_bersama_2026():
    libur = libur_nasional(2026)
    # holidays 0.109: Nyepi 19 March with cuti bersama 18; Idul Fitri 21–22 with cuti bersama 20, 23, 24.
    for hari in (18, 19, 20, 21, 22, 23, 24):
        assert date(2026, 3, hari) in libur, hari
    assert "Cuti Bersama" in libur[date(2026, 3, 20)]
    assert date(2026, 3, 17) not in libur and date(2026, 3, 25) not in libur


def test_idul_fitri_2026_span(kal):
    # Tue 17 March 10.00: 2 h + 3 h that day; 18–24 March closed; Wed 25: 7.5 h; Thu 26: 2.5 h more.
    mulai = wib(2026, 3, 17, 10)
    assert kal.tambah_jam_kerja(mulai, 15 * JAM) == wib(2026, 3, 26, 10)
    assert kal.detik_kerja_antara(mulai, wib(2026, 3, 26, 10)) == 15 * JAM
    assert kal.detik_kerja_antara(wib(2026, 3, 18), wib(2026, 3, 25)) == 0


def test_zero_amount_is_next_opening(kal):
    assert kal.tambah_jam_kerja(wib(2026, 11, 10, 21), 0) == wib(2026, 11, 11, 7, 30)  # Tuesday night
    assert kal.tambah_jam_kerja(wib(2026, 11, 8, 10), 0) == wib(2026, 11, 9, 7, 30)  # Sunday
    assert kal.tambah_jam_kerja(wib(2026, 11, 9, 12, 15), 0) == wib(2026, 11, 9, 13)  # break
    assert kal.tambah_jam_kerja(wib(2026, 11, 9, 9), 0) == wib(2026, 11, 9, 9)  # open: now


def test_amount_ending_at_closing_gives_closing(kal):
    assert kal.tambah_jam_kerja(wib(2026, 11, 9, 7, 30), 7.5 * JAM) == wib(2026, 11, 9, 16)
    assert kal.tambah_jam_kerja(wib(2026, 11, 9, 7, 30), 4.5 * JAM) == wib(2026, 11, 9, 12)


def test_long_spans_cross_years_consistently(kal):
    mulai = wib(2026, 12, 23, 9, 17, 3)
    for jam in (1, 40, 1000, 5000):
        akhir = kal.tambah_jam_kerja(mulai, jam * JAM)
        assert kal.detik_kerja_antara(mulai, akhir) == jam * JAM
    # 24–25 Dec 2026 and 1 Jan 2027 are holidays: 23 Dec 9.17.03 → 16.00 is 5 h 42 min 57 s.
    assert kal.tambah_jam_kerja(mulai, 6 * JAM) == wib(2026, 12, 28, 7, 47, 3)


def test_utc_input_is_read_as_jakarta_wall_time(kal):
    utc = datetime(2026, 11, 9, 1, 0, tzinfo=ZoneInfo("UTC"))  # 08.00 WIB
    assert kal.tambah_jam_kerja(utc, JAM) == wib(2026, 11, 9, 9)


def test_naive_datetime_is_refused(kal):
    with pytest.raises(ValueError):
        kal.tambah_jam_kerja(datetime(2026, 11, 9, 8), JAM)


def test_calendar_without_hours_fails_loudly():
    with pytest.raises(ValueError):
        Kalender({}).tambah_jam_kerja(wib(2026, 11, 9), JAM)


def test_saturday_service_and_local_holiday():
    kal = Kalender(
        {h: [(time(8), time(15))] for h in range(5)} | {5: [(time(9), time(12))]},
        libur_lokal={date(2026, 11, 16)},
    )
    # Fri 13 Nov 14.00: 1 h; Sat 14: 3 h; Mon 16 closed (local); Tue 17 from 08.00.
    assert kal.tambah_jam_kerja(wib(2026, 11, 13, 14), 5 * JAM) == wib(2026, 11, 17, 9)


@pytest.fixture
def kantor(db):
    kota = Wilayah.objects.create(kode="33.75", nama="Kota Pekalongan", tingkat=2)
    kec = Wilayah.objects.create(kode="33.75.01", nama="Pekalongan Barat", tingkat=3, induk=kota)
    kel = Wilayah.objects.create(kode="33.75.01.1002", nama="Medono", tingkat=4, induk=kec)
    return Kantor.objects.create(wilayah=kel, jenis="kelurahan", nama="Kantor Kelurahan Medono")


def test_office_calendar_from_rows_and_cache_invalidation(kantor, django_assert_num_queries):
    kode = kantor.wilayah_id
    pertama = kalender_wilayah(kode)
    assert pertama.jam[0] == Kalender().jam[0]  # no rows: the default
    with django_assert_num_queries(0):
        assert kalender_wilayah(kode) is pertama  # cached per process

    JamLayanan.objects.create(kantor=kantor, hari=5, mulai=time(9), selesai=time(12))
    kedua = kalender_wilayah(kode)
    assert kedua is not pertama
    assert kedua.jam[5] and not kedua.jam[0]  # rows replace the default entirely

    HariLibur.objects.create(kantor=None, tanggal=date(2026, 11, 14), nama="Hari Jadi Kota")
    ketiga = kalender_wilayah(kode)
    assert ketiga.libur(date(2026, 11, 14))
    assert ketiga.detik_kerja_antara(wib(2026, 11, 14), wib(2026, 11, 15)) == 0

    HariLibur.objects.all().delete()
    assert kalender_wilayah(kode).detik_kerja_antara(wib(2026, 11, 14), wib(2026, 11, 15)) == 3 * JAM


def test_region_without_office_uses_default_and_global_holidays(db):
    HariLibur.objects.create(kantor=None, tanggal=date(2026, 11, 10), nama="Libur kota")
    kal = kalender_wilayah("33.75.04.1001")
    assert kal.detik_kerja_antara(wib(2026, 11, 9), wib(2026, 11, 11)) == 7.5 * JAM


def test_one_hour_near_microsecond_instants(kal):
    mulai = wib(2026, 11, 9, 11, 59, 59, 999_999)
    akhir = kal.tambah_jam_kerja(mulai, JAM)
    assert akhir == wib(2026, 11, 9, 13, 59, 59, 999_999)
    assert kal.mikrodetik_kerja_antara(mulai, akhir) == JAM * 1_000_000
    assert akhir - mulai == timedelta(hours=2)
