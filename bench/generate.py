"""Synthetic history of Kota Pekalongan: N requests with their audit chains, loaded by COPY.

    python -m bench generate --n 1000000 --seed 8 [--reset] [--mode riwayat|terbuka]

Everything derives from `--seed`: the same seed and N give the same rows and
the same hashes. The world (27 kelurahan, 4 kecamatan, offices, officers,
catalogue) is made through the ORM; requests, residents, letters and audit
events are simulated in Python and loaded with PostgreSQL COPY, one process
per kecamatan (its kelurahan chains and its own letter numbers). Surveys and
complaints (bench/generate_integritas.py) are decided in the same workers; their
two chains span the city, so the parent hashes and loads them afterwards.

The simulation mirrors the real code rather than approximating it: state
changes follow layanan/alur.py, the SLA fields follow layanan/sla.py on the
real office calendars (kelurahan/kalender.py, turned into a line of working
seconds for speed), and each audit event has exactly the shape and hash
audit_catat would write, so `audit_verify` accepts the chains. Each letter's
signer opens its draft first (a `pratinjau_draf` event), as the real service
requires before it signs.

Modes: `riwayat` (history: most requests finished, the recent ones open) and
`terbuka` (every request open, a fraction `--melewati` past a threshold the
sweep has not yet told anyone about: the sla_sweep benchmark).
"""

import argparse
import bisect
import functools
import hashlib
import json
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from datetime import timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal

from bench.common import siapkan_django

KOTA = "33.75"
PROVINSI = "33"
GENESIS = "0" * 64
# No 0/O, 1/I/L, as layanan.models.ALFABET_REGISTRASI; ids are scrambled into it bijectively,
# so generated numbers never collide with each other however many runs append.
ALFABET_REG = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ALFABET_ID = "abcdefghijklmnopqrstuvwxyz234567"
BERJALAN = ("diajukan", "diverifikasi", "diteruskan_kecamatan", "diverifikasi_kecamatan")
AKHIR = ("selesai", "ditolak", "dibatalkan")
KECAMATAN_ST = ("diteruskan_kecamatan", "diverifikasi_kecamatan")
ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# Catalogue used when layanan.katalog (the seed's real catalogue) is not in this tree:
# (kode, nama, tingkat, klasifikasi, sla_jam, sla_kel, sla_kec, share of requests, uploads).
KATALOG_CADANGAN = [
    ("domisili", "Surat Keterangan Domisili", "kelurahan", "400.12.2.1", 8, 8, 0, 0.22, ["pengantar_rt", "ktp"]),
    ("sktm", "Surat Keterangan Tidak Mampu", "kelurahan", "400.12.2.4", 8, 8, 0, 0.18, ["pengantar_rt", "kk"]),
    ("pengantar-nikah", "Surat Pengantar Nikah (N1-N4)", "kelurahan", "400.12.2.3", 16, 16, 0, 0.10,
     ["pengantar_rt", "ktp", "kk"]),
    ("usaha", "Surat Keterangan Usaha", "kelurahan", "500.2.2.1", 8, 8, 0, 0.14, ["pengantar_rt", "ktp"]),
    ("kelahiran", "Surat Keterangan Kelahiran", "kelurahan", "400.12.3.2", 8, 8, 0, 0.08, ["surat_bidan", "kk"]),
    ("kematian", "Surat Keterangan Kematian", "kelurahan", "400.12.3.3", 8, 8, 0, 0.06, ["pengantar_rt", "kk"]),
    ("belum-menikah", "Surat Keterangan Belum Menikah", "kelurahan", "400.12.2.3", 8, 8, 0, 0.07,
     ["pengantar_rt", "ktp"]),
    ("pindah", "Surat Pengantar Pindah", "kelurahan", "400.12.2.2", 16, 16, 0, 0.07, ["pengantar_rt", "kk"]),
    ("ahli-waris", "Surat Keterangan Ahli Waris", "kecamatan", "400.12.3.1", 40, 16, 24, 0.05,
     ["akta_kematian", "kk"]),
    ("dispensasi-nikah", "Rekomendasi Dispensasi Nikah", "kecamatan", "400.12.2.3", 24, 8, 16, 0.03,
     ["pengantar_rt", "ktp"]),
]
# Share of requests per service (the catalogue's own codes); a service not listed gets a small share.
BOBOT_LAYANAN = {r[0]: r[7] for r in KATALOG_CADANGAN} | {
    "pengantar-skck": 0.06, "penghasilan": 0.04, "janda-duda": 0.01, "iumk": 0.03}
# Relative population of the 27 kelurahan is not published per kelurahan in the bundled data;
# a seeded spread of 0.6x..1.6x keeps some offices busier than others, as in life.


# --- small pure helpers ----------------------------------------------------------------------


def acak_bijektif(i: int, alfabet: str, panjang: int, kali: int, tambah: int) -> str:
    """Scramble integer i into a fixed-length word: x -> (x*kali + tambah) mod len^panjang is a bijection."""
    m = len(alfabet) ** panjang
    x = (i * kali + tambah) % m
    huruf = []
    for _ in range(panjang):
        x, r = divmod(x, len(alfabet))
        huruf.append(alfabet[r])
    return "".join(huruf)


def nomor_registrasi(pk: int) -> str:
    s = acak_bijektif(pk, ALFABET_REG, 8, 467_890_123_457, 98_765_432_101)
    return f"{s[:4]}-{s[4:]}"


def id_publik_surat(pk: int) -> str:
    return acak_bijektif(pk, ALFABET_ID, 10, 1_125_899_906_842_597, 773_450_123_456_789)


@functools.lru_cache(maxsize=200_000)
def jam(detik: int) -> float:
    """As layanan.permohonan.sla._jam."""
    return float((Decimal(detik) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ambang_rawan(jatah: int) -> int:
    return -(-3 * jatah // 4)


def j(x) -> str:
    return json.dumps(x, ensure_ascii=False)


def kanonik(nilai) -> str:
    return json.dumps(nilai, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# --- office calendars as lines of working seconds -------------------------------------------


class GarisKerja:
    """An office calendar laid out as a line: wall instant (epoch s) <-> working seconds.

    Built from kelurahan.kalender.Kalender.interval_hari, so holidays, cuti bersama,
    local holidays and office hours are the real ones; answers agree with
    Kalender.detik_kerja_antara and Kalender.tambah_jam_kerja for whole-second instants
    (the smoke test checks this).
    """

    def __init__(self, kalender, dari: date, sampai: date, tz):
        self.mulai, self.kum, self.akhir_kum = [], [], []
        total = 0
        hari = dari
        while hari <= sampai:
            tengah_malam = int(datetime.combine(hari, dtime.min, tzinfo=tz).timestamp())
            for m, s in kalender.interval_hari(hari):
                panjang = (s - m) // 1_000_000
                self.mulai.append(tengah_malam + m // 1_000_000)
                self.kum.append(total)
                total += panjang
                self.akhir_kum.append(total)
            hari += timedelta(days=1)
        self.total = total

    def pos(self, t: int) -> int:
        i = bisect.bisect_right(self.mulai, t) - 1
        if i < 0:
            return 0
        return self.kum[i] + min(t - self.mulai[i], self.akhir_kum[i] - self.kum[i])

    def dinding(self, p: int) -> int:
        """First instant at which p working seconds have elapsed (p > 0), as tambah_jam_kerja."""
        i = bisect.bisect_left(self.akhir_kum, p)
        if i >= len(self.mulai):
            raise ValueError("di luar rentang garis kerja")
        return self.mulai[i] + (p - self.kum[i])

    def tambah(self, t: int, detik: int) -> int:
        return self.dinding(self.pos(t) + detik)

    def antara(self, a: int, b: int) -> int:
        return max(self.pos(b) - self.pos(a), 0)


# --- the world -----------------------------------------------------------------------------


def _nama_pendek(nama: str) -> str:
    return "".join(c for c in nama.lower() if c.isalnum())


def siapkan_dunia() -> dict:
    """Regions, offices, officers (with API tokens) and the catalogue; idempotent, through the ORM."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from kelurahan.models import Kantor, Penugasan, Peran, Wilayah
    from layanan.models import Layanan, Persyaratan

    User = get_user_model()
    wilayah = {}
    with open(_csv_wilayah(), encoding="utf-8") as f:
        next(f)
        for baris in f:
            kode, nama = baris.rstrip("\n").split(",", 1)
            if kode == PROVINSI or kode == KOTA or kode.startswith(KOTA + "."):
                wilayah[kode] = nama.strip('"')
    for kode in sorted(wilayah, key=len):
        induk = kode.rsplit(".", 1)[0] if "." in kode else None
        Wilayah.objects.update_or_create(
            kode=kode, defaults={"nama": wilayah[kode], "tingkat": kode.count(".") + 1, "induk_id": induk}
        )
    kecamatan = sorted(k for k in wilayah if k.count(".") == 2)
    kelurahan = sorted(k for k in wilayah if k.count(".") == 3)

    def kantor(kode, jenis, nama, jabatan):
        return Kantor.objects.get_or_create(
            wilayah_id=kode,
            defaults={"jenis": jenis, "nama": nama, "alamat": f"Jl. {wilayah[kode]} No. 1, Pekalongan",
                      "kop_baris_1": "PEMERINTAH KOTA PEKALONGAN", "kop_baris_2": nama.upper(),
                      "penandatangan_nama": f"Kepala {wilayah[kode]}", "penandatangan_nip": "197001012000031001",
                      "penandatangan_jabatan": jabatan,
                      "kompensasi": "Permintaan maaf tertulis dan surat diantar ke rumah pemohon."},
        )[0]

    try:  # the seed's offices of Kota Pekalongan (real names, default hours), when in this tree
        from kelurahan.pekalongan import kantor_pekalongan_pasang
    except ImportError:
        kantor_pekalongan_pasang = None
    if kantor_pekalongan_pasang is not None and not Kantor.objects.filter(wilayah_id__in=kelurahan).exists():
        kantor_pekalongan_pasang()
    kantor(KOTA, Kantor.Jenis.KOTA, "Inspektorat Kota Pekalongan", "INSPEKTUR")
    for k in kecamatan:
        kantor(k, Kantor.Jenis.KECAMATAN, f"Kantor Kecamatan {wilayah[k]}", f"CAMAT {wilayah[k].upper()}")
    for k in kelurahan:
        kantor(k, Kantor.Jenis.KELURAHAN, f"Kantor Kelurahan {wilayah[k]}", f"LURAH {wilayah[k].upper()}")

    petugas = {}

    def akun(username, peran, kode, nama):
        user, baru = User.objects.get_or_create(username=username, defaults={"first_name": nama})
        if baru:
            user.set_unusable_password()  # the benchmarks sign in with API tokens
            user.save(update_fields=["password"])
        Penugasan.objects.get_or_create(
            user=user, peran=peran, kantor=Kantor.objects.get(wilayah_id=kode),
            defaults={"nip": "198001012005011001", "jabatan": peran, "no_hp": f"+62812{abs(hash(username)) % 10**7:07d}"},
        )
        petugas[(kode, peran)] = {"id": user.pk, "username": username, "nama": user.get_full_name() or username,
                                  "token": Token.objects.get_or_create(user=user)[0].key}

    for k in kelurahan:
        s = _nama_pendek(wilayah[k])
        akun(f"petugas.{s}", Peran.PETUGAS_KELURAHAN, k, f"Petugas {wilayah[k]}")
        akun(f"lurah.{s}", Peran.LURAH, k, f"Lurah {wilayah[k]}")
    for k in kecamatan:
        s = _nama_pendek(wilayah[k])
        akun(f"petugas.{s}", Peran.PETUGAS_KECAMATAN, k, f"Petugas Kecamatan {wilayah[k]}")
        akun(f"camat.{s}", Peran.CAMAT, k, f"Camat {wilayah[k]}")
    akun("inspektorat.bench", Peran.INSPEKTORAT, KOTA, "Inspektorat")

    if not Layanan.objects.filter(aktif=True).exists():
        _muat_katalog(Layanan, Persyaratan)
    bobot = BOBOT_LAYANAN
    layanan = []
    for lay in Layanan.objects.filter(aktif=True).prefetch_related("persyaratan").order_by("urutan", "kode"):
        layanan.append({
            "id": lay.pk, "kode": lay.kode, "nama": lay.nama, "tingkat": lay.tingkat,
            "klasifikasi": lay.kode_klasifikasi, "sla_jam": str(lay.sla_jam), "sla_kel": str(lay.sla_jam_kelurahan),
            "bobot": bobot.get(lay.kode, 0.04 if lay.tingkat == "kelurahan" else 0.02),
            "unggah": [p.kode for p in lay.persyaratan.all() if p.unggah],
            "formulir": lay.formulir,
        })
    kantor_data = {
        k.wilayah_id: {"nama": k.nama, "kompensasi": k.kompensasi, "format": k.format_nomor_surat,
                       "penandatangan": {"nama": k.penandatangan_nama, "nip": k.penandatangan_nip,
                                         "jabatan": k.penandatangan_jabatan, "status": k.penandatangan_status},
                       "id": k.pk, "jenis": k.jenis}
        for k in Kantor.objects.all()
    }
    return {"kecamatan": kecamatan, "kelurahan": kelurahan, "nama": wilayah, "petugas": petugas,
            "layanan": layanan, "kantor": kantor_data}


def _csv_wilayah():
    from django.conf import settings

    return settings.BASE_DIR / "kelurahan" / "data" / "wilayah_dasar.csv"


def _muat_katalog(Layanan, Persyaratan):
    """The seed's real catalogue when it is in this tree, else the small built-in one."""
    try:
        from layanan.katalog import katalog_muat
    except ImportError:
        katalog_muat = None
    if katalog_muat is not None:
        katalog_muat()
        return
    for urutan, (kode, nama, tingkat, klas, sla, kel, kec, _bobot, unggah) in enumerate(KATALOG_CADANGAN):
        lay = Layanan.objects.create(
            kode=kode, nama=nama, tingkat=tingkat, perihal=nama.upper(), kode_klasifikasi=klas, sla_jam=sla,
            sla_jam_kelurahan=kel, sla_jam_kecamatan=kec, urutan=urutan,
            formulir=[{"nama": "keterangan", "label": "Keterangan", "tipe": "teks", "wajib": False}],
        )
        for i, syarat in enumerate(unggah):
            Persyaratan.objects.create(layanan=lay, kode=syarat, nama=syarat.replace("_", " ").title(), urutan=i)


# --- the simulation ------------------------------------------------------------------------


@dataclass
class Jam:
    """The SLA fields of one request, changed exactly as layanan.permohonan.sla.sla_catat_transisi changes them."""

    jatah: int
    jatah_kel: int
    kel: GarisKerja
    kec: GarisKerja
    kompensasi_kel: str
    kompensasi_kec: str
    status: str | None = None  # before submission
    terpakai_kel: int = 0
    terpakai_kec: int = 0
    jeda: int = 0
    tahap_mulai: int = 0
    tenggat: int | None = None
    tenggat_rawan: int | None = None
    tingkat: int = 0
    memenuhi: bool | None = None
    kompensasi: str = ""

    def garis(self, status):
        return self.kec if status in KECAMATAN_ST else self.kel

    def tingkat_pada(self, t):
        if self.tenggat is not None and self.tenggat <= t:
            return 2
        if self.tenggat_rawan is not None and self.tenggat_rawan <= t:
            return 1
        return 0

    def transisi(self, dari, ke, w) -> dict:
        if dari is not None:
            if dari in BERJALAN:
                # The sweep told the officers about any crossing before this action.
                self.tingkat = max(self.tingkat, self.tingkat_pada(w))
                berjalan = self.garis(dari).antara(self.tahap_mulai, w)
                if dari in KECAMATAN_ST:
                    self.terpakai_kec += berjalan
                else:
                    self.terpakai_kel += berjalan
            elif dari == "perlu_perbaikan":
                self.jeda += self.kel.antara(self.tahap_mulai, w)
        self.status = ke
        self.tahap_mulai = w
        terpakai = self.terpakai_kel + self.terpakai_kec
        if ke in AKHIR:
            if ke == "dibatalkan":
                self.memenuhi = None
            else:
                self.memenuhi = terpakai <= self.jatah
                if not self.memenuhi:
                    self.kompensasi = self.kompensasi_kec if dari in KECAMATAN_ST else self.kompensasi_kel
        elif ke == "perlu_perbaikan":
            for kolom, batas in (("tenggat_rawan", ambang_rawan(self.jatah)), ("tenggat", self.jatah)):
                lama = getattr(self, kolom)
                setattr(self, kolom, (lama if lama is not None and lama <= w else w) if terpakai >= batas else None)
        else:
            g = self.garis(ke)
            p0 = g.pos(w)

            def saat(batas):
                sisa = batas - terpakai
                return g.dinding(p0 + sisa) if sisa > 0 else w

            self.tenggat_rawan, self.tenggat = saat(ambang_rawan(self.jatah)), saat(self.jatah)
            if dari in BERJALAN and (dari in KECAMATAN_ST) != (ke in KECAMATAN_ST):
                self.tingkat = 0
        return self.data(w)

    def status_sla(self, w):
        if self.status in AKHIR:
            if self.memenuhi is None:
                return "selesai"
            return "tepat" if self.memenuhi else "terlambat"
        return ("aman", "rawan", "terlambat")[self.tingkat_pada(w)]

    def data(self, w) -> dict:
        """layanan.permohonan.sla.sla_data at the instant of a transition (the running segment is empty)."""
        kel, kec = self.terpakai_kel, self.terpakai_kec
        d = {
            "jatah_detik": self.jatah, "jatah_jam": jam(self.jatah),
            "jatah_kelurahan_detik": self.jatah_kel, "jatah_kecamatan_detik": self.jatah - self.jatah_kel,
            "terpakai_kelurahan_detik": kel, "terpakai_kecamatan_detik": kec, "terpakai_detik": kel + kec,
            "terpakai_jam": jam(kel + kec), "jeda_detik": self.jeda, "jeda_jam": jam(self.jeda),
            "tenggat": iso_lokal(self.tenggat), "tenggat_rawan": iso_lokal(self.tenggat_rawan),
            "tahap": "kecamatan" if self.status in KECAMATAN_ST else "kelurahan",
            "berjalan": self.status in BERJALAN, "status": self.status_sla(w),
        }
        if self.status in AKHIR:
            d["memenuhi_standar"] = self.memenuhi
        return d


WIB = dt_timezone(timedelta(hours=7))


@functools.lru_cache(maxsize=1_000_000)
def iso_lokal(t):
    """timezone.localtime(t).isoformat() for Asia/Jakarta (fixed +07:00) and whole seconds."""
    if t is None:
        return None
    return datetime.fromtimestamp(t, WIB).isoformat()


def iso_utc(t) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


def iso_utc_mikro(t) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="microseconds")


def dt(t):
    return None if t is None else datetime.fromtimestamp(t, UTC)


@dataclass
class Kejadian:
    waktu: int
    pid: int
    urut: int
    kategori: str
    aksi: str
    aktor: str
    aktor_id: int | None
    peran: str
    objek_tipe: str
    objek_id: str
    data: dict


@dataclass
class Permohonan:
    pk: int
    layanan: dict
    kelurahan: str
    kecamatan: str
    pemohon: int
    pemohon_user: int
    kanal: str
    diajukan: int
    jam: Jam
    keperluan: str
    identitas: dict
    verifikator_kel: int | None = None
    verifikator_kec: int | None = None
    catatan: str = ""
    selesai_pada: int | None = None
    diperbarui: int = 0
    kejadian: list = field(default_factory=list)
    surat: dict | None = None
    nomor: str = ""
    diajukan_iso: str = ""


KEPERLUAN = ["Persyaratan melamar kerja", "Pendaftaran sekolah anak", "Pengajuan kredit usaha", "Pengurusan BPJS",
             "Persyaratan bantuan sosial", "Pengurusan KTP dan KK", "Persyaratan nikah", "Pengurusan warisan"]
CATATAN = {
    "minta_perbaikan": ["Surat pengantar RT belum ditandatangani.", "Foto KTP tidak terbaca, mohon unggah ulang.",
                        "Kartu keluarga yang diunggah bukan yang terbaru."],
    "tolak": ["Pemohon bukan warga kelurahan ini.", "Persyaratan tidak dapat dipenuhi."],
    "kembalikan": ["Data ahli waris belum lengkap, mohon diperiksa kelurahan."],
}


class Simulasi:
    """One kecamatan: its kelurahan chains, its residents, its letters."""

    def __init__(self, dunia, kec, garis, sekarang, mulai, rng, mode, melewati):
        self.dunia, self.kec, self.garis, self.sekarang, self.mulai = dunia, kec, garis, sekarang, mulai
        self.rng, self.mode, self.melewati = rng, mode, melewati
        self.layanan = dunia["layanan"]
        self.bobot_layanan = [lay["bobot"] for lay in self.layanan]
        self.petugas = dunia["petugas"]

    def aktor(self, kel, peran):
        kode = self.kec if peran in ("petugas_kecamatan", "camat") else kel
        return self.petugas[(kode, peran)]

    def kejadian(self, p, w, aksi, dari, ke, peran, pengguna, catatan="", sla=None):
        """The event layanan.permohonan.services._catat_transisi writes."""
        tahap = "kecamatan" if (dari or ke) in KECAMATAN_ST else "kelurahan"
        data = {
            "nomor_registrasi": p.nomor, "layanan": p.layanan["kode"], "tingkat": p.layanan["tingkat"],
            "kelurahan": p.kelurahan, "kecamatan": p.kecamatan,
            "kantor": p.kecamatan if tahap == "kecamatan" else p.kelurahan, "tahap": tahap,
            "dari": dari, "ke": ke, "catatan": catatan, "kanal": p.kanal,
            "oleh_nama": "Pemohon" if peran == "warga" else pengguna["nama"],
            "pemohon": p.pemohon, "diajukan_pada": p.diajukan_iso, "sla": sla,
        }
        p.kejadian.append(Kejadian(w, p.pk, len(p.kejadian), "transisi", aksi, pengguna["username"], pengguna["id"],
                                   peran, "permohonan", str(p.pk), data))

    def lihat_draf(self, p, sejak, ttd, peran, pengguna):
        """The signer's look at the draft before signing (layanan.permohonan.services.permohonan_draf_pdf's
        `pratinjau_draf` event; permohonan_aksi signs nothing without it), shortly before the signature and
        after the last transition. No random draw: the generated requests stay what the seed made them."""
        w = ttd - min(600, (ttd - sejak) // 4)
        data = {"nomor_registrasi": p.nomor, "kelurahan": p.kelurahan, "status": p.jam.status}
        p.kejadian.append(Kejadian(w, p.pk, len(p.kejadian), "akses_data", "pratinjau_draf", pengguna["username"],
                                   pengguna["id"], peran, "permohonan", str(p.pk), data))

    def warga_pengguna(self, p):
        return {"username": f"warga-b{p.pemohon_user}", "id": p.pemohon_user, "nama": "Pemohon"}

    def langkah(self, p, w, aksi, ke, peran, pengguna, catatan=""):
        dari = p.jam.status
        if dari is None:
            p.nomor, p.diajukan_iso = nomor_registrasi(p.pk), iso_utc(p.diajukan)
        sla = p.jam.transisi(dari, ke, w)
        if aksi == "verifikasi":
            p.verifikator_kel = pengguna["id"]
        elif aksi == "verifikasi_kecamatan":
            p.verifikator_kec = pengguna["id"]
        elif aksi == "kembalikan":
            p.verifikator_kel = p.verifikator_kec = None
        if catatan:
            p.catatan = catatan
        if ke in AKHIR:
            p.selesai_pada = w
        p.diperbarui = w
        self.kejadian(p, w, aksi, dari, ke, peran, pengguna, catatan, sla)
        if ke == "selesai":
            p.surat = {"waktu": w, "penandatangan": pengguna, "peran": peran}

    def tunda_petugas(self, p, w, bagian, tahap):
        """When the officer acts: a share of the stage's allowance in working time (log-normal)."""
        g = p.jam.kec if tahap == "kecamatan" else p.jam.kel
        jatah = p.jam.jatah - p.jam.jatah_kel if tahap == "kecamatan" else p.jam.jatah_kel
        f = self.rng.lognormvariate(-1.2, 0.65) * bagian  # median ~30 % of the stage, ~4 % late
        return g.tambah(w, max(60, int(f * jatah)))

    def jalankan(self, p):
        """Walk one request through the state machine until it ends or reaches `sekarang`."""
        r = self.rng
        w = p.diajukan
        kel = p.kelurahan
        pk_kel, lurah = self.aktor(kel, "petugas_kelurahan"), self.aktor(kel, "lurah")
        pk_kec, camat = self.aktor(kel, "petugas_kecamatan"), self.aktor(kel, "camat")
        warga = self.warga_pengguna(p)
        if p.kanal == "online":
            self.langkah(p, w, "ajukan", "diajukan", "warga", warga)
        else:
            self.langkah(p, w, "ajukan", "diajukan", "petugas_kelurahan", pk_kel)
        perbaikan = 0
        for _ in range(12):
            st = p.jam.status
            if st in AKHIR:
                return
            if st == "diajukan":
                x = r.random()
                if x < 0.02:
                    t = w + r.randint(600, 3 * 86400)
                    aksi = ("batalkan", "dibatalkan", "warga", warga, "")
                else:
                    t = self.tunda_petugas(p, w, 0.5, "kelurahan")
                    if x < 0.045:
                        aksi = ("tolak", "ditolak", "petugas_kelurahan", pk_kel, r.choice(CATATAN["tolak"]))
                    elif x < 0.14 and perbaikan < 2:
                        perbaikan += 1
                        aksi = ("minta_perbaikan", "perlu_perbaikan", "petugas_kelurahan", pk_kel,
                                r.choice(CATATAN["minta_perbaikan"]))
                    else:
                        aksi = ("verifikasi", "diverifikasi", "petugas_kelurahan", pk_kel, "")
            elif st == "perlu_perbaikan":
                t = w + r.randint(1800, 6 * 86400)
                if r.random() < 0.15:
                    aksi = ("batalkan", "dibatalkan", "warga", warga, "")
                else:
                    aksi = ("ajukan_ulang", "diajukan", "warga", warga, "")
            elif st == "diverifikasi":
                t = self.tunda_petugas(p, w, 0.5, "kelurahan")
                if r.random() < 0.01:
                    aksi = ("tolak", "ditolak", "lurah", lurah, r.choice(CATATAN["tolak"]))
                else:
                    ke = "diteruskan_kecamatan" if p.layanan["tingkat"] == "kecamatan" else "selesai"
                    aksi = ("setujui", ke, "lurah", lurah, "")
            elif st == "diteruskan_kecamatan":
                t = self.tunda_petugas(p, w, 0.5, "kecamatan")
                x = r.random()
                if x < 0.02:
                    aksi = ("tolak", "ditolak", "petugas_kecamatan", pk_kec, r.choice(CATATAN["tolak"]))
                elif x < 0.05:
                    aksi = ("kembalikan", "diajukan", "petugas_kecamatan", pk_kec, CATATAN["kembalikan"][0])
                elif x < 0.08 and perbaikan < 2:
                    perbaikan += 1
                    aksi = ("minta_perbaikan", "perlu_perbaikan", "petugas_kecamatan", pk_kec,
                            r.choice(CATATAN["minta_perbaikan"]))
                else:
                    aksi = ("verifikasi_kecamatan", "diverifikasi_kecamatan", "petugas_kecamatan", pk_kec, "")
            else:  # diverifikasi_kecamatan
                t = self.tunda_petugas(p, w, 0.5, "kecamatan")
                if r.random() < 0.02:
                    aksi = ("kembalikan", "diajukan", "camat", camat, CATATAN["kembalikan"][0])
                else:
                    aksi = ("setujui_camat", "selesai", "camat", camat, "")
            if t > self.sekarang:
                return
            nama, ke, peran, pengguna, catatan = aksi
            if ke == "selesai" and nama in ("setujui", "setujui_camat"):
                self.lihat_draf(p, w, t, peran, pengguna)
            w = t
            self.langkah(p, w, nama, ke, peran, pengguna, catatan)

    def jalankan_terbuka(self, p, lewat: bool):
        """An open request whose clock reads a chosen share of its allowance now.

        Shares below 70 % are aman; a crossing request reads 80..140 % and has not been told."""
        r = self.rng
        g = p.jam.kel
        f = r.uniform(0.8, 1.4) if lewat else r.uniform(0.0, 0.7)
        jatah = p.jam.jatah_kel
        pos_now = g.pos(self.sekarang)
        pos0 = max(pos_now - int(f * jatah), 1)
        p.diajukan = g.dinding(pos0)
        w = p.diajukan
        kel = p.kelurahan
        pk_kel = self.aktor(kel, "petugas_kelurahan")
        self.langkah(p, w, "ajukan", "diajukan", "petugas_kelurahan" if p.kanal == "loket" else "warga",
                     pk_kel if p.kanal == "loket" else self.warga_pengguna(p))
        if r.random() < 0.4:
            t = g.dinding(pos0 + max(60, int((pos_now - pos0) * r.uniform(0.2, 0.9))))
            if t < self.sekarang:
                self.langkah(p, t, "verifikasi", "diverifikasi", "petugas_kelurahan", pk_kel)
        if lewat:
            p.jam.tingkat = 0  # crossed since the last sweep: the sweep has this one to do

    def akhiri(self, p):
        """Crossings up to now were told by the sweep (except the chosen ones in terbuka mode)."""
        if self.mode == "riwayat" and p.jam.status in BERJALAN:
            p.jam.tingkat = max(p.jam.tingkat, p.jam.tingkat_pada(self.sekarang))


# --- one kecamatan's worth of rows ----------------------------------------------------------


def _waktu_aju(sim, g, r):
    """Submission instant: loket during opening hours; online mostly in the day, some at night."""
    awal, akhir = g.pos(sim.mulai), g.pos(sim.sekarang)
    if r.random() < 0.75:
        return g.dinding(r.randint(awal + 1, max(akhir - 1, awal + 1)))
    return r.randint(sim.mulai, sim.sekarang - 1)


NAMA_DEPAN = ["Siti", "Budi", "Agus", "Sri", "Dewi", "Eko", "Nur", "Ahmad", "Rina", "Wahyu", "Lestari", "Joko",
              "Fitri", "Hadi", "Yuli", "Bambang", "Ani", "Slamet", "Indah", "Rudi"]
NAMA_BELAKANG = ["Rahayu", "Santoso", "Aminah", "Wibowo", "Lestari", "Hidayat", "Kurniawan", "Handayani",
                 "Saputra", "Susanti", "Pratama", "Wati", "Setiawan", "Maryam", "Nugroho"]


def kerjakan_kecamatan(tugas) -> dict:
    """Simulate and COPY one kecamatan. Runs in a worker process."""
    siapkan_django()
    from django.conf import settings

    from bench.common import sambungan_psycopg
    from kelurahan.kalender import kalender_bangun

    dunia, kec, jatah_id, seed, mode, melewati, sekarang, mulai = (
        tugas["dunia"], tugas["kec"], tugas["id"], tugas["seed"], tugas["mode"], tugas["melewati"],
        tugas["sekarang"], tugas["mulai"])
    r = random.Random(f"{seed}:{kec}:{mode}:{jatah_id['permohonan'][0]}")
    import zoneinfo

    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    d0 = datetime.fromtimestamp(mulai, tz).date() - timedelta(days=30)
    d1 = datetime.fromtimestamp(sekarang, tz).date() + timedelta(days=400)
    kelurahan = tugas["kelurahan"]
    garis = {k: GarisKerja(kalender_bangun(k), d0, d1, tz) for k in [kec, *kelurahan]}
    sim = Simulasi(dunia, kec, garis, sekarang, mulai, r, mode, melewati)
    t_mulai = time.perf_counter()
    cpu_mulai = time.process_time()

    # Residents of this kecamatan.
    warga_awal, jumlah_warga = jatah_id["warga"]
    user_awal = jatah_id["user"][0]
    warga = []
    kode6 = kec.replace(".", "")
    for i in range(jumlah_warga):
        perempuan = r.random() < 0.52
        lahir = date(1950, 1, 1) + timedelta(days=r.randint(0, 365 * 55))
        hari = lahir.day + (40 if perempuan else 0)
        nik = f"{kode6}{hari:02d}{lahir:%m%y}{(warga_awal + i) % 10000:04d}"
        nama = f"{r.choice(NAMA_DEPAN)} {r.choice(NAMA_BELAKANG)}"
        warga.append({"id": warga_awal + i, "user": user_awal + i, "nik": nik, "nama": nama,
                      "jk": "P" if perempuan else "L", "lahir": lahir,
                      "hp": f"+62812{(warga_awal + i) % 100_000_000:08d}",
                      "kel": kelurahan[i % len(kelurahan)]})
    # NIK: 6-digit kecamatan code + DDMMYY + a 4-digit serial; made unique by the serial within a date,
    # also against residents an earlier run left (bench sweep adds open requests level by level).
    from audit.enkripsi import indeks_hp, indeks_nik, segel
    from layanan.models import Warga

    # (NIK is sealed: read every one back and filter here; SQL cannot compare a prefix of ciphertext)
    terpakai = {n for n in Warga.objects.values_list("nik", flat=True) if n.startswith(kode6)}
    for w in warga:
        while w["nik"] in terpakai:
            w["nik"] = w["nik"][:12] + f"{(int(w['nik'][12:]) + 1) % 10000:04d}"
        terpakai.add(w["nik"])
    per_kel = {k: [w for w in warga if w["kel"] == k] for k in kelurahan}

    # Requests.
    semua = []
    pk = jatah_id["permohonan"][0]
    for kel, jumlah in tugas["jumlah_per_kelurahan"].items():
        g = garis[kel]
        penduduk = per_kel[kel] or warga
        for _ in range(jumlah):
            lay = r.choices(dunia["layanan"], weights=sim.bobot_layanan)[0]
            jatah = int(Decimal(lay["sla_jam"]) * 3600)
            jatah_kel = min(int(Decimal(lay["sla_kel"]) * 3600), jatah) if lay["tingkat"] == "kecamatan" else jatah
            wg = r.choice(penduduk)
            kanal = "online" if r.random() < 0.6 else "loket"
            identitas = {"nama": wg["nama"], "tempat_lahir": "Pekalongan", "agama": "Islam", "pekerjaan": "Wiraswasta",
                         "status_perkawinan": "Kawin", "alamat": f"Kel. {dunia['nama'][kel]}, Pekalongan",
                         "nik": wg["nik"], "jenis_kelamin": wg["jk"], "tanggal_lahir": wg["lahir"].isoformat()}
            p = Permohonan(
                pk=pk, layanan=lay, kelurahan=kel, kecamatan=kec, pemohon=wg["id"], pemohon_user=wg["user"],
                kanal=kanal, diajukan=0,
                jam=Jam(jatah, jatah_kel, g, garis[kec], dunia["kantor"][kel]["kompensasi"],
                        dunia["kantor"][kec]["kompensasi"]),
                keperluan=r.choice(KEPERLUAN), identitas=identitas,
            )
            if mode == "terbuka":
                sim.jalankan_terbuka(p, r.random() < melewati)
            else:
                p.diajukan = _waktu_aju(sim, g, r)
                sim.jalankan(p)
            sim.akhiri(p)
            semua.append(p)
            pk += 1

    # Letters: gapless numbers per office and year, in the order they were signed.
    surat_baris, kejadian_surat = _surat(dunia, semua, r)
    # Surveys and complaints (own random stream: the requests above do not change with them).
    jawaban, benih = [], []
    cpu_integritas = time.process_time()
    if mode == "riwayat":
        from bench.generate_integritas import survei_dan_pengaduan

        jawaban, benih = survei_dan_pengaduan(
            semua, tugas["mutu"], random.Random(f"{seed}:{kec}:{mode}:{jatah_id['permohonan'][0]}:survei"), sekarang)
    cpu_integritas = time.process_time() - cpu_integritas
    t_simulasi = time.perf_counter() - t_mulai

    from layanan.pdp.pemberitahuan import versi_berlaku

    versi_privasi = versi_berlaku()  # generated residents accepted the notice in force, as a first submission does
    with sambungan_psycopg() as k:
        k.execute("SET synchronous_commit = off")
        with k.transaction():
            kepala = _rantai_lanjut(k, kelurahan)
            _copy(k, "auth_user",
                  ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
                   "is_active", "date_joined"],
                  ((w["user"], "!", False, f"warga-b{w['user']}", "", "", "", False, True, dt(mulai)) for w in warga))
            # Sealed and indexed as the model writes them (audit/enkripsi.py).
            _copy(k, "layanan_warga",
                  ["id", "user_id", "nik", "nik_indeks", "nama", "no_hp", "no_hp_indeks", "jenis_kelamin",
                   "tanggal_lahir", "tempat_lahir", "agama", "pekerjaan", "status_perkawinan", "alamat",
                   "whatsapp_aktif", "dibuat", "privasi_versi", "privasi_disetujui_pada"],
                  ((w["id"], w["user"], segel(w["nik"], label="layanan.warga.nik"), indeks_nik(w["nik"]),
                    segel(w["nama"], label="layanan.warga.nama"),
                    segel(w["hp"], label="layanan.warga.no_hp"), indeks_hp(w["hp"]), w["jk"],
                    segel(w["lahir"].isoformat(), label="layanan.warga.tanggal_lahir"),
                    segel("Pekalongan", label="layanan.warga.tempat_lahir"), "Islam", "Wiraswasta", "Kawin",
                    segel(f"Kel. {dunia['nama'][w['kel']]}, Pekalongan", label="layanan.warga.alamat"), True,
                    dt(mulai), versi_privasi, dt(mulai))
                   for w in warga))
            _copy(k, "layanan_permohonan", KOLOM_PERMOHONAN, (_baris_permohonan(p, dunia) for p in semua))
            _copy(k, "layanan_surat",
                  ["id", "id_publik", "permohonan_id", "kantor_id", "nomor", "tahun", "urut", "diterbitkan_pada",
                   "penandatangan", "berkas_pdf", "sha256", "status", "alasan_cabut", "jumlah_pindai",
                   "tanda_tangan_elektronik"],
                  surat_baris)
            jumlah_kejadian = 0
            semua_baris = []
            for kel in kelurahan:
                kejadian = [e for p in semua if p.kelurahan == kel for e in p.kejadian]
                kejadian += kejadian_surat.get(kel, [])
                kejadian.sort(key=lambda e: (e.waktu, e.pid, e.urut))
                baris = _rantai_sambung(k, kel, kejadian, kepala.get(kel, (0, GENESIS, "")))
                semua_baris.extend(baris)
                jumlah_kejadian += len(baris)
            # Explicit ids, so the projection can name its last event.
            terakhir = {e.pid: (i, e) for i, e in _kejadian_muat(k, semua_baris) if e.kategori == "transisi"}
            if tugas["ringkas"]:
                _copy(k, "audit_permohonanringkas", KOLOM_RINGKAS, (_baris_ringkas(p, terakhir[p.pk]) for p in semua))
    return {"kecamatan": kec, "permohonan": len(semua), "warga": len(warga), "surat": len(surat_baris),
            "kejadian": jumlah_kejadian, "simulasi_s": t_simulasi, "total_s": time.perf_counter() - t_mulai,
            "cpu_s": time.process_time() - cpu_mulai,
            "status": _hitung_status(semua), "lewat": sum(1 for p in semua if p.jam.status in BERJALAN
                                                           and p.jam.tingkat < p.jam.tingkat_pada(sekarang)),
            "jawaban": jawaban, "benih_pengaduan": benih, "cpu_integritas_s": cpu_integritas}


def _rantai_sambung(k, kunci: str, kejadian: list, kepala: tuple[int, str, str]) -> list[list]:
    """Hash `kejadian` (already in chain order) onto chain `kunci` after its head, and move the head.

    The hashed text is kanonik(isi_event(...)) written out by hand (keys already sorted), as
    audit_catat hashes it; the Merkle frontier grows with it, as audit_catat keeps it on the
    head; rows come back without ids, the event itself last (see _kejadian_muat)."""
    from audit import merkle
    from audit.rantai import frontier_baca, frontier_tulis

    urutan, sebelum, frontier_teks = kepala
    frontier = frontier_baca(frontier_teks)
    baris = []
    rantai = j(kunci)
    for e in kejadian:
        urutan += 1
        data_teks = kanonik(e.data)
        waktu_teks = iso_utc_mikro(e.waktu)
        isi = (f'{{"aksi":{j(e.aksi)},"aktor":{j(e.aktor)},"aktor_id":{j(e.aktor_id)},"data":{data_teks},'
               f'"ip":null,"kategori":{j(e.kategori)},"objek_id":{j(e.objek_id)},'
               f'"objek_tipe":{j(e.objek_tipe)},"peran":{j(e.peran)},"rantai":{rantai},'
               f'"urutan":{urutan},"user_agent":"","waktu":"{waktu_teks}"}}')
        data = (sebelum + isi).encode("utf-8")
        h = hashlib.sha256(data).hexdigest()
        frontier, _ = merkle.frontier_tambah(frontier, urutan - 1, merkle.hash_daun(data))
        baris.append([None, kunci, urutan, sebelum, h, dt(e.waktu), e.kategori, e.aksi, e.aktor, e.aktor_id,
                      e.peran, e.objek_tipe, e.objek_id, data_teks, None, "", e])
        sebelum = h
    k.execute(
        "INSERT INTO audit_rantaiaudit (kunci, urutan, hash_terakhir, frontier) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (kunci) DO UPDATE SET urutan = EXCLUDED.urutan, hash_terakhir = EXCLUDED.hash_terakhir, "
        "frontier = EXCLUDED.frontier",
        [kunci, urutan, sebelum, frontier_tulis(frontier)])
    return baris


def _kejadian_muat(k, semua_baris: list[list]) -> list[tuple[int, "Kejadian"]]:
    """COPY hashed event rows with ids from a block reserved from the sequence; return (id, event) pairs."""
    awal_id = _cadangkan_id(k, len(semua_baris))
    pasangan = []
    for i, b in enumerate(semua_baris):
        b[0] = awal_id + i
        pasangan.append((b[0], b.pop()))
    _copy(k, "audit_auditevent",
          ["id", "rantai", "urutan", "hash_sebelum", "hash", "waktu", "kategori", "aksi", "aktor", "aktor_id",
           "peran", "objek_tipe", "objek_id", "data", "ip", "user_agent"], semua_baris)
    return pasangan


def _cadangkan_id(k, jumlah: int) -> int:
    """Take `jumlah` consecutive audit ids from the sequence (workers take turns under an advisory lock)."""
    k.execute("SELECT pg_advisory_lock(80808)")
    try:
        awal = k.execute("SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))").fetchone()[0]
        k.execute("SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)", [awal + max(jumlah, 1) - 1])
    finally:
        k.execute("SELECT pg_advisory_unlock(80808)")
    return awal


KOLOM_RINGKAS = [
    "permohonan_id", "nomor_registrasi", "layanan", "kelurahan", "kecamatan", "kota", "kantor", "kanal", "pemohon",
    "status", "diajukan_pada", "selesai_pada", "tenggat", "jatah_detik", "terpakai_kelurahan_detik",
    "terpakai_kecamatan_detik", "jeda_detik", "memenuhi_standar", "lewat_kecamatan", "pernah_perbaikan",
    "event_terakhir", "diperbarui_pada",
]


def _baris_ringkas(p: Permohonan, terakhir) -> tuple:
    """The row integritas.indikator.ringkasan_terapkan leaves after the request's last transition event."""
    event_id, e = terakhir
    s = p.jam
    kejadian = [x for x in p.kejadian if x.kategori == "transisi"]
    lewat_kec = any(x.data["ke"] in KECAMATAN_ST or x.data["tahap"] == "kecamatan" for x in kejadian)
    perbaikan = any(x.data["ke"] == "perlu_perbaikan" for x in kejadian)
    return (
        p.pk, p.nomor, p.layanan["kode"], p.kelurahan, p.kecamatan, KOTA, e.data["kantor"], p.kanal, str(p.pemohon),
        s.status, dt(p.diajukan), dt(e.waktu) if s.status in AKHIR else None, dt(s.tenggat), s.jatah, s.terpakai_kel,
        s.terpakai_kec, s.jeda, s.memenuhi if s.status == "selesai" else None, lewat_kec, perbaikan, event_id,
        dt(e.waktu),
    )


def _ada_ringkas() -> bool:
    """Whether this tree keeps the indicator projection (integritas.PermohonanRingkas, issue 7)."""
    from django.apps import apps

    try:
        apps.get_model("integritas", "PermohonanRingkas")
    except LookupError:
        return False
    return True


def _hitung_status(semua):
    hasil = {}
    for p in semua:
        hasil[p.jam.status] = hasil.get(p.jam.status, 0) + 1
    return hasil


KOLOM_PERMOHONAN = [
    "id", "nomor_registrasi", "layanan_id", "kelurahan_id", "kecamatan_id", "pemohon_id", "identitas", "keperluan",
    "data", "kanal", "dibuat_oleh_id", "status", "diajukan_pada", "diperbarui", "selesai_pada", "catatan_terakhir",
    "verifikator_kelurahan_id", "verifikator_kecamatan_id", "tenggat", "tenggat_rawan", "sla_jatah_detik",
    "sla_jatah_kelurahan_detik", "terpakai_kelurahan_detik", "terpakai_kecamatan_detik", "jeda_detik", "tahap_mulai",
    "sla_tingkat_diberitahu", "memenuhi_standar", "kompensasi",
]


def _tutup(kolom: str, nilai: dict) -> dict:
    """A request's JSON column as the sealed field stores it (audit/enkripsi.py: JsonTersegel)."""
    from layanan.models import Permohonan as Model

    return Model._meta.get_field(kolom).tutup(nilai)


def _baris_permohonan(p: Permohonan, dunia) -> tuple:
    s = p.jam
    dibuat_oleh = p.pemohon_user if p.kanal == "online" else dunia["petugas"][(p.kelurahan, "petugas_kelurahan")]["id"]
    return (
        p.pk, p.nomor, p.layanan["id"], p.kelurahan, p.kecamatan, p.pemohon,
        kanonik(_tutup("identitas", p.identitas)), p.keperluan, kanonik(_tutup("data", {"keterangan": ""})), p.kanal, dibuat_oleh, s.status, dt(p.diajukan), dt(p.diperbarui),
        dt(p.selesai_pada), p.catatan, p.verifikator_kel, p.verifikator_kec, dt(s.tenggat), dt(s.tenggat_rawan),
        s.jatah, s.jatah_kel, s.terpakai_kel, s.terpakai_kec, s.jeda, dt(s.tahap_mulai), s.tingkat, s.memenuhi,
        s.kompensasi,
    )


def _surat(dunia, semua, r):
    """Letter rows and their audit events (layanan.surat.terbit._terbitkan), numbered per office and year."""
    per_kantor = {}
    for p in semua:
        if p.surat:
            kantor = p.kecamatan if p.layanan["tingkat"] == "kecamatan" else p.kelurahan
            tahun = datetime.fromtimestamp(p.surat["waktu"], WIB).year
            per_kantor.setdefault((kantor, tahun), []).append(p)
    baris, kejadian = [], {}
    for (kantor, tahun), daftar in sorted(per_kantor.items()):
        daftar.sort(key=lambda p: (p.surat["waktu"], p.pk))
        info = dunia["kantor"][kantor]
        awal = dunia["penghitung"].get((kantor, tahun), 0)
        for urut, p in enumerate(daftar, start=awal + 1):
            w = p.surat["waktu"]
            lokal = datetime.fromtimestamp(w, WIB)
            nomor = info["format"].format(klasifikasi=p.layanan["klasifikasi"], urut=urut, kode_wilayah=kantor,
                                          bulan_romawi=ROMAWI[lokal.month - 1], bulan=lokal.month, tahun=lokal.year)
            pengguna = p.surat["penandatangan"]
            blok = dict(info["penandatangan"])
            blok.update(baris_jabatan=[blok["jabatan"]], username=pengguna["username"], user_id=pengguna["id"])
            sha = hashlib.sha256(f"{p.pk}:{nomor}".encode()).hexdigest()
            baris.append((p.pk, id_publik_surat(p.pk), p.pk, info["id"], nomor, tahun, urut, dt(w), kanonik(blok), "",
                          sha, "berlaku", "", 0, "{}"))
            data = {"nomor": nomor, "sha256": sha, "ukuran": 38_000 + r.randint(0, 6000), "layanan": p.layanan["kode"],
                    "kantor": kantor, "kelurahan": p.kelurahan, "nomor_registrasi": p.nomor,
                    "penandatangan": {k: blok[k] for k in ("nama", "nip", "jabatan", "status")}}
            kejadian.setdefault(p.kelurahan, []).append(
                Kejadian(w, p.pk, 1000, "surat", "terbitkan", pengguna["username"], pengguna["id"], p.surat["peran"],
                         "surat", str(p.pk), data))
    return baris, kejadian


def _rantai_lanjut(k, kelurahan) -> dict:
    """Heads of the chains this worker appends to, locked until it commits."""
    baris = k.execute("SELECT kunci, urutan, hash_terakhir, frontier FROM audit_rantaiaudit WHERE kunci = ANY(%s) "
                      "FOR UPDATE", [list(kelurahan)]).fetchall()
    return {kunci: (urutan, h, f) for kunci, urutan, h, f in baris}


def _copy(k, tabel, kolom, baris):
    with k.cursor() as c, c.copy(f"COPY {tabel} ({', '.join(kolom)}) FROM STDIN") as cp:
        for b in baris:
            cp.write_row(b)


# --- the master ----------------------------------------------------------------------------

TABEL_MUAT = ["audit_auditevent", "layanan_permohonan", "layanan_surat", "layanan_warga", "audit_survei",
              "audit_pengaduan", "audit_riwayatpengaduan"]
TABEL_RINGKAS = "audit_permohonanringkas"


def _indeks_lepas(k) -> list[str]:
    """Drop secondary indexes and constraints of the loaded tables; return the SQL that restores them.

    A fresh load into empty tables then builds each index once, sorted, instead of
    maintaining seven B-trees row by row (what pg_restore does for the same reason)."""
    pulih, lepas = [], []
    tabel_muat = TABEL_MUAT + ([TABEL_RINGKAS] if _ada_ringkas() else [])
    for tabel in tabel_muat:
        for nama, definisi in k.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype IN ('u', 'f', 'c')", [tabel]).fetchall():
            lepas.append(f'ALTER TABLE {tabel} DROP CONSTRAINT "{nama}"')
            pulih.append(f'ALTER TABLE {tabel} ADD CONSTRAINT "{nama}" {definisi}')
    for tabel in tabel_muat:
        for nama, definisi in k.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [tabel]).fetchall():
            lepas.append(f"DROP INDEX {nama}")
            pulih.insert(0, definisi)
    for sql in lepas:
        k.execute(sql)
    return pulih


def kosongkan(k):
    """Empty every table the generator fills (the bench database only, as its owner: the ledger's
    triggers refuse TRUNCATE to everyone else, so they are off for this transaction)."""
    k.execute("SET LOCAL session_replication_role = replica")
    k.execute("TRUNCATE audit_auditevent, audit_rantaiaudit, audit_checkpoint, audit_simpulmerkle, layanan_surat, layanan_penghitungnomorsurat, "
              "layanan_berkas, layanan_permohonan, notifikasi_outbox, audit_survei, audit_pengaduan, "
              "audit_riwayatpengaduan RESTART IDENTITY CASCADE")
    if _ada_ringkas():
        k.execute(f"TRUNCATE {TABEL_RINGKAS}")
    k.execute("DELETE FROM layanan_warga")
    k.execute("DELETE FROM authtoken_token WHERE user_id IN (SELECT id FROM auth_user WHERE username LIKE 'warga-%%')")
    k.execute("DELETE FROM auth_user WHERE username LIKE 'warga-%%'")


def generate(*, n=1_000_000, seed=8, mode="riwayat", melewati=0.01, reset=False, proses=None, sekarang=None,
             mulai=None, cetak=print) -> dict:
    """Generate and load N requests. Returns counts and timings."""
    from django.db import connection
    from django.utils import timezone

    from bench.common import pastikan_database, sambungan_psycopg

    t0 = time.perf_counter()
    pastikan_database()
    if reset:
        with sambungan_psycopg() as k:
            kosongkan(k)
    dunia = siapkan_dunia()
    sekarang = int((sekarang or timezone.now()).timestamp())
    mulai = int(mulai.timestamp()) if mulai else int(datetime(datetime.now().year - 2, 1, 1, tzinfo=WIB).timestamp())
    from layanan.models import PenghitungNomorSurat

    dunia["penghitung"] = {(p.kantor.wilayah_id, p.tahun): p.terakhir
                           for p in PenghitungNomorSurat.objects.select_related("kantor")}
    t_dunia = time.perf_counter() - t0

    r = random.Random(f"{seed}:{mode}:{n}")
    bobot = {k: r.uniform(0.6, 1.6) for k in dunia["kelurahan"]}
    from bench.generate_integritas import mutu_kelurahan

    mutu = mutu_kelurahan(random.Random(f"{seed}:mutu"), dunia["kelurahan"])
    total = sum(bobot.values())
    per_kel = {k: int(n * b / total) for k, b in bobot.items()}
    sisa = n - sum(per_kel.values())
    for k in sorted(dunia["kelurahan"])[:sisa]:
        per_kel[k] += 1

    with sambungan_psycopg() as k:
        mulai_id = {
            "permohonan": k.execute("SELECT coalesce(max(id), 0) + 1 FROM layanan_permohonan").fetchone()[0],
            "warga": k.execute("SELECT coalesce(max(id), 0) + 1 FROM layanan_warga").fetchone()[0],
            "user": k.execute("SELECT coalesce(max(id), 0) + 1 FROM auth_user").fetchone()[0],
        }
        # Empty of requests (the world's set-up may already have written master-data events).
        kosong = k.execute("SELECT NOT EXISTS (SELECT 1 FROM layanan_permohonan)").fetchone()[0]
    tugas = []
    for kec in dunia["kecamatan"]:
        anak = [x for x in dunia["kelurahan"] if x.startswith(kec + ".")]
        jumlah = sum(per_kel[x] for x in anak)
        jumlah_warga = max(len(anak), jumlah // 4)
        tugas.append({
            "dunia": dunia, "kec": kec, "kelurahan": anak, "jumlah_per_kelurahan": {x: per_kel[x] for x in anak},
            "seed": seed, "mode": mode, "melewati": melewati, "sekarang": sekarang, "mulai": mulai,
            "ringkas": _ada_ringkas(), "mutu": mutu,
            "id": {"permohonan": (mulai_id["permohonan"], jumlah), "warga": (mulai_id["warga"], jumlah_warga),
                   "user": (mulai_id["user"], jumlah_warga)},
        })
        for kunci, jml in (("permohonan", jumlah), ("warga", jumlah_warga), ("user", jumlah_warga)):
            mulai_id[kunci] += jml

    pulih = []
    indeks_ulang = kosong and n >= 50_000
    if indeks_ulang:
        with sambungan_psycopg() as k:
            pulih = _indeks_lepas(k)
    connection.close()
    t1 = time.perf_counter()
    proses = proses or min(multiprocessing.cpu_count(), len(tugas))
    try:
        if proses > 1:
            with multiprocessing.get_context("fork").Pool(proses) as pool:
                hasil = pool.map(kerjakan_kecamatan, tugas, chunksize=1)
        else:
            hasil = [kerjakan_kecamatan(t) for t in tugas]
        # The survey and complaint chains span the city: hashed here, in time order, once the workers are done.
        t_int, cpu_int = time.perf_counter(), time.process_time()
        from bench.generate_integritas import muat

        with sambungan_psycopg() as k:
            k.execute("SET synchronous_commit = off")
            integritas = muat(k, jawaban=[x for h in hasil for x in h.pop("jawaban")],
                              benih=[x for h in hasil for x in h.pop("benih_pengaduan")], dunia=dunia,
                              r=random.Random(f"{seed}:{mode}:{n}:pengaduan"), sekarang=sekarang)
        integritas.update(s=time.perf_counter() - t_int, cpu_s=time.process_time() - cpu_int,
                          cpu_pekerja_s=sum(h["cpu_integritas_s"] for h in hasil))
    finally:
        t_muat = time.perf_counter() - t1
        t2 = time.perf_counter()
        with sambungan_psycopg() as k:
            k.execute("SET maintenance_work_mem = '512MB'")
            for sql in pulih:  # also after a failed load: the schema must come back whole
                k.execute(sql)
            k.commit()

    with sambungan_psycopg() as k:
        for kunci in ("layanan_permohonan", "layanan_warga", "auth_user", "layanan_surat"):
            k.execute(f"SELECT setval(pg_get_serial_sequence('{kunci}', 'id'), "
                      f"(SELECT coalesce(max(id), 1) FROM {kunci}))")
        _penghitung_baru(k)
        k.commit()
        k.autocommit = True
        for tabel in TABEL_MUAT + ["auth_user"]:
            k.execute(f"ANALYZE {tabel}")
        ukuran = {
            tabel: k.execute(f"SELECT pg_total_relation_size('{tabel}'), pg_relation_size('{tabel}'), "
                             f"(SELECT count(*) FROM {tabel})").fetchone()
            for tabel in TABEL_MUAT
        }
    t_indeks = time.perf_counter() - t2
    ringkas = {
        "n": n, "mode": mode, "seed": seed,
        "permohonan": sum(h["permohonan"] for h in hasil), "warga": sum(h["warga"] for h in hasil),
        "surat": sum(h["surat"] for h in hasil), "kejadian": sum(h["kejadian"] for h in hasil),
        "lewat": sum(h["lewat"] for h in hasil), "cpu_s": sum(h["cpu_s"] for h in hasil),
        "status": {}, "dunia_s": t_dunia, "muat_s": t_muat, "indeks_s": t_indeks,
        "total_s": time.perf_counter() - t0, "proses": proses, "indeks_ulang": indeks_ulang, "ukuran": ukuran,
        "survei": integritas["survei"], "pengaduan": integritas["pengaduan"], "integritas": integritas,
    }
    for h in hasil:
        for st, jml in h["status"].items():
            ringkas["status"][st] = ringkas["status"].get(st, 0) + jml
    cetak(f"generate: {ringkas['permohonan']} permohonan, {ringkas['kejadian']} kejadian audit, "
          f"{ringkas['surat']} surat, {ringkas['warga']} warga, {ringkas['survei']} survei, "
          f"{ringkas['pengaduan']} pengaduan in {ringkas['total_s']:.1f} s "
          f"(load {t_muat:.1f} s, indexes {t_indeks:.1f} s, {proses} processes)")
    return ringkas


def _penghitung_baru(k):
    """Letter counters: the highest number given per office and year, read back from the rows."""
    k.execute(
        "INSERT INTO layanan_penghitungnomorsurat (kantor_id, tahun, terakhir) "
        "SELECT kantor_id, tahun, max(urut) FROM layanan_surat GROUP BY kantor_id, tahun "
        "ON CONFLICT (kantor_id, tahun) DO UPDATE SET terakhir = EXCLUDED.terakhir")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--mode", choices=["riwayat", "terbuka"], default="riwayat")
    ap.add_argument("--melewati", type=float, default=0.01, help="share crossing a threshold (mode terbuka)")
    ap.add_argument("--reset", action="store_true", help="empty the generated tables first")
    ap.add_argument("--proses", type=int, default=None)
    ap.add_argument("--tanpa-tabel", action="store_true", help="do not append the table to docs/benchmarks.md")
    args = ap.parse_args(argv)
    siapkan_django()
    hasil = generate(n=args.n, seed=args.seed, mode=args.mode, melewati=args.melewati, reset=args.reset,
                     proses=args.proses)
    from bench.common import terbitkan

    terbitkan(tabel_generate(hasil), tulis=not args.tanpa_tabel)
    from bench.common import simpan_hasil

    simpan_hasil("generate", hasil)
    return hasil


def tabel_generate(h) -> str:
    from bench.common import angka, tabel

    status = ", ".join(f"{k} {angka(v)}" for k, v in sorted(h["status"].items()))
    i = h["integritas"]
    survei_porsi = f"{h['survei'] / max(h['status'].get('selesai', 0), 1):.0%} of selesai"
    pengaduan_kat = ", ".join(f"{k} {angka(v)}" for k, v in sorted(i["pengaduan_per_kategori"].items()) if v) or "none"
    return tabel(
        f"Synthetic history (`bench generate --n {h['n']} --mode {h['mode']} --seed {h['seed']}`)",
        ["rows", "figure"],
        [["permohonan", angka(h["permohonan"])], ["audit events (hash-chained, 27 chains)", angka(h["kejadian"])],
         ["surat", angka(h["surat"])], ["warga (+ users)", angka(h["warga"])], ["final states", status],
         ["survei", f"{angka(h['survei'])} ({survei_porsi}); one event each on the city-wide `survei` chain"],
         ["pengaduan", (f"{angka(h['pengaduan'])} ({pengaduan_kat}); {angka(i['kejadian_pengaduan'])} events on "
                        "the `pengaduan` chain")],
         ["simulate + hash + COPY", f"{h['muat_s']:.1f} s ({h['proses']} processes, {h['cpu_s']:.0f} CPU s in them)"],
         ["of which surveys + complaints", (f"{i['cpu_pekerja_s']:.1f} CPU s deciding them in the processes; "
                                            f"{i['s']:.1f} s ({i['cpu_s']:.1f} CPU s) hashing their two chains and "
                                            "COPY in the parent")],
         ["index build + ANALYZE", f"{h['indeks_s']:.1f} s" + (" (indexes rebuilt after load)" if h["indeks_ulang"] else "")],
         ["total", f"{h['total_s']:.1f} s (target: 1,000,000 requests in a few minutes)"],
         ["requests/s loaded", angka(h["permohonan"] / max(h["total_s"], 1e-9))]],
    ) + "\n" + tabel_ukuran(h)


def tabel_ukuran(h) -> str:
    """Bytes per row, table and indexes: the basis of the storage projection in docs/scaling.md."""
    from bench.common import angka, tabel

    baris = []
    for nama, (total, heap, jumlah) in h["ukuran"].items():
        baris.append([nama, angka(jumlah), f"{total / 2**20:,.0f} MiB", f"{heap / max(jumlah, 1):,.0f}",
                      f"{total / max(jumlah, 1):,.0f}"])
    return tabel("Storage of the generated database", ["table", "rows", "table + indexes", "bytes/row (table)",
                                                       "bytes/row (with indexes)"], baris)
