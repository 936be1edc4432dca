"""NIK birth dates: never after today, and the century a two-digit year stands for (issue 20, item 5)."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError

from layanan.models import Permohonan
from layanan.permohonan.validasi import validasi_nik
from tests.factories import buat_wilayah
from tests.test_api_input import isian_loket, kirim

HARI_INI = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def wilayah(db):
    buat_wilayah()


def nik(ddmmyy):
    return f"337501{ddmmyy}0002"


@time_machine.travel(HARI_INI, tick=False)
@pytest.mark.parametrize(
    "ddmmyy, lahir",
    [
        ("291126", datetime.date(2026, 11, 29)),  # born today: the youngest century
        ("301126", datetime.date(1926, 11, 30)),  # tomorrow in 2026 would be the future: 1926
        ("151226", datetime.date(1926, 12, 15)),
        ("010125", datetime.date(2025, 1, 1)),  # 25 alone: the youngest reading
        ("300106", datetime.date(2006, 1, 30)),
        ("701185", datetime.date(1985, 11, 30)),  # a woman: day + 40
    ],
)
def test_two_digit_year_takes_the_youngest_century_not_in_the_future(wilayah, ddmmyy, lahir):
    assert validasi_nik(nik(ddmmyy))["tanggal_lahir"] == lahir


@time_machine.travel(HARI_INI, tick=False)
@pytest.mark.parametrize(
    "ddmmyy, lahir",
    [
        ("010125", datetime.date(1925, 1, 1)),  # born before 1926: 101 years old, not 1
        ("291106", datetime.date(1906, 11, 29)),  # exactly 120 today
        ("301105", datetime.date(1905, 11, 30)),  # 120 until tomorrow: the oldest accepted
        ("300106", datetime.date(1906, 1, 30)),
    ],
)
def test_a_known_birth_date_before_1926_settles_the_century(wilayah, ddmmyy, lahir):
    assert validasi_nik(nik(ddmmyy), tanggal_lahir=lahir)["tanggal_lahir"] == lahir


@time_machine.travel(HARI_INI, tick=False)
@pytest.mark.parametrize(
    "ddmmyy, lahir, pesan",
    [
        ("301126", datetime.date(2026, 11, 30), "sesudah hari ini"),  # tomorrow
        ("151226", datetime.date(2026, 12, 15), "sesudah hari ini"),
        ("291105", datetime.date(1905, 11, 29), "tidak cocok"),  # 121 today: too old
        ("010125", datetime.date(1825, 1, 1), "tidak cocok"),
        ("010125", datetime.date(2025, 1, 2), "tidak cocok"),  # another day than the NIK's
    ],
)
def test_birth_date_after_today_or_beyond_120_years_is_refused(wilayah, ddmmyy, lahir, pesan):
    with pytest.raises(ValidationError) as e:
        validasi_nik(nik(ddmmyy), tanggal_lahir=lahir)
    assert pesan in e.value.messages[0]


@time_machine.travel(HARI_INI, tick=False)
def test_no_century_fits_when_the_age_limit_leaves_none(wilayah, settings):
    # With a lower limit the 1926 reading of 30 November (99 years) is too old, and 2026 lies tomorrow.
    settings.NIK_USIA_MAKS = 98
    with pytest.raises(ValidationError, match="sesudah hari ini"):
        validasi_nik(nik("301126"))
    assert validasi_nik(nik("291126"))["tanggal_lahir"] == datetime.date(2026, 11, 29)


@time_machine.travel(HARI_INI, tick=False)
def test_counter_submission_with_a_future_birth_date_is_400_and_stores_nothing(db):
    from tests.factories import Dunia

    dunia = Dunia()
    r = kirim(dunia.petugas_medono, isian_loket(nik=nik("151226"), tanggal_lahir="2026-12-15"))
    assert r.status_code == 400
    assert "nik" in r.json()
    assert Permohonan.objects.count() == 0
    r = kirim(dunia.petugas_medono, isian_loket(nik=nik("010125"), tanggal_lahir="1925-01-01",
                                                  data=json.dumps({"lama_tinggal": 3})))
    assert r.status_code == 201, r.content
    assert Permohonan.objects.get().pemohon.tanggal_lahir == datetime.date(1925, 1, 1)
