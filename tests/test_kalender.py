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


def test_one_unit_of_work_reads_the_version_tokens_once_and_sees_its_own_change(kantor):
    """Within versi_tetap() (each request, the SLA sweep) every store's token is read in one round trip;
    a change made in the unit is seen by it at once, another process's only by the next unit."""
    from unittest import mock

    from django.core.cache import cache

    from kelurahan import simpanan
    from kelurahan.kalender import KUNCI_VERSI

    kode = kantor.wilayah_id
    with simpanan.versi_tetap():  # the first unit makes the tokens no one has made yet
        kalender_wilayah(kode)
    # (Django's local-memory cache answers get_many with a get per key; Redis with one MGET.)
    with (mock.patch.object(simpanan, "_baca_versi", wraps=simpanan._baca_versi) as baca,
          mock.patch.object(simpanan.cache, "get_many", wraps=simpanan.cache.get_many) as baca_banyak,
          simpanan.versi_tetap()):
        pertama = kalender_wilayah(kode)
        simpanan.kelurahan_dilayani()
        assert kalender_wilayah(kode) is pertama
        assert baca.call_count == 0 and baca_banyak.call_count == 1
        assert set(baca_banyak.call_args.args[0]) >= {KUNCI_VERSI, "simpatik:wilayah:versi"}

        cache.set(KUNCI_VERSI, "dari-proses-lain")  # another process's change: not within this unit
        assert kalender_wilayah(kode) is pertama
        JamLayanan.objects.create(kantor=kantor, hari=5, mulai=time(9), selesai=time(12))  # this unit's own
        assert kalender_wilayah(kode) is not pertama and kalender_wilayah(kode).jam[5]
    with simpanan.versi_tetap():
        assert kalender_wilayah(kode).jam[5]


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


# --- Ramadan hours and half-day closures (issue 20) ---

# SE MenPANRB on working hours in Ramadan (1446 H, 2025; repeated yearly): Mon–Thu 08.00–15.00 with a
# 12.00–12.30 break, Fri 08.00–15.30 with a 11.30–12.30 break: 6.5 h a day, 32.5 h a week.
RAMADAN_MINGGU = {
    **{h: [(time(8), time(12)), (time(12, 30), time(15))] for h in range(4)},
    4: [(time(8), time(11, 30)), (time(12, 30), time(15, 30))],
}


def test_ramadan_period_replaces_the_week_only_inside_its_dates():
    kal = Kalender(jam_khusus=[(date(2026, 2, 19), date(2026, 3, 19), RAMADAN_MINGGU)])
    # Mon 2 – Fri 6 March 2026 lies inside: 32.5 h; Mon 9 – Fri 13 November outside: 37.5 h.
    assert kal.detik_kerja_antara(wib(2026, 3, 2), wib(2026, 3, 9)) == 32.5 * JAM
    assert kal.detik_kerja_antara(wib(2026, 11, 9), wib(2026, 11, 16)) == 37.5 * JAM
    # The boundaries: Wed 18 Feb has the usual 7.5 h, Thu 19 Feb the Ramadan 6.5 h.
    assert kal.detik_kerja_antara(wib(2026, 2, 18), wib(2026, 2, 19)) == 7.5 * JAM
    assert kal.detik_kerja_antara(wib(2026, 2, 19), wib(2026, 2, 20)) == 6.5 * JAM
    assert not kal.buka(wib(2026, 3, 2, 7, 45)) and kal.buka(wib(2026, 3, 2, 8))
    # Holidays still close the day: Nyepi Thursday 19 March.
    assert kal.detik_kerja_antara(wib(2026, 3, 19), wib(2026, 3, 20)) == 0


def test_half_day_closure_cuts_the_day_at_its_closing_time():
    kal = Kalender(tutup_awal={date(2026, 11, 10): time(12)})
    assert kal.detik_kerja_antara(wib(2026, 11, 10), wib(2026, 11, 11)) == 4.5 * JAM  # 07.30–12.00
    assert not kal.buka(wib(2026, 11, 10, 13))
    # 8 h from Mon 9 Nov 09.00: Mon 09–12, 13–16 = 6 h; Tue 07.30–09.30 = 2 h.
    assert kal.tambah_jam_kerja(wib(2026, 11, 9, 9), 8 * JAM) == wib(2026, 11, 10, 9, 30)
    # 11 h: Mon 6, Tue 4.5 (closes 12.00), Wed 0.5 → Wed 08.00.
    assert kal.tambah_jam_kerja(wib(2026, 11, 9, 9), 11 * JAM) == wib(2026, 11, 11, 8)
    # A closure before the day's first interval closes the whole day.
    assert Kalender(tutup_awal={date(2026, 11, 10): time(7)}).interval_hari(date(2026, 11, 10)) == ()


def test_office_periods_and_closures_from_rows(kantor):
    from kelurahan.models import JamKhusus, JamKhususHari

    kota = JamKhusus.objects.create(nama="Ramadan 1447 H", mulai=date(2026, 2, 19), selesai=date(2026, 3, 19))
    for hari, jam in RAMADAN_MINGGU.items():
        for mulai, selesai in jam:
            JamKhususHari.objects.create(periode=kota, hari=hari, mulai=mulai, selesai=selesai)
    kal = kalender_wilayah(kantor.wilayah_id)
    assert kal.detik_kerja_antara(wib(2026, 3, 2), wib(2026, 3, 9)) == 32.5 * JAM
    # The office's own period wins over the city's for the dates it covers: 08.00–14.00 straight.
    sendiri = JamKhusus.objects.create(kantor=kantor, nama="Ramadan Medono", mulai=date(2026, 3, 2),
                                       selesai=date(2026, 3, 6))
    JamKhususHari.objects.create(periode=sendiri, hari=0, mulai=time(8), selesai=time(14))
    kal = kalender_wilayah(kantor.wilayah_id)
    assert kal.detik_kerja_antara(wib(2026, 3, 2), wib(2026, 3, 3)) == 6 * JAM
    assert kal.detik_kerja_antara(wib(2026, 3, 3), wib(2026, 3, 4)) == 0  # no Tuesday rows: closed
    assert kal.detik_kerja_antara(wib(2026, 3, 9), wib(2026, 3, 10)) == 6.5 * JAM  # the city's again
    # Half-day closures: the city's at 12.00, the office's own at 10.00 wins the same date.
    HariLibur.objects.create(kantor=None, tanggal=date(2026, 11, 10), nama="Kirab budaya", tutup_pukul=time(12))
    assert kalender_wilayah(kantor.wilayah_id).detik_kerja_antara(wib(2026, 11, 10), wib(2026, 11, 11)) == 4.5 * JAM
    HariLibur.objects.create(kantor=kantor, tanggal=date(2026, 11, 10), nama="Kerja bakti", tutup_pukul=time(10))
    assert kalender_wilayah(kantor.wilayah_id).detik_kerja_antara(wib(2026, 11, 10), wib(2026, 11, 11)) == 2.5 * JAM
    kota.delete()
    kal = kalender_wilayah(kantor.wilayah_id)
    assert kal.detik_kerja_antara(wib(2026, 3, 9), wib(2026, 3, 10)) == 7.5 * JAM
