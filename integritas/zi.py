"""The Zona Integritas worksheet (Lembar Kerja Evaluasi, PermenPANRB 90/2021) of one office and year.

Komponen pengungkit (60): six areas, each split into pemenuhan and reform (ZI_PORSI_PEMENUHAN of the
area's weight for pemenuhan, the rest for reform). A part's score = its weight × the mean of its
indicators' values (0–1; an unanswered indicator counts 0), as the LKE computes it. The office answers
most indicators (LkeJawaban, with evidence); the system fills what it measures (SLA compliance,
complaints handled and answered in time, IKM, the officers' integrity survey, published standards).
Komponen hasil (40): IPAK ÷ 4 × 17.5 and capaian kinerja (5) make "pemerintah yang bersih dan bebas
KKN"; IPKP ÷ 4 × 17.5 "kualitas pelayanan publik". Figures are exact fractions, reported and compared
with the minimums rounded half up to two decimals (what the evaluators' sheet shows). docs/indikator.md
gives the source of every weight and which are not confirmed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from integritas.ikm import bulatkan

NAMA_AREA = {
    "manajemen_perubahan": _("Manajemen perubahan"),
    "penataan_tatalaksana": _("Penataan tatalaksana"),
    "penataan_sdm": _("Penataan sistem manajemen SDM"),
    "penguatan_akuntabilitas": _("Penguatan akuntabilitas"),
    "penguatan_pengawasan": _("Penguatan pengawasan"),
    "pelayanan_publik": _("Peningkatan kualitas pelayanan publik"),
}
BAGIAN = ("pemenuhan", "reform")

# How an answer becomes a value (the LKE's answer forms).
SKALA = {
    "ya_tidak": {"ya": Fraction(1), "tidak": Fraction(0)},
    "abc": {"a": Fraction(1), "b": Fraction(1, 2), "c": Fraction(0)},
    "a_e": {"a": Fraction(1), "b": Fraction(3, 4), "c": Fraction(1, 2), "d": Fraction(1, 4), "e": Fraction(0)},
}


@dataclass(frozen=True)
class Indikator:
    kode: str
    area: str
    bagian: str
    teks: object
    jenis: str  # ya_tidak, abc, a_e, persen; or "sistem" (measured)


def _i(kode, area, bagian, teks, jenis):
    return Indikator(kode, area, bagian, teks, jenis)


INDIKATOR = (
    _i("mp.p.1", "manajemen_perubahan", "pemenuhan", _("Tim kerja pembangunan ZI dibentuk dengan surat keputusan"),
       "ya_tidak"),
    _i("mp.p.2", "manajemen_perubahan", "pemenuhan", _("Rencana kerja pembangunan ZI disusun dan dijalankan"), "abc"),
    _i("mp.p.3", "manajemen_perubahan", "pemenuhan", _("Pembangunan ZI dipantau dan dievaluasi berkala"), "abc"),
    _i("mp.r.1", "manajemen_perubahan", "reform", _("Pimpinan menjadi teladan dan penggerak perubahan"), "a_e"),
    _i("mp.r.2", "manajemen_perubahan", "reform", _("Agen perubahan mengubah pola pikir dan budaya kerja"), "a_e"),
    _i("pt.p.1", "penataan_tatalaksana", "pemenuhan", _("SOP kegiatan utama disusun, diterapkan dan dievaluasi"),
       "abc"),
    _i("pt.p.2", "penataan_tatalaksana", "pemenuhan", _("Sistem pemerintahan berbasis elektronik dipakai dalam "
                                                        "pelayanan dan manajemen"), "abc"),
    _i("pt.r.1", "penataan_tatalaksana", "reform", _("Permohonan yang diajukan secara daring (diukur sistem)"),
       "sistem"),
    _i("pt.r.2", "penataan_tatalaksana", "reform", _("Proses bisnis disederhanakan dan kinerjanya diukur"), "a_e"),
    _i("sdm.p.1", "penataan_sdm", "pemenuhan", _("Kebutuhan pegawai direncanakan sesuai beban kerja"), "abc"),
    _i("sdm.p.2", "penataan_sdm", "pemenuhan", _("Mutasi dan promosi terbuka, berdasarkan kompetensi"), "abc"),
    _i("sdm.p.3", "penataan_sdm", "pemenuhan", _("Kinerja individu diukur dan dikaitkan dengan kinerja kantor"),
       "abc"),
    _i("sdm.r.1", "penataan_sdm", "reform", _("Indeks survei integritas pegawai (diukur sistem)"), "sistem"),
    _i("sdm.r.2", "penataan_sdm", "reform", _("Kompetensi pegawai dikembangkan sesuai kebutuhan"), "a_e"),
    _i("ak.p.1", "penguatan_akuntabilitas", "pemenuhan", _("Pimpinan terlibat dalam perencanaan dan perjanjian "
                                                           "kinerja"), "abc"),
    _i("ak.p.2", "penguatan_akuntabilitas", "pemenuhan", _("Indikator kinerja utama ditetapkan dan dipantau"),
       "abc"),
    _i("ak.r.1", "penguatan_akuntabilitas", "reform", _("Kepatuhan standar waktu pelayanan (diukur sistem)"),
       "sistem"),
    _i("ak.r.2", "penguatan_akuntabilitas", "reform", _("Capaian kinerja dilaporkan dan ditindaklanjuti"), "a_e"),
    _i("pw.p.1", "penguatan_pengawasan", "pemenuhan", _("Pengendalian gratifikasi dijalankan"), "abc"),
    _i("pw.p.2", "penguatan_pengawasan", "pemenuhan", _("Sistem pengendalian intern dan manajemen risiko "
                                                        "diterapkan"), "abc"),
    _i("pw.p.3", "penguatan_pengawasan", "pemenuhan", _("Saluran pengaduan tersedia dan terhubung dengan "
                                                        "SP4N-LAPOR!"), "abc"),
    _i("pw.r.1", "penguatan_pengawasan", "reform", _("Pengaduan yang ditangani tuntas (diukur sistem)"), "sistem"),
    _i("pw.r.2", "penguatan_pengawasan", "reform", _("Pengaduan yang ditanggapi tepat waktu (diukur sistem)"),
       "sistem"),
    _i("pw.r.3", "penguatan_pengawasan", "reform", _("Pelaporan pelanggaran dan benturan kepentingan ditangani"),
       "a_e"),
    _i("pp.p.1", "pelayanan_publik", "pemenuhan", _("Standar pelayanan dan maklumat ditetapkan dan dipublikasikan"),
       "abc"),
    _i("pp.p.2", "pelayanan_publik", "pemenuhan", _("Kompensasi bila standar tidak terpenuhi ditetapkan (diukur "
                                                    "sistem)"), "sistem"),
    _i("pp.p.3", "pelayanan_publik", "pemenuhan", _("Survei kepuasan masyarakat dengan sampel cukup (diukur "
                                                    "sistem)"), "sistem"),
    _i("pp.r.1", "pelayanan_publik", "reform", _("Indeks kepuasan masyarakat ÷ 100 (diukur sistem)"), "sistem"),
    _i("pp.r.2", "pelayanan_publik", "reform", _("Inovasi pelayanan dan pelayanan berbasis teknologi"), "a_e"),
)
INDIKATOR_PER_KODE = {i.kode: i for i in INDIKATOR}
CAPAIAN_KINERJA = Indikator("hasil.capaian", "hasil", "hasil",
                            _("Capaian kinerja lebih baik (a), sama (b) atau lebih rendah (c) dari tahun "
                              "sebelumnya"), "abc")
DIISI_KANTOR = {i.kode: i for i in (*INDIKATOR, CAPAIAN_KINERJA) if i.jenis != "sistem"}


def nilai_jawaban(indikator: Indikator, jawaban: str) -> Fraction:
    """The 0–1 value of an office's answer; ValueError for an answer the indicator does not take."""
    jawaban = str(jawaban).strip().lower()
    if indikator.jenis == "persen":
        angka = Fraction(jawaban)
        if not 0 <= angka <= 100:
            raise ValueError(jawaban)
        return angka / 100
    return SKALA[indikator.jenis][jawaban]


def _dua(x) -> Decimal:
    return bulatkan(Fraction(x))


def lke_hitung(*, nilai: dict, ipak, ipkp) -> dict:
    """The worksheet from indicator values {kode: Fraction 0–1 or None} (office answers and system
    measures alike, capaian kinerja under "hasil.capaian") and the indices IPAK/IPKP on 0–4 (None: no
    survey). Returns DESIGN's shape: pengungkit, hasil, total, wbk, wbbm."""
    porsi = {"pemenuhan": Fraction(settings.ZI_PORSI_PEMENUHAN), "reform": 1 - Fraction(settings.ZI_PORSI_PEMENUHAN)}
    pengungkit, total_pengungkit, area_exact = {}, Fraction(0), {}
    for area, bobot in settings.ZI_BOBOT_AREA.items():
        bobot = Fraction(bobot)
        baris_area, jumlah_area = {}, Fraction(0)
        for bagian in BAGIAN:
            milik = [i for i in INDIKATOR if i.area == area and i.bagian == bagian]
            rerata = sum((nilai.get(i.kode) or Fraction(0) for i in milik), Fraction(0)) / len(milik)
            skor = bobot * porsi[bagian] * rerata
            jumlah_area += skor
            baris_area[bagian] = {"bobot": float(bobot * porsi[bagian]), "nilai": float(_dua(skor)),
                                  "indikator": [{"kode": i.kode, "sumber": "sistem" if i.jenis == "sistem"
                                                 else "kantor", "nilai": None if nilai.get(i.kode) is None
                                                 else float(bulatkan(nilai[i.kode], "0.0001"))} for i in milik]}
        area_exact[area] = (jumlah_area, bobot)
        total_pengungkit += jumlah_area
        pengungkit[area] = {"nama": str(NAMA_AREA.get(area, area)), "bobot": float(bobot),
                            "nilai": float(_dua(jumlah_area)),
                            "persen": float(bulatkan(jumlah_area / bobot * 100)), **baris_area}
    pengungkit["total"] = {"bobot": float(sum(Fraction(b) for b in settings.ZI_BOBOT_AREA.values())),
                           "nilai": float(_dua(total_pengungkit))}

    def indeks_ke_nilai(indeks, bobot):
        return None if indeks is None else Fraction(Decimal(str(indeks))) / 4 * Fraction(bobot)

    nilai_ipak = indeks_ke_nilai(ipak, settings.ZI_BOBOT_IPAK)
    nilai_ipkp = indeks_ke_nilai(ipkp, settings.ZI_BOBOT_IPKP)
    capaian_v = nilai.get(CAPAIAN_KINERJA.kode)
    nilai_capaian = Fraction(settings.ZI_BOBOT_CAPAIAN_KINERJA) * (capaian_v or 0)
    bersih = (nilai_ipak or 0) + nilai_capaian
    total_hasil = bersih + (nilai_ipkp or 0)
    angka = lambda x: None if x is None else float(_dua(x))  # noqa: E731
    hasil = {
        "ipak": {"indeks": None if ipak is None else float(ipak), "bobot": float(settings.ZI_BOBOT_IPAK),
                 "nilai": angka(nilai_ipak)},
        "capaian_kinerja": {"bobot": float(settings.ZI_BOBOT_CAPAIAN_KINERJA), "nilai": angka(nilai_capaian)},
        "bersih_kkn": {"bobot": float(settings.ZI_BOBOT_IPAK + settings.ZI_BOBOT_CAPAIAN_KINERJA),
                       "nilai": angka(bersih)},
        "ipkp": {"indeks": None if ipkp is None else float(ipkp), "bobot": float(settings.ZI_BOBOT_IPKP),
                 "nilai": angka(nilai_ipkp)},
        "total": {"bobot": float(settings.ZI_BOBOT_IPAK + settings.ZI_BOBOT_CAPAIAN_KINERJA + settings.ZI_BOBOT_IPKP),
                  "nilai": angka(total_hasil)},
    }
    total = total_pengungkit + total_hasil

    def syarat(daftar):
        kurang = []
        for kunci, label, nilai_x, minimum in daftar:
            dibulatkan = _dua(nilai_x)
            if dibulatkan < minimum:
                kurang.append({"syarat": kunci, "label": str(label), "minimum": float(minimum),
                               "nilai": float(dibulatkan), "selisih": float(minimum - dibulatkan)})
        return {"memenuhi": not kurang, "kurang": kurang}

    wbk = syarat([
        ("total", _("Nilai total"), total, settings.ZI_WBK_MIN_TOTAL),
        ("pengungkit", _("Komponen pengungkit"), total_pengungkit, settings.ZI_WBK_MIN_PENGUNGKIT),
        ("bersih_kkn", _("Pemerintah yang bersih dan bebas KKN"), bersih, settings.ZI_WBK_MIN_BERSIH_KKN),
        ("capaian_kinerja", _("Capaian kinerja"), nilai_capaian, settings.ZI_WBK_MIN_CAPAIAN_KINERJA),
        ("ipkp", _("Kualitas pelayanan publik (IPKP)"), nilai_ipkp or 0, settings.ZI_WBK_MIN_IPKP),
    ])
    wbbm = syarat([
        ("total", _("Nilai total"), total, settings.ZI_WBBM_MIN_TOTAL),
        ("pengungkit", _("Komponen pengungkit"), total_pengungkit, settings.ZI_WBBM_MIN_PENGUNGKIT),
        *[(f"area.{area}", NAMA_AREA.get(area, area), jumlah, _dua(bobot * Fraction(settings.ZI_WBBM_MIN_PORSI_AREA)))
          for area, (jumlah, bobot) in area_exact.items()],
    ])
    return {"pengungkit": pengungkit, "hasil": hasil, "total": float(_dua(total)), "wbk": wbk, "wbbm": wbbm}


def nilai_sistem(kantor_kode: str, tahun: int) -> dict:
    """The indicators the system measures for an office's year, as 0–1 fractions (None: nothing to measure)."""
    from integritas.indikator import indikator_hitung
    from integritas.selectors import survei_pegawai_hasil
    from kelurahan.models import Kantor

    dari, sampai = date(tahun, 1, 1), date(tahun, 12, 31)
    ind = indikator_hitung(wilayah=kantor_kode, dari=dari, sampai=sampai)
    kantor = Kantor.objects.filter(wilayah_id=kantor_kode).first()

    def rasio(x):
        return None if x is None else Fraction(Decimal(str(x)))

    per_kanal = ind["permohonan"].get("per_kanal") or {}
    total = ind["permohonan"]["total"]
    pegawai = survei_pegawai_hasil([kantor_kode], str(tahun))[kantor_kode]
    ikm = ind["ikm"]
    return {
        "pt.r.1": Fraction(per_kanal.get("online", 0), total) if total else None,
        "sdm.r.1": (Fraction(Decimal(str(pegawai["indeks"]))) - 1) / 3 if pegawai["cukup"] else None,
        "ak.r.1": rasio(ind["sla"]["kepatuhan"]),
        "pw.r.1": rasio(ind["pengaduan"].get("rasio_tuntas")),
        "pw.r.2": _tepat_waktu(ind["pengaduan"]),
        "pp.p.2": Fraction(1) if kantor is not None and kantor.kompensasi.strip() else Fraction(0),
        "pp.p.3": (Fraction(1) if ikm["sampel_cukup"] and ikm["responden"] else
                   Fraction(1, 2) if ikm["responden"] else Fraction(0)),
        "pp.r.1": None if ikm["nilai"] is None else Fraction(Decimal(str(ikm["nilai"]))) / 100,
    }, ind


def _tepat_waktu(pengaduan: dict):
    dinilai = pengaduan.get("total") or 0
    tepat = pengaduan.get("ditanggapi_tepat_waktu")
    if not dinilai or tepat is None:
        return None
    return Fraction(int(tepat), dinilai)


def lke_kantor(kantor_kode: str, tahun: int) -> dict:
    """The whole worksheet of an office's year: its answers, the system's measures, the survey indices."""
    from integritas.models import LkeJawaban

    sistem, ind = nilai_sistem(kantor_kode, tahun)
    jawaban = {j.kode: j for j in LkeJawaban.objects.filter(kantor=kantor_kode, tahun=tahun)}
    nilai = dict(sistem)
    for kode, j in jawaban.items():
        if kode in DIISI_KANTOR:
            nilai[kode] = nilai_jawaban(DIISI_KANTOR[kode], j.jawaban)
    hasil = lke_hitung(nilai=nilai, ipak=ind["ipak"], ipkp=ind["ipkp"])
    for area in settings.ZI_BOBOT_AREA:
        for bagian in BAGIAN:
            for baris in hasil["pengungkit"][area][bagian]["indikator"]:
                j = jawaban.get(baris["kode"])
                baris["teks"] = str(INDIKATOR_PER_KODE[baris["kode"]].teks)
                baris["jawaban"] = j.jawaban if j else None
                baris["bukti_sha256"] = (j.bukti_sha256 or None) if j else None
    j = jawaban.get(CAPAIAN_KINERJA.kode)
    hasil["hasil"]["capaian_kinerja"]["jawaban"] = j.jawaban if j else None
    hasil["hasil"]["capaian_kinerja"]["sla_tahun_lalu"] = _kepatuhan(kantor_kode, tahun - 1)
    hasil["hasil"]["capaian_kinerja"]["sla_tahun_ini"] = ind["sla"]["kepatuhan"]
    hasil["bukti_ikm"] = {k: ind["ikm"][k] for k in ("nilai", "mutu", "responden", "sampel_minimum")}
    hasil.update(wilayah=kantor_kode, tahun=tahun)
    return hasil


def _kepatuhan(kode, tahun):
    from integritas.indikator import indikator_hitung

    return indikator_hitung(wilayah=kode, dari=date(tahun, 1, 1), sampai=date(tahun, 12, 31))["sla"]["kepatuhan"]


AWALAN_RUMUS = ("=", "+", "-", "@", "\t", "\r")


def sel_aman(nilai):
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ TAB or CR gets a
    leading apostrophe (OWASP CSV injection); numbers stay numbers."""
    if isinstance(nilai, str) and nilai.startswith(AWALAN_RUMUS):
        return "'" + nilai
    return nilai


def lke_xlsx(lke: dict, nama_kantor: str) -> bytes:
    """The worksheet in the evaluators' layout: No, Komponen/Indikator, Bobot, Jawaban, Nilai, Bukti."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    buku = Workbook()
    ws = buku.active
    ws.title = f"LKE {lke['tahun']}"
    tebal = Font(bold=True)
    ws.append([sel_aman(f"LEMBAR KERJA EVALUASI ZONA INTEGRITAS {lke['tahun']}")])
    ws.append([sel_aman(nama_kantor), sel_aman(lke["wilayah"])])
    ws.append([])
    ws.append(["No", "Komponen / indikator", "Bobot", "Jawaban", "Nilai", "Sumber", "Bukti (SHA-256)"])
    for sel in ws[4]:
        sel.font = tebal
    ws.append(["A", "KOMPONEN PENGUNGKIT", lke["pengungkit"]["total"]["bobot"], None,
               lke["pengungkit"]["total"]["nilai"]])
    for n, area in enumerate(settings.ZI_BOBOT_AREA, start=1):
        a = lke["pengungkit"][area]
        ws.append([f"A.{n}", sel_aman(a["nama"]), a["bobot"], None, a["nilai"]])
        for m, bagian in enumerate(BAGIAN, start=1):
            b = a[bagian]
            ws.append([f"A.{n}.{m}", bagian.capitalize(), b["bobot"], None, b["nilai"]])
            for k, i in enumerate(b["indikator"], start=1):
                ws.append([f"A.{n}.{m}.{k}", sel_aman(i["teks"]), None, sel_aman(i.get("jawaban") or ""),
                           i["nilai"], i["sumber"], sel_aman(i.get("bukti_sha256") or "")])
    h = lke["hasil"]
    ws.append(["B", "KOMPONEN HASIL", h["total"]["bobot"], None, h["total"]["nilai"]])
    ws.append(["B.1", "Pemerintah yang bersih dan bebas KKN", h["bersih_kkn"]["bobot"], None, h["bersih_kkn"]["nilai"]])
    ws.append(["B.1.1", "Nilai persepsi korupsi (IPAK)", h["ipak"]["bobot"], h["ipak"]["indeks"], h["ipak"]["nilai"],
               "sistem"])
    ws.append(["B.1.2", "Capaian kinerja", h["capaian_kinerja"]["bobot"],
               sel_aman(h["capaian_kinerja"].get("jawaban") or ""), h["capaian_kinerja"]["nilai"], "kantor"])
    ws.append(["B.2", "Kualitas pelayanan publik (IPKP)", h["ipkp"]["bobot"], h["ipkp"]["indeks"], h["ipkp"]["nilai"],
               "sistem"])
    ws.append([])
    ws.append(["", "NILAI TOTAL", 100, None, lke["total"]])
    for predikat in ("wbk", "wbbm"):
        v = lke[predikat]
        ws.append(["", predikat.upper(), None, "memenuhi" if v["memenuhi"] else "belum memenuhi"])
        for k in v["kurang"]:
            ws.append(["", sel_aman(f"kurang: {k['label']}"), k["minimum"], None, k["nilai"],
                       f"selisih {k['selisih']:.2f}"])
    ws.column_dimensions["B"].width = 80
    keluar = io.BytesIO()
    buku.save(keluar)
    return keluar.getvalue()
