"""The IKM form as Permenpan RB 14/2017's sample questionnaire asks it, the respondent profile, NRR per unsur
on the dashboards and the transparency page, and the public warning below the Krejcie–Morgan minimum."""

import re

import pytest
import time_machine
from django.utils import translation

from integritas import ikm
from integritas.models import Survei
from integritas.services import DataTidakValid, survei_simpan
from tests.factories import Dunia
from tests.pembantu_indikator import MEDONO, permohonan_selesai, wib
from tests.test_api_lifecycle import klien
from tests.test_survei import IKM, IPAK, IPKP, _isi, _selesai

SEKARANG = wib(2026, 7, 1, 10)


@pytest.fixture
def dunia(db):
    return Dunia()


def test_questionnaire_text_of_the_regulation_in_both_languages(dunia):
    k = klien().get("/api/v1/survei/").json()
    pertanyaan = {b["kunci"]: b["label"] for b in k["ikm"]}
    assert pertanyaan["persyaratan"] == ("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
                                         "dengan jenis pelayanannya?")
    assert pertanyaan["prosedur"] == "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"
    assert pertanyaan["pengaduan"] == "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"
    assert pertanyaan["sarana"] == "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"
    assert all(b["label"].startswith("Bagaimana") and b["label"].endswith("?") for b in k["ikm"])
    assert {b["kunci"]: b["unsur"] for b in k["ikm"]}["prosedur"] == "Sistem, mekanisme dan prosedur"
    assert [p["kunci"] for p in k["profil"]] == ["jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
    assert not any(p["wajib"] for p in k["profil"])
    en = klien().get("/api/v1/survei/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {b["kunci"]: b["label"] for b in en["ikm"]}["persyaratan"] == (
        "How well do the requirements of the service match the kind of service?")
    with translation.override("en"):
        assert all(str(ikm.PERTANYAAN_IKM[u]) != str(pertanyaan[u]) for u in ikm.UNSUR_IKM)


def test_web_form_shows_the_questions_and_stores_the_optional_profile(client, dunia):
    from integritas.services import survei_tautan

    p = _selesai(dunia)
    tautan = survei_tautan(p).split("/survei/")[1]
    html = client.get(f"/survei/{tautan}").content.decode()
    assert "kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan" in html
    assert 'name="profil_pendidikan"' in html and "Tidak ingin menjawab".lower() in html.lower()
    isian = {f"{b}_{k}": v for b, d in (("ikm", IKM), ("ipak", IPAK), ("ipkp", IPKP)) for k, v in d.items()}
    r = client.post(f"/survei/{tautan}", {**isian, "diminta_bayar": "tidak", "profil_jenis_kelamin": "P",
                                          "profil_usia": "30-39", "profil_pendidikan": "", "profil_pekerjaan": "swasta"})
    assert r.status_code == 200 and Survei.objects.count() == 1
    s = Survei.objects.get()
    assert (s.responden_jenis_kelamin, s.responden_usia, s.responden_pendidikan, s.responden_pekerjaan) == (
        "P", "30-39", None, "swasta")


def test_api_profile_optional_and_checked(dunia):
    p = _selesai(dunia)
    r = klien(dunia.warga.user).post("/api/v1/survei/", _isi(p, profil={"usia": "tua", "agama": "x"}), format="json")
    assert r.status_code == 400
    assert "profil.usia" in r.json() and "profil.agama" in r.json()
    assert Survei.objects.count() == 0
    r = klien(dunia.warga.user).post("/api/v1/survei/", _isi(p, profil={"usia": "60+"}), format="json")
    assert r.status_code == 201
    assert Survei.objects.get().responden_usia == "60+"
    with pytest.raises(DataTidakValid):
        survei_simpan(permohonan_id=99, kelurahan=MEDONO, layanan="domisili", ikm=IKM, ipak=IPAK, ipkp=IPKP,
                      diminta_bayar=False, profil="perempuan")


def _tiga_survei():
    """Three answers whose NRR are worked by hand below."""
    lain = dict.fromkeys(ikm.UNSUR_IKM, 3)
    jawaban = [
        {**lain, "persyaratan": 4, "prosedur": 4, "waktu": 1},
        {**lain, "persyaratan": 3, "prosedur": 4, "waktu": 2},
        {**lain, "persyaratan": 2, "prosedur": 3, "waktu": 2},
    ]
    for i, satu in enumerate(jawaban, start=1):
        survei_simpan(permohonan_id=i, kelurahan=MEDONO, layanan="domisili", ikm=satu, ipak=IPAK, ipkp=IPKP,
                      diminta_bayar=False, waktu=wib(2026, 3, 10 + i, 10))


# NRR = sum ÷ respondents: persyaratan (4+3+2)/3 = 3.000, prosedur (4+4+3)/3 = 3.667, waktu (1+2+2)/3 = 1.667,
# the other six 3.000. IKM = (3 + 3.6667 + 1.6667 + 6 × 3)/9 × 25 = (26.3333/9) × 25 = 73.148… → 73.15 (C).
NRR_TANGAN = {**dict.fromkeys(ikm.UNSUR_IKM, 3.0), "prosedur": 3.667, "waktu": 1.667}


def test_nrr_per_unsur_equals_the_hand_computation_on_api_dashboards_and_transparency(client, dunia):
    for i in range(1, 5):  # four finished requests in semester 1: the population
        permohonan_selesai(i, wib(2026, 3, 2, 9), jam_kelurahan=1)
    _tiga_survei()
    with time_machine.travel(SEKARANG, tick=False):
        hasil = klien(dunia.camat).get("/api/v1/indikator/", {"wilayah": MEDONO, "dari": "2026-01-01",
                                                              "sampai": "2026-06-30"}).json()
        assert hasil["ikm"]["nrr"] == NRR_TANGAN
        assert (hasil["ikm"]["nilai"], hasil["ikm"]["mutu"]) == (73.15, "C")
        for user, url in ((dunia.camat, "/dasbor/kecamatan/"), (dunia.lurah_medono, "/dasbor/kelurahan/"),
                          (dunia.inspektorat, "/dasbor/inspektorat/")):
            client.force_login(user)
            html = client.get(url, {"wilayah": MEDONO, "dari": "2026-01-01", "sampai": "2026-06-30"}).content.decode()
            assert re.search(r'data-unsur="prosedur"><td>[^<]+</td><td>3[,.]667</td><td>91[,.]67</td>', html), url
            assert re.search(r'data-unsur="waktu"><td>[^<]+</td><td>1[,.]667</td><td>41[,.]67</td>', html), url
        client.logout()
        publik = klien().get(f"/api/v1/transparansi/{MEDONO}/").json()
        assert publik["ikm"]["nrr"] == NRR_TANGAN
        html = client.get(f"/transparansi/{MEDONO}/").content.decode()
    assert re.search(r'data-unsur="persyaratan"><td>Persyaratan</td><td>3[,.]000</td><td>75[,.]00</td>', html)
    # Four served, three answered: Krejcie–Morgan asks for 4 of 4, so the figure is published qualified.
    assert publik["ikm"]["sampel_minimum"] == 4 and publik["ikm"]["sampel_cukup"] is False
    assert 'data-uji="sampel-kurang"' in html and "3 responden" in html and "adalah 4" in html
    assert re.search(r'data-uji="ikm">73[,.]15 — mutu C \(Kurang Baik\)\*', html)


def test_public_page_publishes_unqualified_once_the_sample_suffices(client, dunia):
    for i in range(1, 4):
        permohonan_selesai(i, wib(2026, 3, 2, 9), jam_kelurahan=1)
    _tiga_survei()
    with time_machine.travel(SEKARANG, tick=False):
        html = client.get(f"/transparansi/{MEDONO}/").content.decode()
    assert ikm.sampel_minimum(3) == 3
    assert 'data-uji="sampel-kurang"' not in html
    assert re.search(r'data-uji="ikm">73[,.]15 — mutu C \(Kurang Baik\)</dd>', html)
