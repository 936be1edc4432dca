"""The officers' integrity survey: once per period, results only from a minimum count, and no way for anyone,
the admin with the database included, to tie an answer to the officer who gave it."""

import re
import uuid
from itertools import pairwise

import pytest
import time_machine
from django.db import connection

from audit.models import AuditEvent
from integritas.models import JawabanSurveiPegawai, PartisipasiSurveiPegawai
from integritas.pegawai import BUTIR_PEGAWAI
from integritas.selectors import survei_pegawai_hasil
from integritas.services import DataTidakValid, SudahDiisi, survei_pegawai_simpan
from kelurahan.models import Peran
from tests.factories import MEDONO, TIRTO, Dunia, buat_petugas
from tests.pembantu_indikator import wib

SEKARANG = wib(2026, 7, 1, 10)


@pytest.fixture
def dunia(db):
    return Dunia()


def _jawab(user, kantor, nilai, **lain):
    with time_machine.travel(SEKARANG, tick=False):
        survei_pegawai_simpan(pengguna=user, kantor=kantor, jawaban=dict(zip(BUTIR_PEGAWAI, nilai, strict=True)), **lain)


def _pegawai_medono(dunia, n):
    return [dunia.petugas_medono, dunia.lurah_medono] + [
        buat_petugas(f"staf{i}.medono", Peran.PETUGAS_KELURAHAN, dunia.medono) for i in range(n - 2)]


def _tampak_admin(tabel):
    """What a database administrator reads of a table: every column plus the physical position and, on
    PostgreSQL, the inserting transaction."""
    sistem = "ctid::text, xmin::text" if connection.vendor == "postgresql" else "rowid, ''"
    with connection.cursor() as c:
        c.execute(f"SELECT {sistem}, * FROM {tabel}")
        kolom = [d[0] for d in c.description]
        return [dict(zip(kolom, baris, strict=True)) for baris in c.fetchall()]


def test_once_per_period_and_only_for_the_own_office(dunia):
    _jawab(dunia.petugas_medono, MEDONO, [4, 3, 4, 2, 3, 3, 4])
    with pytest.raises(SudahDiisi):
        _jawab(dunia.petugas_medono, MEDONO, [1] * 7)
    assert JawabanSurveiPegawai.objects.count() == 1 and PartisipasiSurveiPegawai.objects.count() == 1
    _jawab(dunia.petugas_medono, MEDONO, [1] * 7, periode="2027")  # a new period: again
    with pytest.raises(DataTidakValid) as e:
        _jawab(dunia.lurah_medono, TIRTO, [3] * 7)  # not their office
    assert "kantor" in e.value.galat
    with pytest.raises(DataTidakValid) as e:
        _jawab(dunia.lurah_medono, MEDONO, [3, 3, 3, 3, 3, 3, 5])
    assert "jawaban.pencegahan" in e.value.galat
    assert JawabanSurveiPegawai.objects.count() == 2 and PartisipasiSurveiPegawai.objects.count() == 2


def test_results_only_from_the_minimum_count(dunia, settings):
    settings.SURVEI_PEGAWAI_MIN_RESPONDEN = 3
    a, b, c = _pegawai_medono(dunia, 3)
    _jawab(a, MEDONO, [4, 4, 4, 4, 4, 4, 4])
    _jawab(b, MEDONO, [3, 2, 4, 1, 3, 2, 3])
    hasil = survei_pegawai_hasil([MEDONO, TIRTO], "2026")
    assert hasil[MEDONO] == {"responden": 2, "minimum": 3, "cukup": False, "indeks": None, "butir": None}
    assert hasil[TIRTO]["responden"] == 0 and hasil[TIRTO]["indeks"] is None
    _jawab(c, MEDONO, [2, 3, 4, 1, 2, 1, 2])
    hasil = survei_pegawai_hasil([MEDONO], "2026")[MEDONO]
    # Item means: 9/3, 9/3, 12/3, 6/3, 9/3, 7/3, 9/3 = 3, 3, 4, 2, 3, 2.333, 3; their mean 20.333/7 = 2.905 → 2.90.
    assert (hasil["responden"], hasil["cukup"], hasil["indeks"]) == (3, True, 2.9)
    assert hasil["butir"]["pencegahan"] == 3.0 and hasil["butir"]["pelaporan"] == 2.33


def test_inspectorate_dashboard_shows_it_beside_the_residents_ipak(client, dunia, settings):
    from integritas.services import survei_simpan
    from tests.test_survei import IKM, IPAK, IPKP

    settings.SURVEI_PEGAWAI_MIN_RESPONDEN = 2
    survei_simpan(permohonan_id=1, kelurahan=MEDONO, layanan="domisili", ikm=IKM, ipak={**IPAK, "pungli": 2},
                  ipkp=IPKP, diminta_bayar=False, waktu=wib(2026, 3, 2, 10))
    a, b = _pegawai_medono(dunia, 2)
    _jawab(a, MEDONO, [4, 4, 4, 4, 4, 4, 4])
    _jawab(dunia.petugas_tirto, TIRTO, [1] * 7)
    client.force_login(dunia.inspektorat)
    with time_machine.travel(SEKARANG, tick=False):
        html = client.get("/dasbor/inspektorat/", {"dari": "2026-01-01", "sampai": "2026-06-30"}).content.decode()
    medono = html.split(f'data-kantor="{MEDONO}"', 1)[1].split("</tr>", 1)[0]
    # IPAK (4+4+4+2+4)/5 = 3.60; one officer answered of the two required: not shown yet.
    assert re.search(r"<td>3[,.]6</td>", medono) and 'data-uji="indeks-pegawai">belum cukup' in medono
    _jawab(b, MEDONO, [2, 2, 2, 2, 2, 2, 2])
    with time_machine.travel(SEKARANG, tick=False):
        html = client.get("/dasbor/inspektorat/", {"dari": "2026-01-01", "sampai": "2026-06-30"}).content.decode()
    medono = html.split(f'data-kantor="{MEDONO}"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-uji="indeks-pegawai">3[,.]0<', medono)
    tirto = html.split(f'data-kantor="{TIRTO}"', 1)[1].split("</tr>", 1)[0]
    assert "belum cukup" in tirto  # a single answer from Tirto stays hidden


def test_web_form_for_officers(client, dunia):
    client.force_login(dunia.petugas_medono)
    with time_machine.travel(SEKARANG, tick=False):
        html = client.get("/petugas/survei-integritas/").content.decode()
        assert "Promosi, mutasi dan pembagian tugas" in html
        r = client.post("/petugas/survei-integritas/", {"kantor": MEDONO, **dict.fromkeys(BUTIR_PEGAWAI, "3")})
        assert r.status_code == 302
        assert 'data-uji="sudah"' in client.get("/petugas/survei-integritas/").content.decode()
        r = client.post("/petugas/survei-integritas/", {"kantor": MEDONO, **dict.fromkeys(BUTIR_PEGAWAI, "1")})
    assert JawabanSurveiPegawai.objects.get().transparansi == 3


def _anonimitas(dunia):
    """Three officers answer in turn; after each answer, what the database administrator sees."""
    a, b, c = _pegawai_medono(dunia, 3)
    jawaban = {a: [4, 4, 4, 4, 4, 4, 4], b: [3, 3, 3, 3, 3, 3, 3], c: [1, 2, 1, 2, 1, 2, 1]}
    terlihat = []
    for user, nilai in jawaban.items():
        _jawab(user, MEDONO, nilai)
        terlihat.append((_tampak_admin("integritas_jawabansurveipegawai"),
                         _tampak_admin("integritas_partisipasisurveipegawai")))
    return jawaban, terlihat


def _periksa_tidak_tertaut(jawaban, terlihat):
    # 1. The answer row carries the office, the period and the scores: no user, no time, no date.
    kolom = {f.column for f in JawabanSurveiPegawai._meta.fields}
    assert kolom == {"id", "kantor", "periode", *BUTIR_PEGAWAI}
    assert {f.column for f in PartisipasiSurveiPegawai._meta.fields} == {"id", "user_id", "periode"}
    # 2. Nothing but the period is common to a participation row and an answer row: the ids are random and
    #    separate, and no column of one refers to the other.
    jawab_akhir, ikut_akhir = terlihat[-1]
    assert not {str(j["id"]) for j in jawab_akhir} & {str(p["id"]) for p in ikut_akhir}
    assert {f.column for f in JawabanSurveiPegawai._meta.fields} & {
        f.column for f in PartisipasiSurveiPegawai._meta.fields} == {"id", "periode"}
    # 3. At each answer every row of the office was written anew, under fresh random ids: ids, positions and
    #    transaction ids say only "present after the latest answer", never which answer came when.
    for (sebelum, _ikut), (sesudah, ikut) in pairwise(terlihat):
        assert not {r["id"] for r in sebelum} & {r["id"] for r in sesudah}
        assert all(uuid.UUID(str(r["id"])).version == 4 for r in sesudah)
        if connection.vendor == "postgresql":
            assert len({r["xmin"] for r in sesudah}) == 1  # one transaction wrote them all
            # ... the latest one: no earlier participant's transaction is found on any answer row.
            terbaru = max(int(p["xmin"]) for p in ikut)
            assert not {p["xmin"] for p in ikut if int(p["xmin"]) < terbaru - 1} & {r["xmin"] for r in sesudah}
    # 4. The ledger holds no event of the officers' survey, whose order and time would link the two.
    assert not AuditEvent.objects.filter(data__icontains="pegawai").exists()
    assert not AuditEvent.objects.filter(objek_tipe__icontains="survei").exists()
    # 5. The answers are all there, as a multiset.
    assert sorted(tuple(r[k] for k in BUTIR_PEGAWAI) for r in jawab_akhir) == sorted(
        tuple(v) for v in jawaban.values())


def test_nobody_can_tie_an_answer_to_an_officer(dunia):
    _periksa_tidak_tertaut(*_anonimitas(dunia))


def test_physical_order_is_shuffled_not_the_order_of_arrival(dunia, monkeypatch):
    """The rewrite shuffles with the system's random source: with it replaced by a reversal, the table's
    order is the reverse of arrival, which shows the order is the shuffle's, not the officers'."""
    import random

    monkeypatch.setattr(random.SystemRandom, "shuffle", lambda self, x: x.reverse())
    jawaban, terlihat = _anonimitas(dunia)
    urut = [tuple(r[k] for k in BUTIR_PEGAWAI) for r in sorted(terlihat[-1][0], key=lambda r: str(r["rowid"]) if
                                                                 "rowid" in r else r["ctid"])]
    assert urut[0] == tuple(jawaban[list(jawaban)[-1]])  # the latest arrival written first


@pytest.mark.postgres
def test_nobody_can_tie_an_answer_to_an_officer_on_postgresql(dunia):
    assert connection.vendor == "postgresql"
    _periksa_tidak_tertaut(*_anonimitas(dunia))
