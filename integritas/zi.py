"""The Zona Integritas worksheet (Lembar Kerja Evaluasi, PermenPANRB 90/2021) of one office and year.

Komponen pengungkit (60): six areas, each split into pemenuhan and reform, each part into weighted
sub-components of questions (integritas/lke_butir.py). A sub-component's score = its weight × the mean of
its questions' values (0–1; an unanswered question counts 0), as the LKE computes it. The office answers
the questions (LkeJawaban, with evidence); the system fills what it measures (complaints handled) and
shows its figures beside the questions they bear on (SLA compliance, IKM, online share, SP4N-LAPOR!).
Komponen hasil (40): IPAK ÷ 4 × 17.5 and capaian kinerja (5) make "pemerintah yang bersih dan bebas
KKN"; IPKP ÷ 4 × 17.5 "kualitas pelayanan publik". Figures are exact fractions, reported and compared
with the minimums rounded half up to two decimals (what the evaluators' sheet shows). docs/indikator.md
gives the source of every weight and which are not confirmed.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from integritas.ikm import bulatkan
from integritas.lke_butir import CAPAIAN_KINERJA, DIISI_KANTOR, PERTANYAAN, SUBKOMPONEN, Pertanyaan

NAMA_AREA = {
    "manajemen_perubahan": _("Manajemen perubahan"),
    "penataan_tatalaksana": _("Penataan tatalaksana"),
    "penataan_sdm": _("Penataan sistem manajemen SDM"),
    "penguatan_akuntabilitas": _("Penguatan akuntabilitas"),
    "penguatan_pengawasan": _("Penguatan pengawasan"),
    "pelayanan_publik": _("Peningkatan kualitas pelayanan publik"),
}
BAGIAN = ("pemenuhan", "reform")
NAMA_BAGIAN = {"pemenuhan": _("Pemenuhan"), "reform": _("Reform")}

# How an answer becomes a value (the LKE's answer forms).
SKALA = {
    "ya_tidak": {"ya": Fraction(1), "tidak": Fraction(0)},
    "abc": {"a": Fraction(1), "b": Fraction(1, 2), "c": Fraction(0)},
    "abcd": {"a": Fraction(1), "b": Fraction(2, 3), "c": Fraction(1, 3), "d": Fraction(0)},
    "abcde": {"a": Fraction(1), "b": Fraction(3, 4), "c": Fraction(1, 2), "d": Fraction(1, 4), "e": Fraction(0)},
}


def _bobot_area() -> dict:
    """Each area's weight: the sum of its sub-components' (8 / 7 / 10 / 10 / 15 / 10)."""
    bobot: dict = {}
    for s in SUBKOMPONEN:
        bobot[s.area] = bobot.get(s.area, Fraction(0)) + s.bobot
    return bobot


BOBOT_AREA = _bobot_area()


def nilai_jawaban(indikator: Pertanyaan, jawaban: str) -> Fraction:
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
    """The worksheet from question values {kode: Fraction 0–1 or None} (office answers and system measures
    alike, capaian kinerja under "hasil.capaian") and the indices IPAK/IPKP on 0–4 (None: no survey). A
    sub-component scores its weight × the mean of its questions (unanswered counts 0). Returns DESIGN's
    shape: pengungkit, hasil, total, wbk, wbbm."""
    pengungkit, total_pengungkit, area_exact = {}, Fraction(0), {}
    for area, bobot in BOBOT_AREA.items():
        baris_area, jumlah_area = {}, Fraction(0)
        for bagian in BAGIAN:
            daftar, jumlah_bagian, bobot_bagian = [], Fraction(0), Fraction(0)
            for sub in (s for s in SUBKOMPONEN if s.area == area and s.bagian == bagian):
                rerata = sum((nilai.get(p.kode) or Fraction(0) for p in sub.pertanyaan), Fraction(0)) / len(
                    sub.pertanyaan)
                skor = sub.bobot * rerata
                jumlah_bagian += skor
                bobot_bagian += sub.bobot
                daftar.append({"kode": sub.kode, "nama": str(sub.nama), "bobot": float(sub.bobot),
                               "nilai": float(bulatkan(skor, "0.0001")),
                               "pertanyaan": [{"kode": p.kode, "sumber": "sistem" if p.jenis == "sistem" else "kantor",
                                               "nilai": None if nilai.get(p.kode) is None
                                               else float(bulatkan(nilai[p.kode], "0.0001"))}
                                              for p in sub.pertanyaan]})
            jumlah_area += jumlah_bagian
            baris_area[bagian] = {"bobot": float(bobot_bagian), "nilai": float(_dua(jumlah_bagian)),
                                  "subkomponen": daftar}
        area_exact[area] = (jumlah_area, bobot)
        total_pengungkit += jumlah_area
        pengungkit[area] = {"nama": str(NAMA_AREA.get(area, area)), "bobot": float(bobot),
                            "nilai": float(_dua(jumlah_area)),
                            "persen": float(bulatkan(jumlah_area / bobot * 100)), **baris_area}
    pengungkit["total"] = {"bobot": float(sum(BOBOT_AREA.values())), "nilai": float(_dua(total_pengungkit))}

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


def ukuran_sistem(kantor_kode: str, tahun: int):
    """What Simpatik measures for an office's year: the values of the "sistem" questions (0–1 fractions,
    None: nothing to measure), the evidence shown beside questions the office answers, and the indicators."""
    from integritas.indikator import indikator_hitung
    from kelurahan.models import Kantor

    dari, sampai = date(tahun, 1, 1), date(tahun, 12, 31)
    ind = indikator_hitung(wilayah=kantor_kode, dari=dari, sampai=sampai)
    kantor = Kantor.objects.filter(wilayah_id=kantor_kode).first()

    def rasio(x):
        return None if x is None else Fraction(Decimal(str(x)))

    def persen(x):
        return "–" if x is None else f"{bulatkan(Fraction(x) * 100)} %"

    total = ind["permohonan"]["total"]
    daring = Fraction((ind["permohonan"].get("per_kanal") or {}).get("online", 0), total) if total else None
    aduan = ind["pengaduan"]
    tuntas = rasio(aduan.get("rasio_tuntas"))
    tepat = _tepat_waktu(aduan)
    ikm = ind["ikm"]
    nilai = {"pw.r.2.a": tuntas}
    bukti = {
        "daring": _("{p} permohonan diajukan daring ({n} permohonan).").format(p=persen(daring), n=total),
        "pengaduan_tuntas": _("{p} dari {n} pengaduan ditangani tuntas.").format(p=persen(tuntas),
                                                                                n=aduan.get("total") or 0),
        "pengaduan_tepat_waktu": _("{p} pengaduan ditanggapi dalam tenggatnya.").format(p=persen(tepat)),
        "lapor": _("{n} pengaduan tercatat dengan nomor SP4N-LAPOR!.").format(n=aduan.get("dengan_lapor_id", 0)),
        "ikm": _("IKM {nilai} ({mutu}) dari {r} responden; sampel minimum {m}.").format(
            nilai=ikm["nilai"] if ikm["nilai"] is not None else "–", mutu=ikm.get("mutu") or "–",
            r=ikm["responden"], m=ikm["sampel_minimum"]),
        "ikm_publik": _("Hasil IKM diumumkan di halaman transparansi publik Simpatik."),
        "standar": (_("Maklumat pelayanan kantor dipublikasikan di Simpatik.") if kantor and kantor.maklumat.strip()
                    else _("Kantor belum mengisi maklumat pelayanan di Simpatik.")),
        "kompensasi": (_("Kompensasi bila standar tidak terpenuhi tercatat dan dipublikasikan.")
                       if kantor and kantor.kompensasi.strip() else _("Kantor belum mengisi ketentuan kompensasi.")),
        "sla": _("Kepatuhan standar waktu pelayanan {p}.").format(p=persen(rasio(ind["sla"]["kepatuhan"]))),
    }
    return nilai, bukti, ind


def _tepat_waktu(pengaduan: dict):
    dinilai = pengaduan.get("total") or 0
    tepat = pengaduan.get("ditanggapi_tepat_waktu")
    if not dinilai or tepat is None:
        return None
    return Fraction(int(tepat), dinilai)


def lke_kantor(kantor_kode: str, tahun: int) -> dict:
    """The whole worksheet of an office's year: its answers, the system's measures, the survey indices."""
    from integritas.models import LkeJawaban

    sistem, bukti, ind = ukuran_sistem(kantor_kode, tahun)
    jawaban = {j.kode: j for j in LkeJawaban.objects.filter(kantor=kantor_kode, tahun=tahun)}
    nilai = dict(sistem)
    for kode, j in jawaban.items():
        if kode in DIISI_KANTOR:  # answers to questions of an earlier catalogue stay in the table, unused
            nilai[kode] = nilai_jawaban(DIISI_KANTOR[kode], j.jawaban)
    hasil = lke_hitung(nilai=nilai, ipak=ind["ipak"], ipkp=ind["ipkp"])

    def lengkapi(baris, pertanyaan):
        j = jawaban.get(pertanyaan.kode)
        baris.update(teks=str(pertanyaan.teks), jenis=pertanyaan.jenis, jawaban=j.jawaban if j else None,
                     bukti_sha256=(j.bukti_sha256 or None) if j else None,
                     bukti_sistem=str(bukti[pertanyaan.bukti_sistem]) if pertanyaan.bukti_sistem else None)

    for area in BOBOT_AREA:
        for bagian in BAGIAN:
            for sub in hasil["pengungkit"][area][bagian]["subkomponen"]:
                for baris in sub["pertanyaan"]:
                    lengkapi(baris, PERTANYAAN[baris["kode"]])
    hasil["hasil"]["capaian_kinerja"].update(kode=CAPAIAN_KINERJA.kode, sumber="kantor")
    lengkapi(hasil["hasil"]["capaian_kinerja"], CAPAIAN_KINERJA)
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
    """The worksheet in the evaluators' layout: area, part, sub-component and question rows with No,
    Komponen/Indikator, Bobot, Jawaban, Nilai, Sumber, the evidence's SHA-256 and Simpatik's own figure."""
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
    ws.append(["No", "Komponen / indikator", "Bobot", "Jawaban", "Nilai", "Sumber", "Bukti (SHA-256)",
               "Data Simpatik"])
    for sel in ws[4]:
        sel.font = tebal
    ws.append(["A", "KOMPONEN PENGUNGKIT", lke["pengungkit"]["total"]["bobot"], None,
               lke["pengungkit"]["total"]["nilai"]])
    for n, area in enumerate(BOBOT_AREA, start=1):
        a = lke["pengungkit"][area]
        ws.append([f"A.{n}", sel_aman(a["nama"]), a["bobot"], None, a["nilai"]])
        for m, bagian in enumerate(BAGIAN, start=1):
            b = a[bagian]
            ws.append([f"A.{n}.{m}", str(NAMA_BAGIAN[bagian]), b["bobot"], None, b["nilai"]])
            for k, sub in enumerate(b["subkomponen"], start=1):
                ws.append([f"A.{n}.{m}.{k}", sel_aman(sub["nama"]), sub["bobot"], None, sub["nilai"]])
                for p in sub["pertanyaan"]:
                    huruf = p["kode"].rsplit(".", 1)[1]
                    ws.append([f"A.{n}.{m}.{k}.{huruf}", sel_aman(p["teks"]), None, sel_aman(p.get("jawaban") or ""),
                               p["nilai"], p["sumber"], sel_aman(p.get("bukti_sha256") or ""),
                               sel_aman(p.get("bukti_sistem") or "")])
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
