"""Surveys and complaints of the synthetic history (bench/generate.py), as the real services write them.

Workers decide, per kecamatan and from the seed, which finished requests are
answered and how (`survei_dan_pengaduan`), and which requests draw a complaint.
The survey and complaint chains are each ONE chain for the whole city, so the
parent hashes them after the workers return, in time order (`muat`).

What a row and its ledger event hold mirrors audit.services.survei_simpan
(anonymous, keyed hash of the request id, date only, event at local midnight)
and pengaduan_buat / pengaduan_ubah_status (event per step on the `pengaduan`
chain, handled by the inspectorate).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime

from audit.enkripsi import segel
from integritas.ikm import ITEM_IPAK, ITEM_IPKP, UNSUR_IKM

RANTAI_SURVEI = "survei"
RANTAI_PENGADUAN = "pengaduan"
HARI = 86_400
PORSI_JAWAB = {"online": 0.38, "loket": 0.30}  # ≈ 35 % of finished requests answer
SARAN = [
    "Mohon ruang tunggu diberi kipas angin.", "Pelayanan sudah cepat, pertahankan.",
    "Informasi persyaratan di website agar diperbarui.", "Petugas ramah, terima kasih.",
    "Notifikasi WhatsApp sangat membantu.", "Antrean loket pagi hari terlalu panjang.",
    "Mohon jam layanan diperpanjang sampai sore.", "Tempat parkir kantor kelurahan sempit.",
]
KEPADA_BAYAR = ["petugas loket", "oknum yang mengaku petugas", "orang di depan kantor", "ketua RT"]
# Complaint chances per request: (kategori, chance, share naming the request's registration number).
PELUANG_PENGADUAN = {"calo": (0.0004, 0.2), "perilaku": (0.0008, 0.6), "lainnya": (0.0005, 0.3)}
PELUANG_LAMBAT = 0.08  # of late or overdue requests
PELUANG_PUNGLI_SURVEI = 0.15  # of residents who reported in the survey being asked to pay
PELUANG_PUNGLI_LAIN = 0.0002
ISI_PENGADUAN = {
    "pungli": ["Petugas meminta uang administrasi untuk surat yang seharusnya gratis.",
               "Diminta uang Rp20.000 agar surat cepat selesai.",
               "Ada pungutan untuk legalisir di luar ketentuan."],
    "calo": ["Ada orang di depan kantor menawarkan jasa mengurus surat lebih cepat.",
             "Tetangga mengurus surat lewat perantara dan membayar."],
    "lambat": ["Surat belum selesai padahal sudah lewat janji layanan.",
               "Permohonan saya tidak diproses berhari-hari tanpa kabar."],
    "perilaku": ["Petugas kurang ramah saat menjelaskan persyaratan.",
                 "Petugas tidak berada di loket pada jam layanan."],
    "lainnya": ["Mohon tersedia kursi tunggu tambahan di ruang pelayanan.",
                "Formulir online sulit diisi dari ponsel."],
}
CATATAN_PENGADUAN = {
    "diverifikasi": "Laporan lengkap, diteruskan untuk pemeriksaan.",
    "ditindaklanjuti": "Klarifikasi kepada kantor dan petugas dijadwalkan.",
    "selesai": "Ditangani: kantor dibina dan pelapor diberi penjelasan.",
    "ditutup": "Tidak dapat diverifikasi: waktu dan tempat tidak disebutkan.",
}


@dataclass(frozen=True)
class Mutu:
    dasar: float  # mean answer before each resident's own mood
    bayar: float  # chance a resident is asked to pay
    lemah: bool


def mutu_kelurahan(r, kelurahan: list[str]) -> dict:
    """Per kelurahan: the mean answer of its residents and how often someone is asked to pay.

    Most offices sit around 3.35–3.6 (IKM ≈ 85–90, as Kota Pekalongan publishes); three do
    noticeably worse, so dashboards and signals have a difference to show."""
    lemah = set(r.sample(sorted(kelurahan), 3))
    return {k: Mutu(r.uniform(3.35, 3.6) - (0.3 if k in lemah else 0.0), 0.03 if k in lemah else 0.01, k in lemah)
            for k in sorted(kelurahan)}


def _skor(r, rata: float) -> int:
    return max(1, min(round(r.gauss(rata, 0.55)), 4))


@dataclass
class Jawaban:
    """One answered survey as a worker decides it; the parent writes the row and the ledger event."""

    tanggal: int  # date ordinal
    kunci: str
    kelurahan: str
    layanan: str
    skor: tuple  # UNSUR_IKM, then ITEM_IPAK, then ITEM_IPKP
    diminta_bayar: bool
    jumlah_bayar: int | None
    kepada_bayar: str
    saran: str


def _jawab(r, p, mutu: Mutu, kunci_samaran) -> tuple[int, Jawaban]:
    """(instant answered, answer) for one finished request."""
    m = mutu.dasar + r.gauss(0, 0.3)
    if r.random() < 0.02:  # a resident who had a bad day at the office
        m -= 1.2
    telat = p.jam.memenuhi is False
    if telat:
        m -= 0.25
    diminta = r.random() < mutu.bayar
    ikm = [_skor(r, m) for _u in UNSUR_IKM]
    ipak = [_skor(r, m + 0.35) for _i in ITEM_IPAK]
    ipkp = [_skor(r, m) for _i in ITEM_IPKP]
    if telat:
        ikm[UNSUR_IKM.index("waktu")] = _skor(r, m - 0.9)
        ipkp[ITEM_IPKP.index("waktu")] = _skor(r, m - 0.9)
    if diminta:
        ikm[UNSUR_IKM.index("biaya")] = r.choice((1, 1, 2))
        ipkp[ITEM_IPKP.index("biaya")] = r.choice((1, 2))
        ipak[ITEM_IPAK.index("pungli")] = r.choice((1, 1, 2))
        ipak[ITEM_IPAK.index("gratifikasi")] = r.choice((1, 2, 3))
    else:  # letters are free of charge: most answer "gratis"
        ikm[UNSUR_IKM.index("biaya")] = 4 if r.random() < 0.93 else 3
        ipkp[ITEM_IPKP.index("biaya")] = 4 if r.random() < 0.9 else 3
    # The invitation goes out when the letter is issued; most answer within a day or two, the link lasts 30 days.
    t = p.selesai_pada + min(int(r.lognormvariate(math.log(30 * 3600), 0.9)), 30 * HARI - 1)
    return t, Jawaban(
        tanggal=datetime.fromtimestamp(t, _wib()).date().toordinal(), kunci=kunci_samaran(p.pk, tujuan="survei"),
        kelurahan=p.kelurahan, layanan=p.layanan["kode"], skor=(*ikm, *ipak, *ipkp), diminta_bayar=diminta,
        jumlah_bayar=r.choice((10_000, 20_000, 25_000, 50_000, 100_000)) if diminta and r.random() < 0.6 else None,
        kepada_bayar=r.choice(KEPADA_BAYAR) if diminta and r.random() < 0.5 else "",
        saran=r.choice(SARAN) if r.random() < 0.12 else "",
    )


def _wib():
    from bench.generate import WIB

    return WIB


def survei_dan_pengaduan(semua, mutu: dict, r, sekarang: int) -> tuple[list[Jawaban], list[tuple]]:
    """Survey answers of this worker's finished requests, and the complaints its requests draw.

    A complaint is (waktu, permohonan id, kategori, kelurahan, layanan, nomor registrasi or "");
    the parent numbers and handles them."""
    from integritas.services import kunci_samaran

    jawaban, benih = [], []

    def adu(t, p, kategori, sebut):
        if t <= sekarang:
            nyata = r.random() < sebut
            benih.append((t, p.pk, kategori, p.kelurahan, p.layanan["kode"] if nyata else "", p.nomor if nyata else ""))

    for p in semua:
        st = p.jam.status
        if st == "selesai" and r.random() < PORSI_JAWAB[p.kanal]:  # the survey opens only once finished
            t, jwb = _jawab(r, p, mutu[p.kelurahan], kunci_samaran)
            if t <= sekarang:
                jawaban.append(jwb)
                if jwb.diminta_bayar and r.random() < PELUANG_PUNGLI_SURVEI:
                    adu(t + r.randint(3600, 5 * HARI), p, "pungli", 0.4)
        lemah = mutu[p.kelurahan].lemah
        if (p.jam.memenuhi is False or (st not in ("selesai", "ditolak", "dibatalkan") and p.jam.tingkat == 2)) \
                and r.random() < PELUANG_LAMBAT:
            adu(max(p.jam.tenggat or p.diajukan, p.diajukan) + r.randint(3600, 4 * HARI), p, "lambat", 0.8)
        if r.random() < PELUANG_PUNGLI_LAIN * (3 if lemah else 1):
            adu(p.diajukan + r.randint(3600, 14 * HARI), p, "pungli", 0.4)
        for kategori, (peluang, sebut) in PELUANG_PENGADUAN.items():
            if r.random() < peluang * (2 if lemah else 1):
                adu(p.diajukan + r.randint(3600, 14 * HARI), p, kategori, sebut)
    return jawaban, benih


# --- the parent: one chain each for the whole city -----------------------------------------------

KOLOM_SURVEI = (["kunci", "kelurahan", "kecamatan", "kota", "layanan", "tanggal"]
                + [f"ikm_{u}" for u in UNSUR_IKM] + [f"ipak_{i}" for i in ITEM_IPAK]
                + [f"ipkp_{i}" for i in ITEM_IPKP]
                + ["diminta_bayar", "jumlah_bayar", "kepada_bayar", "saran"])
KOLOM_PENGADUAN = ["id", "kode_lacak", "kategori", "isi", "nomor_registrasi", "permohonan_id", "layanan", "kelurahan",
                   "kecamatan", "kota", "kontak", "bukti", "bukti_jenis", "bukti_sha256", "status", "diterima_pada",
                   "tenggat_tanggapan", "tenggat_selesai", "ditanggapi_pada", "diselesaikan_pada", "lapor_id"]
N_IKM, N_IPAK = len(UNSUR_IKM), len(ITEM_IPAK)


def _data_survei(jwb: Jawaban) -> dict:
    """`data` of the event survei_simpan appends (anonymous, at local midnight): the answers, no request."""
    s = jwb.skor
    data = {"kelurahan": jwb.kelurahan, "layanan": jwb.layanan, "tanggal": date.fromordinal(jwb.tanggal).isoformat(),
            "ikm": dict(zip(UNSUR_IKM, s[:N_IKM], strict=True)),
            "ipak": dict(zip(ITEM_IPAK, s[N_IKM:N_IKM + N_IPAK], strict=True)),
            "ipkp": dict(zip(ITEM_IPKP, s[N_IKM + N_IPAK:], strict=True)), "diminta_bayar": jwb.diminta_bayar}
    return data


class HariKerjaNasional:
    """kelurahan.kalender.Kalender.tambah_hari_kerja on the default calendar with one holiday table (building one per call costs ~4 ms).

    Same rule: Mon–Fri without public holidays and cuti bersama; the smoke test compares it
    with the real function on every generated complaint."""

    def __init__(self, dari: int, sampai: int):
        import holidays

        self.libur = holidays.country_holidays("ID", categories=("public", "government"), years=range(dari, sampai + 1))

    def tambah(self, mulai: datetime, hari: int) -> datetime:
        tanggal = mulai.date()
        while hari > 0:
            tanggal += timedelta(days=1)
            if tanggal.weekday() < 5 and tanggal not in self.libur:
                hari -= 1
        return mulai.replace(year=tanggal.year, month=tanggal.month, day=tanggal.day)


def _langkah_pengaduan(r, kategori: str, diterima: int, sekarang: int) -> list[tuple[int, str, str]]:
    """The inspectorate's steps (waktu, ke, catatan), stopping at `sekarang`; audit.services.ALUR_PENGADUAN."""
    from integritas.services import ALUR_PENGADUAN

    def nanti(median_hari):
        return int(r.lognormvariate(math.log(median_hari * HARI), 0.6))

    if r.random() < 0.08:
        rencana = [("ditutup", nanti(3))]
    elif kategori in ("pungli", "calo", "perilaku") or r.random() < 0.4:
        rencana = [("diverifikasi", nanti(2.5)), ("ditindaklanjuti", nanti(5)), ("selesai", nanti(18))]
    else:
        rencana = [("diverifikasi", nanti(2.5)), ("selesai", nanti(6))]
    langkah, t, dari = [], diterima, "diterima"
    for ke, jeda in rencana:
        t += max(jeda, 600)
        if t > sekarang:
            break
        assert ke in ALUR_PENGADUAN[dari], (dari, ke)
        langkah.append((t, ke, CATATAN_PENGADUAN[ke]))
        dari = ke
    return langkah


def kode_lacak(pk: int) -> str:
    from bench.generate import ALFABET_REG, acak_bijektif

    s = acak_bijektif(pk, ALFABET_REG, 8, 314_159_265_359, 27_182_818_284)
    return f"{s[:4]}-{s[4:]}"


def muat(k, *, jawaban: list[Jawaban], benih: list[tuple], dunia: dict, r, sekarang: int) -> dict:
    """COPY the surveys and complaints and hash their two city-wide chains in time order, in one transaction."""
    from django.conf import settings

    from bench.generate import (
        GENESIS,
        KOTA,
        Kejadian,
        _copy,
        _kejadian_muat,
        _rantai_lanjut,
        _rantai_sambung,
        dt,
    )

    wib = _wib()
    with k.transaction():
        kepala = _rantai_lanjut(k, [RANTAI_SURVEI, RANTAI_PENGADUAN])
        # Surveys: a day's answers all carry local midnight; within a day the keyed hash orders them,
        # which says nothing about which request or what time.
        jawaban = sorted(jawaban, key=lambda x: (x.tanggal, x.kunci))
        _copy(k, "audit_survei", KOLOM_SURVEI, (
            (x.kunci, x.kelurahan, x.kelurahan[:8], KOTA, x.layanan, date.fromordinal(x.tanggal), *x.skor,
             x.diminta_bayar, x.jumlah_bayar, x.kepada_bayar, x.saran) for x in jawaban))
        tengah_malam = {}
        kejadian_survei = []
        for x in jawaban:
            if x.tanggal not in tengah_malam:
                tengah_malam[x.tanggal] = int(datetime.combine(date.fromordinal(x.tanggal), dtime.min, wib).timestamp())
            kejadian_survei.append(Kejadian(tengah_malam[x.tanggal], 0, 0, "survei", "isi", "", None, "", "", "",
                                            _data_survei(x)))
        semua_baris = []
        if kejadian_survei:  # like audit_catat, no head for a chain without events (mode terbuka)
            semua_baris += _rantai_sambung(k, RANTAI_SURVEI, kejadian_survei, kepala.get(RANTAI_SURVEI, (0, GENESIS, "")))

        # Complaints, numbered in the order they arrived.
        benih = sorted(benih)
        awal = k.execute("SELECT coalesce(max(id), 0) + 1 FROM audit_pengaduan").fetchone()[0]
        inspektur = dunia["petugas"][(KOTA, "inspektorat")]
        from integritas.services import pengaduan_hari_kerja

        batas_hari = settings.PENGADUAN_SELESAI_HARI
        tahun = [datetime.fromtimestamp(b[0], wib).year for b in benih] or [2000]
        kalender = HariKerjaNasional(min(tahun), max(tahun) + 1)
        pengaduan, riwayat, kejadian_aduan = [], [], []
        for i, (w, pid, kategori, kel, layanan, nomor) in enumerate(benih):
            pk, kode = awal + i, kode_lacak(awal + i)
            diterima = dt(w)  # pengaduan_buat's waktu is timezone.now(): UTC
            # As integritas.services.pengaduan_tenggat: working days by kind, resolution capped at 60 days.
            hari_tanggapan, hari_selesai = pengaduan_hari_kerja(kategori)
            tenggat_tanggapan = kalender.tambah(datetime.fromtimestamp(w, wib), hari_tanggapan)
            tenggat_selesai = min(kalender.tambah(datetime.fromtimestamp(w, wib), hari_selesai),
                                  diterima + timedelta(days=batas_hari))
            langkah = _langkah_pengaduan(r, kategori, w, sekarang)
            tuntas = [t for t, ke, _c in langkah if ke in ("selesai", "ditutup")]
            kontak = f"+62813{r.randint(0, 10**8 - 1):08d}" if r.random() < 0.4 else ""
            kontak = segel(kontak, label="integritas.pengaduan.kontak") if kontak else ""  # sealed as the model writes it
            pengaduan.append((
                pk, kode, kategori, r.choice(ISI_PENGADUAN[kategori]), nomor, pid if nomor else None, layanan, kel,
                kel[:8], KOTA, kontak, "", "", "", langkah[-1][1] if langkah else "diterima", diterima,
                tenggat_tanggapan, tenggat_selesai, dt(langkah[0][0]) if langkah else None,
                dt(tuntas[0]) if tuntas else None, ""))
            riwayat.append((pk, "", "diterima", "", "", diterima))
            kejadian_aduan.append(Kejadian(w, pk, 0, "pengaduan", "terima", "", None, "", "pengaduan", kode, {
                "kategori": kategori, "kelurahan": kel, "layanan": layanan, "nomor_registrasi": nomor, "ke": "diterima",
                "bukti_sha256": "", "tenggat_tanggapan": tenggat_tanggapan.isoformat(),
                "tenggat_selesai": tenggat_selesai.isoformat()}))
            dari = "diterima"
            for urut, (t, ke, catatan) in enumerate(langkah, start=1):
                riwayat.append((pk, dari, ke, catatan, inspektur["username"], dt(t)))
                kejadian_aduan.append(Kejadian(
                    t, pk, urut, "pengaduan", "ubah_status", inspektur["username"], inspektur["id"], "inspektorat",
                    "pengaduan", kode, {"kategori": kategori, "kelurahan": kel, "dari": dari, "ke": ke,
                                        "catatan": catatan}))
                dari = ke
        _copy(k, "audit_pengaduan", KOLOM_PENGADUAN, pengaduan)
        _copy(k, "audit_riwayatpengaduan", ["pengaduan_id", "dari", "ke", "catatan", "oleh", "waktu"], riwayat)
        kejadian_aduan.sort(key=lambda e: (e.waktu, e.pid, e.urut))
        if kejadian_aduan:
            semua_baris += _rantai_sambung(k, RANTAI_PENGADUAN, kejadian_aduan,
                                           kepala.get(RANTAI_PENGADUAN, (0, GENESIS, "")))
        if semua_baris:
            _kejadian_muat(k, semua_baris)
        k.execute("SELECT setval(pg_get_serial_sequence('audit_pengaduan', 'id'), "
                  "(SELECT coalesce(max(id), 1) FROM audit_pengaduan))")
    return {"survei": len(jawaban), "pengaduan": len(pengaduan), "kejadian_survei": len(kejadian_survei),
            "kejadian_pengaduan": len(kejadian_aduan),
            "pengaduan_per_kategori": {kat: sum(1 for b in benih if b[2] == kat) for kat in ISI_PENGADUAN}}
