"""Survey arithmetic: IKM (Permenpan RB 14/2017), IPAK/IPKP, Krejcie–Morgan.

Pure functions on exact numbers. The weight is Fraction(1, 9), never 0.111:
published results only reproduce with the exact ninth. IKM is rounded to two
decimals (half up) first and classified afterwards, so 88.30 is B and 88.31 A.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

# Keyed by name: some publications swap unsur 8 and 9, so order never matters.
UNSUR_IKM = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)
LABEL_UNSUR_IKM = {
    "persyaratan": _("Persyaratan"),
    "prosedur": _("Sistem, mekanisme dan prosedur"),
    "waktu": _("Waktu penyelesaian"),
    "biaya": _("Biaya/tarif"),
    "produk": _("Produk spesifikasi jenis pelayanan"),
    "kompetensi": _("Kompetensi pelaksana"),
    "perilaku": _("Perilaku pelaksana"),
    "pengaduan": _("Penanganan pengaduan, saran dan masukan"),
    "sarana": _("Sarana dan prasarana"),
}
ITEM_IPAK = ("diskriminasi", "kecurangan", "gratifikasi", "pungli", "percaloan")
ITEM_IPKP = ("informasi", "persyaratan", "prosedur", "waktu", "biaya", "sarana", "petugas", "pengaduan")

BOBOT_UNSUR = Fraction(1, 9)
KONVERSI_IKM = 25

# (lower bound inclusive, mutu, kinerja), checked on the value already rounded to two decimals.
MUTU_IKM = (
    (Decimal("88.31"), "A", _("Sangat Baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang Baik")),
    (Decimal("25.00"), "D", _("Tidak Baik")),
)

DUA_DESIMAL = Decimal("0.01")


def bulatkan(nilai: Fraction | int, tempat: str = "0.01") -> Decimal:
    """Round an exact fraction half up without ever passing through a float."""
    nilai = Fraction(nilai)
    langkah = Fraction(Decimal(tempat))
    kali = nilai / langkah
    bulat = (kali.numerator * 2 + kali.denominator) // (kali.denominator * 2)
    return (Decimal(bulat) * Decimal(tempat)).quantize(Decimal(tempat), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class HasilIKM:
    nilai: Decimal | None
    mutu: str | None
    kinerja: str | None
    responden: int
    nrr: dict  # unsur -> Decimal (three decimals, for display)
    nrr_konversi: dict = None  # unsur -> Decimal: the exact NRR × 25, rounded to two decimals

    def sebagai_dict(self) -> dict:
        return {
            "nilai": float(self.nilai) if self.nilai is not None else None,
            "mutu": self.mutu,
            "kinerja": str(self.kinerja) if self.kinerja is not None else None,
            "responden": self.responden,
            "nrr": {k: float(v) for k, v in self.nrr.items()},
            "nrr_konversi": {k: float(v) for k, v in (self.nrr_konversi or {}).items()},
        }


def mutu_ikm(nilai: Decimal) -> tuple[str, str]:
    for batas, mutu, kinerja in MUTU_IKM:
        if nilai >= batas:
            return mutu, kinerja
    raise ValueError(f"IKM {nilai} di bawah 25: jawaban di luar skala 1–4")


def ikm_dari_jumlah(jumlah: Mapping[str, int], responden: int) -> HasilIKM:
    """IKM from per-unsur answer totals (what a SUM() over the survey table gives)."""
    if responden <= 0:
        return HasilIKM(None, None, None, 0, {})
    hilang = [u for u in UNSUR_IKM if u not in jumlah]
    if hilang:
        raise ValueError(f"unsur IKM tidak lengkap: {', '.join(hilang)}")
    nrr = {u: Fraction(int(jumlah[u]), responden) for u in UNSUR_IKM}
    ikm = sum(n * BOBOT_UNSUR for n in nrr.values()) * KONVERSI_IKM
    nilai = bulatkan(ikm)
    mutu, kinerja = mutu_ikm(nilai)
    return HasilIKM(nilai, mutu, kinerja, responden, {u: bulatkan(n, "0.001") for u, n in nrr.items()},
                    {u: bulatkan(n * KONVERSI_IKM) for u, n in nrr.items()})


def _jumlahkan(jawaban: Iterable[Mapping[str, int]], kunci: tuple[str, ...]) -> tuple[dict, int]:
    jumlah = dict.fromkeys(kunci, 0)
    n = 0
    for satu in jawaban:
        for k in kunci:
            if k not in satu:
                raise ValueError(f"jawaban tanpa {k}")
            skor = int(satu[k])
            if not 1 <= skor <= 4:
                raise ValueError(f"skor {k}={skor} di luar 1–4")
            jumlah[k] += skor
        n += 1
    return jumlah, n


def ikm_hitung(jawaban: Iterable[Mapping[str, int]]) -> HasilIKM:
    """IKM from individual answers, each a mapping unsur name -> 1..4."""
    jumlah, n = _jumlahkan(jawaban, UNSUR_IKM)
    return ikm_dari_jumlah(jumlah, n)


def indeks_dari_jumlah(jumlah: Mapping[str, int], responden: int, kunci: tuple[str, ...]) -> Decimal | None:
    """IPAK or IPKP on the 1–4 answer scale (shown on the evaluation sheet's 0–4): mean of item means."""
    if responden <= 0:
        return None
    rata = sum(Fraction(int(jumlah[k]), responden) for k in kunci) / len(kunci)
    return bulatkan(rata)


def indeks_hitung(jawaban: Iterable[Mapping[str, int]], kunci: tuple[str, ...]) -> Decimal | None:
    jumlah, n = _jumlahkan(jawaban, kunci)
    return indeks_dari_jumlah(jumlah, n, kunci)


def nilai_zi(indeks: Decimal | None, bobot: Decimal) -> Decimal | None:
    """An index on 0–4 as points of its Zona Integritas weight (e.g. IPAK 3.60 -> 15.75 of 17.5)."""
    if indeks is None:
        return None
    return bulatkan(Fraction(indeks) / 4 * Fraction(bobot))


def sampel_minimum(populasi: int) -> int:
    """Krejcie & Morgan (1970): s = X²·N·P(1−P) / (d²·(N−1) + X²·P(1−P)), X² = 3.841, P = 0.5, d = 0.05."""
    if populasi <= 0:
        return 0
    x2 = Fraction("3.841")
    p = Fraction(1, 4)
    d2 = Fraction("0.0025")
    s = x2 * populasi * p / (d2 * (populasi - 1) + x2 * p)
    return int(bulatkan(s, "1"))


# Answer wording per Permenpan RB 14/2017 (lampiran) and the ZI perception surveys: option 1 first.
_SESUAI = (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))
_MUDAH = (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah"))
_PERSEPSI_KORUPSI = (_("Selalu terjadi"), _("Sering terjadi"), _("Jarang terjadi"), _("Tidak pernah terjadi"))
PILIHAN_IKM = {
    "persyaratan": _SESUAI,
    "prosedur": _MUDAH,
    "waktu": (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    "biaya": (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    "produk": _SESUAI,
    "kompetensi": (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    "perilaku": (_("Tidak sopan dan ramah"), _("Kurang sopan dan ramah"), _("Sopan dan ramah"),
                 _("Sangat sopan dan ramah")),
    "pengaduan": (_("Tidak ada"), _("Ada tetapi tidak berfungsi"), _("Berfungsi kurang maksimal"),
                  _("Dikelola dengan baik")),
    "sarana": (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
}
# The questions of the sample questionnaire in the lampiran of Permenpan RB 14/2017 (one per unsur,
# keyed by name; the lampiran numbers sarana 8 and pengaduan 9, others swap them).
PERTANYAAN_IKM = {
    "persyaratan": _("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
                     "pelayanannya?"),
    "prosedur": _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
    "waktu": _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
    "biaya": _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
    "produk": _("Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
                "standar pelayanan dengan hasil yang diberikan?"),
    "kompetensi": _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    "perilaku": _("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan "
                  "keramahan?"),
    "pengaduan": _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
    "sarana": _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
}

# The respondent profile the lampiran asks for (jenis kelamin, usia, pendidikan, pekerjaan): every part
# optional; age in bands, not years, so a profile is less likely to single a resident out.
PROFIL_RESPONDEN = {
    "jenis_kelamin": (("L", _("Laki-laki")), ("P", _("Perempuan"))),
    "usia": (("<20", _("di bawah 20 tahun")), ("20-29", _("20–29 tahun")), ("30-39", _("30–39 tahun")),
             ("40-49", _("40–49 tahun")), ("50-59", _("50–59 tahun")), ("60+", _("60 tahun ke atas"))),
    "pendidikan": (("sd", _("SD ke bawah")), ("smp", _("SMP")), ("sma", _("SMA/sederajat")), ("d3", _("D1–D3")),
                   ("s1", _("D4/S1")), ("s2", _("S2")), ("s3", _("S3"))),
    "pekerjaan": (("pns", _("PNS")), ("tni", _("TNI")), ("polri", _("POLRI")), ("swasta", _("Swasta")),
                  ("wirausaha", _("Wirausaha")), ("pelajar", _("Pelajar/Mahasiswa")),
                  ("lainnya", _("Lainnya"))),
}
LABEL_PROFIL = {
    "jenis_kelamin": _("Jenis kelamin"),
    "usia": _("Usia"),
    "pendidikan": _("Pendidikan terakhir"),
    "pekerjaan": _("Pekerjaan utama"),
}
LABEL_IPAK = {
    "diskriminasi": _("Petugas membeda-bedakan pelayanan"),
    "kecurangan": _("Terjadi kecurangan dalam pelayanan (tidak sesuai prosedur)"),
    "gratifikasi": _("Petugas menerima imbalan atau hadiah"),
    "pungli": _("Terjadi pungutan liar"),
    "percaloan": _("Ada calo dalam pelayanan"),
}
LABEL_IPKP = {
    "informasi": _("Informasi pelayanan tersedia dan jelas"),
    "persyaratan": _("Persyaratan mudah dipenuhi"),
    "prosedur": _("Prosedur mudah dan jelas"),
    "waktu": _("Jangka waktu penyelesaian sesuai standar"),
    "biaya": _("Tarif/biaya sesuai ketentuan"),
    "sarana": _("Sarana prasarana nyaman"),
    "petugas": _("Petugas pelayanan responsif dan kompeten"),
    "pengaduan": _("Layanan pengaduan/konsultasi tersedia dan ditanggapi"),
}


def kuesioner() -> dict:
    """The questionnaire as clients render it: keys to send back, labels and the wording of 1..4."""
    def butir(kunci, label, pilihan):
        return [{"kunci": k, "label": str(label[k]), "pilihan": [str(p) for p in pilihan(k)]} for k in kunci]

    return {
        "ikm": [{**b, "unsur": str(LABEL_UNSUR_IKM[b["kunci"]])}
                for b in butir(UNSUR_IKM, PERTANYAAN_IKM, PILIHAN_IKM.__getitem__)],
        "profil": [{"kunci": k, "label": str(LABEL_PROFIL[k]), "wajib": False,
                    "pilihan": [{"kode": kode, "label": str(label)} for kode, label in pilihan]}
                   for k, pilihan in PROFIL_RESPONDEN.items()],
        "ipak": butir(ITEM_IPAK, LABEL_IPAK, lambda _k: _PERSEPSI_KORUPSI),
        "ipkp": butir(ITEM_IPKP, LABEL_IPKP, lambda _k: _SESUAI),
        "diminta_bayar": str(_("Apakah Anda diminta membayar atau memberi sesuatu?")),
    }
