"""The Zona Integritas worksheet (LKE, PermenPANRB 90/2021): one office worked through by hand, the WBK and
WBBM verdicts at each minimum's boundary, the office's answers with evidence and audit, the API and the XLSX."""

import io
from fractions import Fraction as F

import pytest
import time_machine
from openpyxl import load_workbook

from audit.models import AuditEvent
from integritas.lke_butir import DIISI_KANTOR, PERTANYAAN, SUBKOMPONEN, Pertanyaan
from integritas.models import LkeJawaban
from integritas.zi import BOBOT_AREA, lke_hitung, nilai_jawaban, sel_aman
from tests.factories import KEC_BARAT, MEDONO, TIRTO, Dunia, pdf_bytes, unggahan
from tests.pembantu_indikator import wib
from tests.test_api_lifecycle import klien

# One office's year, worked through by hand. Every question answered at its best (value 1) except these,
# so each area's arithmetic can be followed (a sub-component = its weight × the mean of its questions):
JAWABAN = {
    # manajemen perubahan, pemenuhan iv (1.50): ya, b, a, c → (1 + ½ + 1 + ⅓)/4 × 1.5 = 1.0625;
    # pemenuhan 0.5 + 1 + 1 + 1.0625 = 3.5625
    "mp.p.4.a": "ya", "mp.p.4.b": "b", "mp.p.4.c": "a", "mp.p.4.d": "c",
    # reform i (2.00): 80 % and 50 % → 0.65 × 2 = 1.3; reform 1.3 + 1 + 1 = 3.3 → area 6.8625 (85.78 %)
    "mp.r.1.a": "80", "mp.r.1.b": "50",
    # penataan tatalaksana, pemenuhan ii SPBE (2.00): a, a, a, c → ¾ × 2 = 1.5; pemenuhan 1 + 1.5 + 0.5 = 3;
    # reform iii (2.00): c, c, e → (½ + ½ + 0)/3 × 2 = 0.6667; reform 0.5 + 1 + 0.6667 = 2.1667 → area 5.1667
    "pt.p.2.a": "a", "pt.p.2.b": "a", "pt.p.2.c": "a", "pt.p.2.d": "c",
    "pt.r.3.a": "c", "pt.r.3.b": "c", "pt.r.3.c": "e",
    # SDM, reform iii (2.00): 40 % → 0.8; reform 1.5 + 1.5 + 0.8 = 3.8 → area 5 + 3.8 = 8.8
    "sdm.r.3.a": "40",
    # pelayanan publik, pemenuhan iv (1.00): b (a–e), a (a–c), c (a–d) → (¾ + 1 + ⅓)/3 = 0.6944;
    # pemenuhan 4.6944 → area 9.6944
    "pp.p.4.a": "b", "pp.p.4.b": "a", "pp.p.4.c": "c",
    # capaian kinerja "b" (the same as last year): ½ × 5 = 2.5
    "hasil.capaian": "b",
}
# Penguatan akuntabilitas at its best: 10. Penguatan pengawasan: everything at best but the system's
# complaints handled, 90 % × 3 = 2.7 → reform 2.5 + 2.7 + 2 = 7.2 → area 14.7.
# Pengungkit 6.8625 + 5.1667 + 8.8 + 10 + 14.7 + 9.6944 = 55.2236 → 55.22.
# Hasil: IPAK 3.60/4 × 17.5 = 15.75, + capaian 2.5 = 18.25 (bersih dan bebas KKN); IPKP 3.20/4 × 17.5 = 14.00;
# 32.25. Total 55.2236 + 32.25 = 87.4736 → 87.47.
SISTEM = {"pw.r.2.a": F(9, 10)}


def _nilai(jawaban=None):
    jawaban = {**JAWABAN, **(jawaban or {})}
    terbaik = {"ya_tidak": "ya", "persen": "100"}
    nilai = {k: nilai_jawaban(p, jawaban.get(k, terbaik.get(p.jenis, "a"))) for k, p in DIISI_KANTOR.items()}
    return {**nilai, **SISTEM}


def _lke(**ganti):
    return lke_hitung(nilai=_nilai(ganti.get("jawaban")), ipak=ganti.get("ipak", "3.60"),
                      ipkp=ganti.get("ipkp", "3.20"))


def test_the_worksheet_has_the_lke_weights_and_questions():
    """PermenPANRB 90/2021: 8 / 7 / 10 / 10 / 15 / 10, each area half pemenuhan and half reform; 87
    pemenuhan and 23 reform questions in 25 and 17 sub-components."""
    assert {a: float(b) for a, b in BOBOT_AREA.items()} == {
        "manajemen_perubahan": 8, "penataan_tatalaksana": 7, "penataan_sdm": 10, "penguatan_akuntabilitas": 10,
        "penguatan_pengawasan": 15, "pelayanan_publik": 10}
    for area, bobot in BOBOT_AREA.items():
        for bagian in ("pemenuhan", "reform"):
            assert sum(s.bobot for s in SUBKOMPONEN if s.area == area and s.bagian == bagian) == bobot / 2
    for bagian, subkomponen, pertanyaan in (("pemenuhan", 25, 87), ("reform", 17, 23)):
        milik = [s for s in SUBKOMPONEN if s.bagian == bagian]
        assert (len(milik), sum(len(s.pertanyaan) for s in milik)) == (subkomponen, pertanyaan)
    assert len(PERTANYAAN) == 110 and all(str(p.teks) for p in PERTANYAAN.values())
    assert [k for k, p in PERTANYAAN.items() if p.jenis == "sistem"] == ["pw.r.2.a"]


@pytest.mark.parametrize("jenis, jawaban, nilai", [
    ("ya_tidak", "ya", F(1)), ("ya_tidak", "tidak", F(0)), ("abc", "b", F(1, 2)), ("abcd", "b", F(2, 3)),
    ("abcd", "c", F(1, 3)), ("abcde", "d", F(1, 4)), ("persen", "87.5", F(7, 8)), ("persen", " 100 ", F(1)),
])
def test_answer_forms(jenis, jawaban, nilai):
    assert nilai_jawaban(Pertanyaan("x", "x", jenis), jawaban) == nilai


@pytest.mark.parametrize("jenis, jawaban", [("abc", "d"), ("ya_tidak", "a"), ("persen", "100.01"), ("persen", "-1"),
                                            ("persen", "nan"), ("persen", "1e9"), ("abcde", "")])
def test_answers_a_form_does_not_take(jenis, jawaban):
    with pytest.raises((KeyError, ValueError)):
        nilai_jawaban(Pertanyaan("x", "x", jenis), jawaban)


def test_lke_worked_through_by_hand():
    lke = _lke()
    p = lke["pengungkit"]
    assert [p[a]["nilai"] for a in ("manajemen_perubahan", "penataan_tatalaksana", "penataan_sdm",
                                     "penguatan_akuntabilitas", "penguatan_pengawasan", "pelayanan_publik")] == [
        6.86, 5.17, 8.8, 10.0, 14.7, 9.69]
    mp = p["manajemen_perubahan"]
    assert (mp["pemenuhan"]["nilai"], mp["reform"]["nilai"], mp["persen"]) == (3.56, 3.3, 85.78)
    assert [(s["kode"], s["bobot"], s["nilai"]) for s in mp["pemenuhan"]["subkomponen"]] == [
        ("mp.p.1", 0.5, 0.5), ("mp.p.2", 1.0, 1.0), ("mp.p.3", 1.0, 1.0), ("mp.p.4", 1.5, 1.0625)]
    assert p["pelayanan_publik"]["pemenuhan"]["subkomponen"][3]["nilai"] == 0.6944
    assert p["penguatan_pengawasan"]["reform"]["subkomponen"][1]["pertanyaan"] == [
        {"kode": "pw.r.2.a", "sumber": "sistem", "nilai": 0.9}]
    assert p["total"] == {"bobot": 60.0, "nilai": 55.22}
    h = lke["hasil"]
    assert (h["ipak"]["nilai"], h["capaian_kinerja"]["nilai"], h["bersih_kkn"]["nilai"], h["ipkp"]["nilai"],
            h["total"]["nilai"], h["total"]["bobot"]) == (15.75, 2.5, 18.25, 14.0, 32.25, 40.0)
    assert lke["total"] == 87.47
    # WBK: every minimum met, three of them exactly (18.25, 2.5, 14.00).
    assert lke["wbk"] == {"memenuhi": True, "kurang": []}
    # WBBM: total and pengungkit met; penataan tatalaksana 5.17 of 75 % × 7 = 5.25.
    assert lke["wbbm"]["memenuhi"] is False
    assert [(k["syarat"], k["minimum"], k["nilai"], k["selisih"]) for k in lke["wbbm"]["kurang"]] == [
        ("area.penataan_tatalaksana", 5.25, 5.17, 0.08)]
    # An unanswered question counts 0: leaving SPBE's first question (a) open costs a quarter of 2.00.
    tanpa = lke_hitung(nilai={k: v for k, v in _nilai().items() if k != "pt.p.2.a"}, ipak="3.60", ipkp="3.20")
    assert tanpa["pengungkit"]["penataan_tatalaksana"]["pemenuhan"]["nilai"] == 3 - 0.5


def _kurang(hasil):
    return {k["syarat"]: k["selisih"] for k in hasil["kurang"]}


@pytest.mark.parametrize("ganti, syarat, selisih", [
    ({"ipak": "3.59"}, "bersih_kkn", 0.04),  # 3.59/4 × 17.5 = 15.70625; + 2.5 = 18.21 < 18.25
    ({"ipkp": "3.19"}, "ipkp", 0.04),  # 13.95625 → 13.96 < 14.00
    ({"jawaban": {"hasil.capaian": "c"}}, "capaian_kinerja", 2.5),
])
def test_wbk_just_below_each_hasil_minimum(ganti, syarat, selisih):
    lke = _lke(**ganti)
    assert lke["wbk"]["memenuhi"] is False
    assert _kurang(lke["wbk"])[syarat] == selisih


@pytest.mark.parametrize("nama, batas, syarat", [
    ("ZI_WBK_MIN_TOTAL", "87.47", "total"),
    ("ZI_WBK_MIN_PENGUNGKIT", "55.22", "pengungkit"),
    ("ZI_WBK_MIN_BERSIH_KKN", "18.25", "bersih_kkn"),
    ("ZI_WBK_MIN_CAPAIAN_KINERJA", "2.5", "capaian_kinerja"),
    ("ZI_WBK_MIN_IPKP", "14.00", "ipkp"),
])
def test_wbk_at_and_one_hundredth_above_each_minimum(settings, nama, batas, syarat):
    from decimal import Decimal

    setattr(settings, nama, Decimal(batas))
    assert _lke()["wbk"] == {"memenuhi": True, "kurang": []}
    setattr(settings, nama, Decimal(batas) + Decimal("0.01"))
    assert _kurang(_lke()["wbk"]) == {syarat: 0.01}


def test_wbbm_at_each_minimum(settings):
    from decimal import Decimal

    settings.ZI_WBBM_MIN_TOTAL = Decimal("87.47")
    settings.ZI_WBBM_MIN_PORSI_AREA = Decimal("0.7385")  # × 7 = 5.1695 → 5.17, penataan tatalaksana's score
    assert _lke()["wbbm"] == {"memenuhi": True, "kurang": []}
    settings.ZI_WBBM_MIN_PENGUNGKIT = Decimal("55.23")
    assert _kurang(_lke()["wbbm"]) == {"pengungkit": 0.01}
    settings.ZI_WBBM_MIN_PENGUNGKIT = Decimal("48")
    settings.ZI_WBBM_MIN_PORSI_AREA = Decimal("0.7393")  # 5.1751 → 5.18
    assert _kurang(_lke()["wbbm"]) == {"area.penataan_tatalaksana": 0.01}
    settings.ZI_WBBM_MIN_PORSI_AREA = Decimal("0.7385")
    settings.ZI_WBBM_MIN_TOTAL = Decimal("87.48")
    assert _kurang(_lke()["wbbm"]) == {"total": 0.01}


def test_formula_cells_are_neutralised():
    assert [sel_aman(x) for x in ("=1+1", "+62", "-3", "@SUM(A1)", "\tx", "\rx", "Medono", 5)] == [
        "'=1+1", "'+62", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "Medono", 5]


@pytest.fixture
def dunia(db):
    return Dunia()


SEKARANG = wib(2026, 11, 20, 10)


def test_office_fills_with_evidence_audited_and_the_api_computes(dunia):
    with time_machine.travel(SEKARANG, tick=False):
        lurah = klien(dunia.lurah_medono)
        r = lurah.post("/api/v1/indikator/zi/jawaban/", {"wilayah": MEDONO, "tahun": "2026", "kode": "mp.p.1.a",
                                                         "jawaban": "ya", "bukti": unggahan("sk.pdf", pdf_bytes())},
                       format="multipart")
        assert r.status_code == 200, r.content
        # One of two questions of "penyusunan tim kerja" (0.50): 0.5 × (1 + 0)/2 = 0.25; nothing else answered.
        mp = r.json()["pengungkit"]["manajemen_perubahan"]
        assert (mp["pemenuhan"]["nilai"], mp["pemenuhan"]["subkomponen"][0]["nilai"]) == (0.25, 0.25)
        # A change is audited with the old and the new answer.
        assert lurah.post("/api/v1/indikator/zi/jawaban/", {"wilayah": MEDONO, "tahun": "2026", "kode": "mp.p.1.a",
                                                            "jawaban": "tidak"}, format="multipart").status_code == 200
        j = LkeJawaban.objects.get()
        assert (j.jawaban, len(j.bukti_sha256), j.diubah_oleh) == ("tidak", 64, "lurah.medono")
        events = list(AuditEvent.objects.filter(rantai="zona_integritas").order_by("urutan"))
        assert [e.data["baru"]["jawaban"] for e in events] == ["ya", "tidak"]
        assert events[1].data["lama"] == {"jawaban": "ya", "bukti_sha256": j.bukti_sha256}
        assert events[0].aktor == "lurah.medono"
        # Bad input: 400 per field, nothing changed; an executable as evidence is refused by its content.
        for isian, kolom in (({"kode": "mp.p.1.a", "jawaban": "mungkin"}, "jawaban"),
                             ({"kode": "pw.r.2.a", "jawaban": "a"}, "kode"),  # measured by the system
                             ({"kode": "mp.r.1.a", "jawaban": "101"}, "jawaban"),
                             ({"kode": "mp.p.1", "jawaban": "a"}, "kode"),  # a sub-component, not a question
                             ({"kode": "mp.p.2.b", "jawaban": "a", "bukti": unggahan("x.pdf", b"MZ" + b"\0" * 300)},
                              "bukti")):
            r = lurah.post("/api/v1/indikator/zi/jawaban/", {"wilayah": MEDONO, "tahun": "2026", **isian},
                           format="multipart")
            assert r.status_code == 400 and kolom in r.json(), r.content
        assert LkeJawaban.objects.count() == 1 and AuditEvent.objects.filter(rantai="zona_integritas").count() == 2
        # Only the head of the office fills its own sheet.
        assert klien(dunia.lurah_tirto).post("/api/v1/indikator/zi/jawaban/", {
            "wilayah": MEDONO, "kode": "mp.p.1.a", "jawaban": "ya"}, format="multipart").status_code == 404
        assert klien(dunia.petugas_medono).post("/api/v1/indikator/zi/jawaban/", {
            "wilayah": MEDONO, "kode": "mp.p.1.a", "jawaban": "ya"}, format="multipart").status_code == 403
        # Reading: the lurah (own unit), the camat, the inspectorate; not another lurah.
        for user in (dunia.lurah_medono, dunia.camat, dunia.inspektorat):
            body = klien(user).get("/api/v1/indikator/zi/", {"wilayah": MEDONO, "tahun": "2026"}).json()
            assert set(body) >= {"pengungkit", "hasil", "total", "wbk", "wbbm"}
            assert set(body["pengungkit"]) == {"manajemen_perubahan", "penataan_tatalaksana", "penataan_sdm",
                                               "penguatan_akuntabilitas", "penguatan_pengawasan", "pelayanan_publik",
                                               "total"}
            assert set(body["hasil"]) >= {"ipak", "capaian_kinerja", "ipkp", "total"}
            assert body["wbk"]["memenuhi"] is False and body["wbk"]["kurang"][0]["syarat"] == "total"
        assert klien(dunia.lurah_tirto).get("/api/v1/indikator/zi/", {"wilayah": MEDONO}).status_code == 404
        assert klien(dunia.camat).get("/api/v1/indikator/zi/", {"wilayah": MEDONO, "tahun": "20x6"}).status_code == 400
        assert klien(dunia.camat).get("/api/v1/indikator/zi/", {"wilayah": KEC_BARAT}).status_code == 200


def test_xlsx_in_the_evaluators_layout_with_neutralised_cells(dunia):
    dunia.medono.nama = '=HYPERLINK("http://contoh.invalid","klik")'
    dunia.medono.save()
    with time_machine.travel(SEKARANG, tick=False):
        r = klien(dunia.inspektorat).get("/api/v1/indikator/zi/", {"wilayah": MEDONO, "tahun": "2026",
                                                                   "ekspor": "xlsx"})
    assert r.status_code == 200 and "lke-zi-33.75.01.1002-2026.xlsx" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    sel = [[c.value for c in baris] for baris in ws.iter_rows()]
    assert sel[1][0] == "'" + dunia.medono.nama
    assert sel[3][:5] == ["No", "Komponen / indikator", "Bobot", "Jawaban", "Nilai"]
    nomor = [b[0] for b in sel if b and b[0]]
    assert nomor[nomor.index("A"):nomor.index("A") + 3] == ["A", "A.1", "A.1.1"]
    assert {"B", "B.1", "B.1.1", "B.1.2", "B.2"} <= set(nomor)
    # Area, part, sub-component and question rows: 6 + 12 + 42 + 110 below "A".
    assert len([n for n in nomor if n.startswith("A.")]) == 6 + 12 + 42 + 110
    baris = {b[0]: b for b in sel if b and b[0]}
    assert baris["A.1.1.1"][1:3] == ["Penyusunan tim kerja", 0.5]
    assert baris["A.5.2.2.a"][5] == "sistem" and baris["A.6.1.4.a"][7].startswith("IKM")
    assert any(b[1] == "NILAI TOTAL" for b in sel)
    assert not any(isinstance(c, str) and c.startswith("=") for b in sel for c in b)


def test_desk_page_for_the_head_of_office(client, dunia):
    client.force_login(dunia.lurah_medono)
    with time_machine.travel(SEKARANG, tick=False):
        html = client.get("/petugas/lke/").content.decode()
        assert 'data-kode="mp.p.1.a"' in html and "diukur sistem" in html
        r = client.post("/petugas/lke/", {"kode": "mp.p.1.a", "jawaban": "ya",
                                          "bukti": unggahan("sk.pdf", pdf_bytes())})
        assert r.status_code == 302
        html = client.get("/petugas/lke/").content.decode()
    assert 'data-uji="pengungkit">0.25' in html or 'data-uji="pengungkit">0,25' in html
    assert LkeJawaban.objects.get().jawaban == "ya"
    client.force_login(dunia.petugas_medono)
    assert client.get("/petugas/lke/").status_code == 403


def test_evidence_download_and_the_evaluators_read_only_view(client, dunia):
    with time_machine.travel(SEKARANG, tick=False):
        assert klien(dunia.lurah_medono).post("/api/v1/indikator/zi/jawaban/", {
            "wilayah": MEDONO, "tahun": "2026", "kode": "pp.p.1.d", "jawaban": "ya",
            "bukti": unggahan("maklumat.pdf", pdf_bytes())}, format="multipart").status_code == 200
        alamat = "/api/v1/indikator/zi/bukti/"
        isian = {"wilayah": MEDONO, "tahun": "2026", "kode": "pp.p.1.d"}
        for user in (dunia.lurah_medono, dunia.camat, dunia.inspektorat):
            r = klien(user).get(alamat, isian)
            assert r.status_code == 200 and b"".join(r.streaming_content) == pdf_bytes()
            assert "lke-33.75.01.1002-2026-pp.p.1.d.pdf" in r["Content-Disposition"]
        assert klien(dunia.lurah_tirto).get(alamat, isian).status_code == 404
        assert klien(dunia.petugas_medono).get(alamat, isian).status_code == 403
        assert klien(dunia.camat).get(alamat, {**isian, "kode": "pp.p.1.a"}).status_code == 404
        # The inspectorate reads the office's page with the evidence link, without forms, and cannot post.
        client.force_login(dunia.inspektorat)
        html = client.get("/petugas/lke/").content.decode()
        assert f"?wilayah={MEDONO}" in html
        html = client.get("/petugas/lke/", {"wilayah": MEDONO}).content.decode()
        assert 'data-kode="pp.p.1.d"' in html and "Unduh bukti" in html and 'name="jawaban"' not in html
        assert "Data Simpatik" in html
        assert client.post(f"/petugas/lke/?wilayah={MEDONO}", {"kode": "pp.p.1.d", "jawaban": "tidak"}).status_code == 403
        assert client.get("/petugas/lke/", {"wilayah": TIRTO}).status_code == 200
        client.force_login(dunia.lurah_tirto)
        assert client.get("/petugas/lke/", {"wilayah": MEDONO}).status_code == 404
    assert LkeJawaban.objects.get().jawaban == "ya"
