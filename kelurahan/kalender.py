"""Office calendars: when is an office open, and how much working time lies between two instants.

A `Kalender` is built once per office from its JamLayanan rows (or the
Perpres 21/2023 default), the national holidays and cuti bersama of the
`holidays` library, the office's HariLibur rows (whole days, or half-day
closures with a closing time) and the JamKhusus periods with their own week
(the Ramadan hours of the yearly MenPANRB circular). Per year it keeps the
working microseconds of every day as a prefix sum, so both questions are
answered with a bisection and a walk through at most one day's intervals,
however long the span.

Calendars are cached per process, keyed by region code, in a `SimpananProses`
(kelurahan/simpanan.py): checked against a token in Django's cache that every
change to Kantor, JamLayanan, HariLibur or JamKhusus replaces (see
kelurahan/signals.py), so all processes sharing the cache drop stale calendars
without a query per request; the token is read once per request. While the cache
cannot answer (Redis down: config/cache.py answers None) calendars are rebuilt from
the database, slower but never stale; and none is kept longer than ten minutes, so
a change whose token was lost in an outage still reaches every process.
"""

import bisect
import functools
import itertools
import threading
import zoneinfo
from datetime import date, datetime, time, timedelta

import holidays
from django.conf import settings

from kelurahan.simpanan import SimpananProses

US = 1_000_000  # microseconds per second: the internal unit, so sub-second instants survive round trips
HARI_US = 86_400 * US


def _jam(h, m=0):
    return (h * 3600 + m * 60) * US


# Perpres 21/2023 fixes 37.5 working hours over five days and leaves the hours to each agency.
# Default: the arrangement most Pemda adopted after it: Mon–Thu 07.30–16.00 with a 12.00–13.00
# break (7.5 h), Fri 07.30–16.30 with the 11.30–13.00 Friday-prayer break (7.5 h) = 37.5 h.
_SENIN_KAMIS = ((_jam(7, 30), _jam(12)), (_jam(13), _jam(16)))
JAM_BAWAAN = {
    0: _SENIN_KAMIS,
    1: _SENIN_KAMIS,
    2: _SENIN_KAMIS,
    3: _SENIN_KAMIS,
    4: ((_jam(7, 30), _jam(11, 30)), (_jam(13), _jam(16, 30))),
    5: (),
    6: (),
}

# How far tambah_jam_kerja looks for working time before deciding a calendar has none.
_BATAS_TAHUN = 30


def zona():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=128)
def libur_nasional(tahun: int) -> dict:
    """National holidays and cuti bersama (category government) of one year: {date: name}."""
    return dict(
        holidays.country_holidays("ID", categories=("public", "government"), years=tahun, language="id")
    )


def _gabung(interval):
    """Sort and merge overlapping intervals; drop empty ones."""
    hasil = []
    for mulai, selesai in sorted(i for i in interval if i[1] > i[0]):
        if hasil and mulai <= hasil[-1][1]:
            hasil[-1] = (hasil[-1][0], max(hasil[-1][1], selesai))
        else:
            hasil.append((mulai, selesai))
    return tuple(hasil)


class Kalender:
    """Working time of one office, in Asia/Jakarta (settings.TIME_ZONE) wall time."""

    def __init__(self, jam_mingguan: dict | None = None, libur_lokal=(), nama: str = "", *,
                 jam_khusus=(), tutup_awal: dict | None = None):
        """jam_mingguan: {weekday 0=Monday: [(start, end) as datetime.time or µs since midnight]}.

        jam_khusus: [(first date, last date, jam_mingguan)]: periods with their own week (Ramadan
        hours); where periods overlap the later one in the list wins. tutup_awal: {date: time}: on
        that date the office closes at that time (a half-day closure)."""
        jam = JAM_BAWAAN if jam_mingguan is None else jam_mingguan
        self.jam = self._minggu(jam)
        self.jam_khusus = [(mulai, selesai, self._minggu(minggu)) for mulai, selesai, minggu in jam_khusus]
        self.tutup_awal = {hari: self._ke_us((0, t))[1] for hari, t in (tutup_awal or {}).items()}
        self.libur_lokal = frozenset(libur_lokal)
        self.nama = nama
        self._tz = zona()
        self._tahun = {}
        self._kunci = threading.Lock()

    @classmethod
    def _minggu(cls, jam: dict) -> dict:
        return {h: _gabung(cls._ke_us(i) for i in jam.get(h, ())) for h in range(7)}

    @staticmethod
    def _ke_us(interval):
        def us(t):
            if isinstance(t, time):
                return ((t.hour * 60 + t.minute) * 60 + t.second) * US + t.microsecond
            return int(t)

        return us(interval[0]), us(interval[1])

    # --- days ---

    def libur(self, hari: date) -> bool:
        return hari in self.libur_lokal or hari in libur_nasional(hari.year)

    def interval_hari(self, hari: date) -> tuple:
        """Opening intervals of one date in µs since midnight; empty when closed. A special period's
        week replaces the usual one; a half-day closure cuts the day at its closing time."""
        if self.libur(hari):
            return ()
        minggu = self.jam
        for mulai, selesai, jam in reversed(self.jam_khusus):
            if mulai <= hari <= selesai:
                minggu = jam
                break
        interval = minggu[hari.weekday()]
        tutup = self.tutup_awal.get(hari)
        if tutup is not None:
            interval = tuple((m, min(s, tutup)) for m, s in interval if m < tutup)
        return interval

    def _tahun_data(self, tahun: int) -> list:
        """Prefix sums of working µs per day of the year: cum[k] = work before day k."""
        cum = self._tahun.get(tahun)
        if cum is None:
            with self._kunci:
                cum = self._tahun.get(tahun)
                if cum is None:
                    awal = date(tahun, 1, 1)
                    jumlah_hari = (date(tahun + 1, 1, 1) - awal).days
                    harian = (
                        sum(s - m for m, s in self.interval_hari(awal + timedelta(days=k)))
                        for k in range(jumlah_hari)
                    )
                    cum = list(itertools.accumulate(harian, initial=0))
                    self._tahun[tahun] = cum
        return cum

    def tambah_hari_kerja(self, mulai: datetime, hari: int) -> datetime:
        """The same wall-clock time `hari` working days (days this office opens) after `mulai`.

        For deadlines counted in days (complaints: Perpres 76/2013) rather than in working hours."""
        lokal = self._lokal(mulai)
        tanggal = lokal.date()
        sisa = hari
        batas = tanggal + timedelta(days=366 * _BATAS_TAHUN)
        while sisa > 0:
            tanggal += timedelta(days=1)
            if tanggal > batas:
                raise ValueError(f"Kalender {self.nama} tidak punya hari kerja dalam {_BATAS_TAHUN} tahun.")
            if self.interval_hari(tanggal):
                sisa -= 1
        return lokal.replace(year=tanggal.year, month=tanggal.month, day=tanggal.day, tzinfo=self._tz)

    # --- instants ---

    def _lokal(self, t: datetime) -> datetime:
        if t.tzinfo is None:
            raise ValueError("Kalender hanya menerima datetime yang sadar zona waktu (aware)")
        return t.astimezone(self._tz).replace(tzinfo=None)

    def _posisi(self, t: datetime) -> tuple[int, int]:
        """(year, working µs from the start of that year up to t)."""
        lokal = self._lokal(t)
        hari = lokal.date()
        dalam_hari = (lokal - datetime.combine(hari, time.min)) // timedelta(microseconds=1)
        sebelum = sum(min(max(dalam_hari - m, 0), s - m) for m, s in self.interval_hari(hari))
        awal_tahun = date(hari.year, 1, 1)
        return hari.year, self._tahun_data(hari.year)[(hari - awal_tahun).days] + sebelum

    def buka(self, t: datetime) -> bool:
        lokal = self._lokal(t)
        dalam_hari = (lokal - datetime.combine(lokal.date(), time.min)) // timedelta(microseconds=1)
        return any(m <= dalam_hari < s for m, s in self.interval_hari(lokal.date()))

    def detik_kerja_antara(self, a: datetime, b: datetime) -> int:
        """Whole working seconds in [a, b); 0 when b is not after a."""
        return self.mikrodetik_kerja_antara(a, b) // US

    def mikrodetik_kerja_antara(self, a: datetime, b: datetime) -> int:
        if b <= a:
            return 0
        tahun_a, pos_a = self._posisi(a)
        tahun_b, pos_b = self._posisi(b)
        antara = sum(self._tahun_data(y)[-1] for y in range(tahun_a, tahun_b))
        return antara + pos_b - pos_a

    def tambah_jam_kerja(self, mulai: datetime, detik) -> datetime:
        """The instant at which `detik` working seconds have elapsed since `mulai`.

        With detik == 0 this is `mulai` itself when the office is open, else its
        next opening. A positive amount that ends exactly at closing time gives
        the closing time, not the next opening.
        """
        if detik < 0:
            raise ValueError("detik tidak boleh negatif")
        target_us = round(detik * US)
        tahun, pos = self._posisi(mulai)
        target = pos + target_us
        # awal: of the instants where the clock reads `target`, take the last (the next opening),
        # which is what a zero amount asks for; a positive amount takes the first.
        awal = target_us == 0
        for _ in range(_BATAS_TAHUN + 1):
            cum = self._tahun_data(tahun)
            total = cum[-1]
            if target < total or (target == total and not awal and total > 0):
                break
            target -= total
            tahun += 1
        else:
            raise ValueError(f"kalender {self.nama!r} tidak punya jam kerja dalam {_BATAS_TAHUN} tahun")
        if awal:
            k = bisect.bisect_right(cum, target) - 1
        else:
            k = bisect.bisect_left(cum, target) - 1
        hari = date(tahun, 1, 1) + timedelta(days=k)
        sisa = target - cum[k]
        for m, s in self.interval_hari(hari):
            panjang = s - m
            if sisa < panjang or (sisa == panjang and not awal):
                lokal = datetime.combine(hari, time.min) + timedelta(microseconds=m + sisa)
                return lokal.replace(tzinfo=self._tz)
            sisa -= panjang
        raise AssertionError("prefix sums and day intervals disagree")  # unreachable by construction


# --- per-process cache of calendars, keyed by region code (kelurahan/simpanan.py) ---

KUNCI_VERSI = "simpatik:kalender:versi"
kalender_simpanan = SimpananProses(KUNCI_VERSI)


def kalender_invalidasi():
    """Make every process rebuild its calendars (a fresh token: kelurahan/simpanan.py)."""
    kalender_simpanan.invalidasi()


def kalender_bangun(wilayah_kode: str) -> Kalender:
    """Build the calendar of the office serving `wilayah_kode` from the database (4 queries)."""
    from django.db.models import F, Q

    from kelurahan.models import HariLibur, JamKhususHari, JamLayanan, Kantor

    kantor = Kantor.objects.filter(wilayah_id=wilayah_kode).only("pk", "nama").first()
    milik = Q(kantor__isnull=True) if kantor is None else Q(kantor__isnull=True) | Q(kantor=kantor)
    jam_mingguan = None
    if kantor is not None:
        baris = list(JamLayanan.objects.filter(kantor=kantor).values_list("hari", "mulai", "selesai"))
        if baris:
            jam_mingguan = {}
            for hari, mulai, selesai in baris:
                jam_mingguan.setdefault(hari, []).append((mulai, selesai))
    libur, tutup_awal = set(), {}
    # An office's own half-day closure wins over the city's (ordered so it is read last).
    urut = F("kantor_id").asc(nulls_first=True)
    for tanggal, tutup in HariLibur.objects.filter(milik).order_by(urut).values_list("tanggal", "tutup_pukul"):
        if tutup is None:
            libur.add(tanggal)
        else:
            tutup_awal[tanggal] = tutup
    # Special periods: the city's first, the office's after, so the office's wins where both cover a date.
    # A period without any hours is ignored (a closure is a holiday).
    periode = {}
    milik_periode = Q(periode__kantor__isnull=True)
    if kantor is not None:
        milik_periode |= Q(periode__kantor=kantor)
    for pk, mulai, selesai, hari, jam_mulai, jam_selesai in (
        JamKhususHari.objects.filter(milik_periode)
        .order_by(F("periode__kantor_id").asc(nulls_first=True), "periode__mulai", "periode_id")
        .values_list("periode_id", "periode__mulai", "periode__selesai", "hari", "mulai", "selesai")
    ):
        periode.setdefault(pk, (mulai, selesai, {}))[2].setdefault(hari, []).append((jam_mulai, jam_selesai))
    return Kalender(
        jam_mingguan,
        libur_lokal=libur,
        nama=kantor.nama if kantor is not None else wilayah_kode,
        jam_khusus=list(periode.values()),
        tutup_awal=tutup_awal,
    )


def kalender_wilayah(wilayah_kode: str) -> Kalender:
    """The (cached) calendar of the office serving a region; the default calendar if it has none.
    Without the cache there is no way to know whether a calendar changed, so it is read afresh."""
    return kalender_simpanan.ambil(wilayah_kode, functools.partial(kalender_bangun, wilayah_kode))
