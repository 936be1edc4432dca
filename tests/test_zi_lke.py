"""The Zona Integritas worksheet (LKE, PermenPANRB 90/2021): one office worked through by hand, the WBK and
WBBM verdicts at each minimum's boundary, the office's answers with evidence and audit, the API and the XLSX."""

import io
from fractions import Fraction as F

import pytest
import time_machine
from openpyxl import load_workbook

from audit.models import AuditEvent
from integritas.models import LkeJawaban
from integritas.zi import lke_hitung, sel_aman
from tests.factories import KEC_BARAT, MEDONO, TIRTO, Dunia, pdf_bytes, unggahan
from tests.pembantu_indikator import wib
from tests.test_api_lifecycle import klien

# One office's year, every value chosen so the arithmetic can be followed (weights 8/7/10/10/15/10, each
# area half pemenuhan, half reform; a part = its weight × the mean of its indicators):
NILAI = {
    # manajemen perubahan: pemenuhan 4 × (1 + 1 + ½)/3 = 3.3333; reform 4 × (¾ + ½)/2 = 2.5 → 5.8333 (72.92 %)
    "mp.p.1": F(1), "mp.p.2": F(1), "mp.p.3": F(1, 2), "mp.r.1": F(3, 4), "mp.r.2": F(1, 2),
    # penataan tatalaksana: 3.5 × (1 + ½)/2 = 2.625; 3.5 × (0.8 online + ¾)/2 = 2.7125 → 5.3375
    "pt.p.1": F(1), "pt.p.2": F(1, 2), "pt.r.1": F(4, 5), "pt.r.2": F(3, 4),
    # SDM: 5 × (1 + 1 + ½)/3 = 4.1667; 5 × ((2.90 − 1)/3 + 1)/2 = 4.0833 → 8.25
    "sdm.p.1": F(1), "sdm.p.2": F(1), "sdm.p.3": F(1, 2), "sdm.r.1": (F("2.90") - 1) / 3, "sdm.r.2": F(1),
    # akuntabilitas: 5 × 1 = 5; 5 × (0.9 SLA + ¾)/2 = 4.125 → 9.125
    "ak.p.1": F(1), "ak.p.2": F(1), "ak.r.1": F(9, 10), "ak.r.2": F(3, 4),
    # pengawasan: 7.5 × (1 + ½ + 1)/3 = 6.25; 7.5 × (1 + ½ + ¾)/3 = 5.625 → 11.875
    "pw.p.1": F(1), "pw.p.2": F(1, 2), "pw.p.3": F(1), "pw.r.1": F(1), "pw.r.2": F(1, 2), "pw.r.3": F(3, 4),
    # pelayanan publik: 5 × (1 + 1 + ½)/3 = 4.1667; 5 × (IKM 88.15/100 + ¾)/2 = 4.07875 → 8.2454
    "pp.p.1": F(1), "pp.p.2": F(1), "pp.p.3": F(1, 2), "pp.r.1": F("0.8815"), "pp.r.2": F(3, 4),
    # capaian kinerja "b" (the same as last year): ½ × 5 = 2.5
    "hasil.capaian": F(1, 2),
}
# Pengungkit 5.8333 + 5.3375 + 8.25 + 9.125 + 11.875 + 8.2454 = 48.66625 → 48.67.
# Hasil: IPAK 3.60/4 × 17.5 = 15.75, + capaian 2.5 = 18.25 (bersih dan bebas KKN); IPKP 3.20/4 × 17.5 = 14.00;
# 32.25. Total 48.66625 + 32.25 = 80.91625 → 80.92.


def _lke(**ganti):
    return lke_hitung(nilai={**NILAI, **ganti.pop("nilai", {})}, ipak=ganti.get("ipak", "3.60"),
                      ipkp=ganti.get("ipkp", "3.20"))


def test_lke_worked_through_by_hand():
    lke = _lke()
    p = lke["pengungkit"]
    assert [p[a]["nilai"] for a in ("manajemen_perubahan", "penataan_tatalaksana", "penataan_sdm",
                                     "penguatan_akuntabilitas", "penguatan_pengawasan", "pelayanan_publik")] == [
        5.83, 5.34, 8.25, 9.13, 11.88, 8.25]
    assert (p["manajemen_perubahan"]["pemenuhan"]["nilai"], p["manajemen_perubahan"]["reform"]["nilai"]) == (3.33, 2.5)
    assert p["manajemen_perubahan"]["persen"] == 72.92
    assert p["total"] == {"bobot": 60.0, "nilai": 48.67}
    h = lke["hasil"]
    assert (h["ipak"]["nilai"], h["capaian_kinerja"]["nilai"], h["bersih_kkn"]["nilai"], h["ipkp"]["nilai"],
            h["total"]["nilai"], h["total"]["bobot"]) == (15.75, 2.5, 18.25, 14.0, 32.25, 40.0)
    assert lke["total"] == 80.92
    # WBK: every minimum met, three of them exactly (18.25, 2.5, 14.00).
    assert lke["wbk"] == {"memenuhi": True, "kurang": []}
    # WBBM: total 80.92 of 85, and manajemen perubahan 5.83 of 75 % × 8 = 6.00.
    assert lke["wbbm"]["memenuhi"] is False
    assert [(k["syarat"], k["minimum"], k["nilai"], k["selisih"]) for k in lke["wbbm"]["kurang"]] == [
        ("total", 85.0, 80.92, 4.08), ("area.manajemen_perubahan", 6.0, 5.83, 0.17)]


def _kurang(hasil):
    return {k["syarat"]: k["selisih"] for k in hasil["kurang"]}


@pytest.mark.parametrize("ganti, syarat, selisih", [
    ({"ipak": "3.59"}, "bersih_kkn", 0.04),  # 3.59/4 × 17.5 = 15.70625; + 2.5 = 18.21 < 18.25
    ({"ipkp": "3.19"}, "ipkp", 0.04),  # 13.95625 → 13.96 < 14.00
    ({"nilai": {"hasil.capaian": F(0)}}, "capaian_kinerja", 2.5),
])
def test_wbk_just_below_each_hasil_minimum(ganti, syarat, selisih):
    lke = _lke(**ganti)
    assert lke["wbk"]["memenuhi"] is False
    assert _kurang(lke["wbk"])[syarat] == selisih


@pytest.mark.parametrize("nama, batas, syarat", [
    ("ZI_WBK_MIN_TOTAL", "80.92", "total"),
    ("ZI_WBK_MIN_PENGUNGKIT", "48.67", "pengungkit"),
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

    settings.ZI_WBBM_MIN_TOTAL = Decimal("80.92")
    settings.ZI_WBBM_MIN_PORSI_AREA = Decimal("0.72875")  # × 8 = 5.83, manajemen perubahan's score
    assert _lke()["wbbm"] == {"memenuhi": True, "kurang": []}
    settings.ZI_WBBM_MIN_PENGUNGKIT = Decimal("48.68")
    assert _kurang(_lke()["wbbm"]) == {"pengungkit": 0.01}
    settings.ZI_WBBM_MIN_PENGUNGKIT = Decimal("48")
    settings.ZI_WBBM_MIN_PORSI_AREA = Decimal("0.73")  # 5.84
    assert _kurang(_lke()["wbbm"]) == {"area.manajemen_perubahan": 0.01}
    settings.ZI_WBBM_MIN_PORSI_AREA = Decimal("0.72875")
    settings.ZI_WBBM_MIN_TOTAL = Decimal("80.93")
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
        r = lurah.post("/api/v1/indikator/zi/jawaban/", {"wilayah": MEDONO, "tahun": "2026", "kode": "mp.p.1",
                                                         "jawaban": "ya", "bukti": unggahan("sk.pdf", pdf_bytes())},
                       format="multipart")
        assert r.status_code == 200, r.content
        # One of three pemenuhan indicators of manajemen perubahan: 4 × 1/3 = 1.33; nothing else answered.
        assert r.json()["pengungkit"]["manajemen_perubahan"]["pemenuhan"]["nilai"] == 1.33
        # A change is audited with the old and the new answer.
        assert lurah.post("/api/v1/indikator/zi/jawaban/", {"wilayah": MEDONO, "tahun": "2026", "kode": "mp.p.1",
                                                            "jawaban": "tidak"}, format="multipart").status_code == 200
        j = LkeJawaban.objects.get()
        assert (j.jawaban, len(j.bukti_sha256), j.diubah_oleh) == ("tidak", 64, "lurah.medono")
        events = list(AuditEvent.objects.filter(rantai="zona_integritas").order_by("urutan"))
        assert [e.data["baru"]["jawaban"] for e in events] == ["ya", "tidak"]
        assert events[1].data["lama"] == {"jawaban": "ya", "bukti_sha256": j.bukti_sha256}
        assert events[0].aktor == "lurah.medono"
        # Bad input: 400 per field, nothing changed; an executable as evidence is refused by its content.
        for isian, kolom in (({"kode": "mp.p.1", "jawaban": "mungkin"}, "jawaban"),
                             ({"kode": "pp.r.1", "jawaban": "a"}, "kode"),  # measured by the system
                             ({"kode": "mp.p.2", "jawaban": "a", "bukti": unggahan("x.pdf", b"MZ" + b"\0" * 300)},
                              "bukti")):
            r = lurah.post("/api/v1/indikator/zi/jawaban/", {"wilayah": MEDONO, "tahun": "2026", **isian},
                           format="multipart")
            assert r.status_code == 400 and kolom in r.json(), r.content
        assert LkeJawaban.objects.count() == 1 and AuditEvent.objects.filter(rantai="zona_integritas").count() == 2
        # Only the head of the office fills its own sheet.
        assert klien(dunia.lurah_tirto).post("/api/v1/indikator/zi/jawaban/", {
            "wilayah": MEDONO, "kode": "mp.p.1", "jawaban": "ya"}, format="multipart").status_code == 404
        assert klien(dunia.petugas_medono).post("/api/v1/indikator/zi/jawaban/", {
            "wilayah": MEDONO, "kode": "mp.p.1", "jawaban": "ya"}, format="multipart").status_code == 403
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
    assert any(b[1] == "NILAI TOTAL" for b in sel)
    assert not any(isinstance(c, str) and c.startswith("=") for b in sel for c in b)


def test_desk_page_for_the_head_of_office(client, dunia):
    client.force_login(dunia.lurah_medono)
    with time_machine.travel(SEKARANG, tick=False):
        html = client.get("/petugas/lke/").content.decode()
        assert 'data-kode="mp.p.1"' in html and "diukur sistem" in html
        r = client.post("/petugas/lke/", {"kode": "mp.p.1", "jawaban": "ya",
                                          "bukti": unggahan("sk.pdf", pdf_bytes())})
        assert r.status_code == 302
        html = client.get("/petugas/lke/").content.decode()
    assert 'data-uji="pengungkit">1.33' in html or 'data-uji="pengungkit">1,33' in html
    assert LkeJawaban.objects.get().jawaban == "ya"
    client.force_login(dunia.petugas_medono)
    assert client.get("/petugas/lke/").status_code == 403
