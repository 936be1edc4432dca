"""IKM per Permenpan RB 14/2017, IPAK/IPKP and the Krejcie–Morgan minimum."""

from decimal import Decimal
from fractions import Fraction

import pytest

from integritas import ikm


def _responden(jumlah_per_unsur_total: int, n: int) -> list[dict]:
    """n respondents whose answers over all nine unsur add up to exactly `jumlah_per_unsur_total`."""
    jawaban = [dict.fromkeys(ikm.UNSUR_IKM, 4) for _ in range(n)]
    kurang = 36 * n - jumlah_per_unsur_total
    for satu in jawaban:
        for unsur in ikm.UNSUR_IKM:
            if kurang == 0:
                return jawaban
            turun = min(3, kurang)
            satu[unsur] -= turun
            kurang -= turun
    assert kurang == 0
    return jawaban


def test_semua_menjawab_4_memberi_100_a_sangat_baik():
    hasil = ikm.ikm_hitung([dict.fromkeys(ikm.UNSUR_IKM, 4)])
    assert hasil.nilai == Decimal("100.00")
    assert hasil.mutu == "A"
    assert str(hasil.kinerja) == "Sangat Baik"
    assert hasil.responden == 1


def test_semua_menjawab_1_memberi_25_d():
    hasil = ikm.ikm_hitung([dict.fromkeys(ikm.UNSUR_IKM, 1)] * 3)
    assert (hasil.nilai, hasil.mutu, str(hasil.kinerja)) == (Decimal("25.00"), "D", "Tidak Baik")


def test_tepat_88_30_adalah_b_dan_88_31_adalah_a():
    # 19 respondents, 604 points: 604/19 × 25/9 = 88.3040… → 88.30 → B (Kota Pekalongan 2022 S1).
    b = ikm.ikm_hitung(_responden(604, 19))
    assert b.nilai == Decimal("88.30")
    assert (b.mutu, str(b.kinerja)) == ("B", "Baik")
    # 24 respondents, 763 points: 88.3101… → 88.31 → A.
    a = ikm.ikm_hitung(_responden(763, 24))
    assert a.nilai == Decimal("88.31")
    assert (a.mutu, str(a.kinerja)) == ("A", "Sangat Baik")


def test_batas_mutu_lain_setelah_pembulatan():
    assert ikm.mutu_ikm(Decimal("76.61"))[0] == "B"
    assert ikm.mutu_ikm(Decimal("76.60"))[0] == "C"
    assert ikm.mutu_ikm(Decimal("65.00"))[0] == "C"
    assert ikm.mutu_ikm(Decimal("64.99"))[0] == "D"


def test_bobot_tepat_sepersembilan_bukan_0_111():
    assert ikm.BOBOT_UNSUR == Fraction(1, 9)
    jawaban = _responden(763, 24)
    # With 0.111 the same answers give 88.22, mutu B: the case really tells the two weights apart.
    dengan_0111 = sum(Fraction(sum(j[u] for j in jawaban), 24) * Fraction("0.111") for u in ikm.UNSUR_IKM) * 25
    assert ikm.bulatkan(dengan_0111) == Decimal("88.22")
    assert ikm.ikm_hitung(jawaban).nilai == Decimal("88.31")
    # And the all-4 case: 0.111 would give 99.90.
    assert ikm.ikm_hitung([dict.fromkeys(ikm.UNSUR_IKM, 4)]).nilai == Decimal("100.00")


def test_unsur_dicocokkan_menurut_nama_bukan_urutan():
    satu = {u: 4 for u in ikm.UNSUR_IKM}
    satu["pengaduan"] = 1  # unsur 8
    terbalik = dict(reversed(list(satu.items())))
    # A column order that swaps unsur 8 and 9, as some publications do.
    tukar = {k: satu[k] for k in ["sarana", "pengaduan", *ikm.UNSUR_IKM[:7]]}
    hasil = [ikm.ikm_hitung([x]) for x in (satu, terbalik, tukar)]
    assert {h.nilai for h in hasil} == {Decimal("91.67")}
    assert all(h.nrr["pengaduan"] == Decimal("1.000") and h.nrr["sarana"] == Decimal("4.000") for h in hasil)


def test_unsur_kurang_atau_skor_di_luar_skala_ditolak():
    kurang = dict.fromkeys(ikm.UNSUR_IKM[:8], 4)
    with pytest.raises(ValueError):
        ikm.ikm_hitung([kurang])
    with pytest.raises(ValueError):
        ikm.ikm_hitung([{**dict.fromkeys(ikm.UNSUR_IKM, 4), "waktu": 5}])
    with pytest.raises(ValueError):
        ikm.ikm_dari_jumlah(dict.fromkeys(ikm.UNSUR_IKM[:8], 4), 1)


def test_tanpa_responden_tidak_ada_nilai():
    hasil = ikm.ikm_hitung([])
    assert (hasil.nilai, hasil.mutu, hasil.responden) == (None, None, 0)


def test_pembulatan_setengah_ke_atas_tanpa_float():
    assert ikm.bulatkan(Fraction(88305, 1000)) == Decimal("88.31")
    assert ikm.bulatkan(Fraction(88304999, 1000000)) == Decimal("88.30")
    assert ikm.bulatkan(Fraction(1, 8), "0.01") == Decimal("0.13")


def test_ipak_ipkp_rata_rata_butir():
    a = dict.fromkeys(ikm.ITEM_IPAK, 4)
    b = {**dict.fromkeys(ikm.ITEM_IPAK, 3), "pungli": 1}
    # item means: 3.5 ×4 and 2.5 → (14 + 2.5) / 5 = 3.30
    assert ikm.indeks_hitung([a, b], ikm.ITEM_IPAK) == Decimal("3.30")
    assert ikm.indeks_hitung([dict.fromkeys(ikm.ITEM_IPKP, 2)], ikm.ITEM_IPKP) == Decimal("2.00")
    assert ikm.nilai_zi(Decimal("3.60"), Decimal("17.5")) == Decimal("15.75")
    assert ikm.nilai_zi(Decimal("3.20"), Decimal("17.5")) == Decimal("14.00")


@pytest.mark.parametrize("populasi, sampel", [(100, 80), (1000, 278), (10000, 370), (1000000, 384), (0, 0), (1, 1)])
def test_krejcie_morgan(populasi, sampel):
    assert ikm.sampel_minimum(populasi) == sampel
