"""Dashboards of the camat, the lurah and the inspectorate: scope, figures, exports and the chart."""

import json
import re

import pytest
import time_machine

from integritas.services import pengaduan_buat
from tests.factories import Dunia
from tests.pembantu_indikator import KOTA, MEDONO, PEKALONGAN_BARAT, TIRTO, permohonan_selesai, wib

SEKARANG = wib(2026, 7, 1, 10)


@pytest.fixture
def dunia(db):
    dunia = Dunia()
    permohonan_selesai(1, wib(2026, 3, 2, 9), jam_kelurahan=3, selesai=wib(2026, 3, 5, 9))
    permohonan_selesai(2, wib(2026, 3, 2, 13), jam_kelurahan=1, selesai=wib(2026, 3, 3, 9), memenuhi=False)
    permohonan_selesai(3, wib(2026, 4, 6, 9), jam_kelurahan=2, kelurahan=TIRTO)
    pengaduan_buat(kategori="pungli", isi="Diminta uang di loket kelurahan.", kelurahan=MEDONO,
                   waktu=wib(2026, 5, 4, 9))
    return dunia


def _buka(client, user, url, **params):
    client.force_login(user)
    with time_machine.travel(SEKARANG, tick=False):
        return client.get(url, {"dari": "2026-01-01", "sampai": "2026-06-30", **params})


def _tren(html: str) -> list:
    return json.loads(re.search(r'<script id="data-tren" type="application/json">(.*?)</script>', html, re.S)[1])


def test_camat_melihat_tabel_per_kelurahan_tren_dan_ekspor(client, dunia):
    r = _buka(client, dunia.camat, "/dasbor/kecamatan/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Pekalongan Barat" in html
    for kode in (MEDONO, TIRTO):
        assert f'data-wilayah="{kode}"' in html
    assert "ekspor=csv" in html and "ekspor=xlsx" in html
    assert "integritas/chart.umd.js" in html
    assert _tren(html) == [
        {"bulan": "2026-03", "selesai": 2, "kepatuhan_sla": 0.5, "ikm": None, "responden": 0},
        {"bulan": "2026-04", "selesai": 1, "kepatuhan_sla": 1.0, "ikm": None, "responden": 0},
    ]
    assert re.search(r'data-uji="kepatuhan">66[,.]7 %', html)
    # No signals or complaint queue on the camat's page: those are the inspectorate's.
    assert "Antrean pengaduan" not in html and "Diminta uang" not in html


def test_lurah_hanya_kantornya(client, dunia):
    r = _buka(client, dunia.lurah_medono, "/dasbor/kelurahan/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-wilayah="{MEDONO}"' in html and f'data-wilayah="{TIRTO}"' not in html
    assert _buka(client, dunia.lurah_medono, "/dasbor/kelurahan/", wilayah=TIRTO).status_code == 404
    assert _buka(client, dunia.lurah_medono, "/dasbor/kecamatan/").status_code == 403
    assert _buka(client, dunia.lurah_medono, "/dasbor/inspektorat/").status_code == 403


def test_inspektorat_sinyal_antrean_pengaduan_dan_kesiapan_zi(client, dunia):
    r = _buka(client, dunia.inspektorat, "/dasbor/inspektorat/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-wilayah="{KOTA}"' in html and f'data-wilayah="{PEKALONGAN_BARAT}"' in html
    assert "sinyal-di_luar_urutan" in html and "/petugas/permohonan/2/" in html
    assert "Pungutan liar" in html  # the open complaint in the queue
    assert "Kesiapan Zona Integritas" in html


def test_pengalihan_menurut_peran_dan_petugas_biasa_ditolak(client, dunia):
    client.force_login(dunia.camat)
    assert client.get("/dasbor/")["Location"].endswith("/dasbor/kecamatan/")
    client.force_login(dunia.inspektorat)
    assert client.get("/dasbor/")["Location"].endswith("/dasbor/inspektorat/")
    client.force_login(dunia.petugas_medono)
    assert client.get("/dasbor/").status_code == 403
    assert client.get("/dasbor/kelurahan/").status_code == 403
    client.logout()
    assert client.get("/dasbor/kecamatan/").status_code == 302  # to the sign-in page
    client.force_login(dunia.camat)
    assert client.get("/dasbor/kecamatan/", {"dari": "kemarin"}).status_code == 404


def test_ekspor_dengan_sesi_peramban(client, dunia):
    client.force_login(dunia.camat)
    with time_machine.travel(SEKARANG, tick=False):
        r = client.get("/api/v1/indikator/rincian/", {"wilayah": PEKALONGAN_BARAT, "dari": "2026-01-01",
                                                        "sampai": "2026-06-30", "ekspor": "xlsx"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')


def test_halaman_transparansi_publik(client, dunia):
    with time_machine.travel(SEKARANG, tick=False):
        r = client.get(f"/transparansi/{MEDONO}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Medono" in html and "2026-1" in html
    assert re.search(r'data-uji="kepatuhan">50[,.]0 %', html)
    assert "Diminta uang" not in html  # complaint counts only, never their content
    assert client.get(f"/transparansi/{PEKALONGAN_BARAT}/").status_code == 404
    assert client.get(f"/transparansi/{MEDONO}/", {"semester": "x"}).status_code == 404


def test_halaman_transparansi_menunjukkan_checkpoint_terakhir_kelurahan(client, dunia):
    """Each kelurahan's public page shows its chain's latest signed checkpoint: a witness anyone can keep."""
    from audit.checkpoint import checkpoint_semua
    from audit.models import Checkpoint

    with time_machine.travel(SEKARANG, tick=False):
        assert 'data-uji="checkpoint"' not in client.get(f"/transparansi/{MEDONO}/").content.decode()
        checkpoint_semua()
        cp = Checkpoint.objects.get(rantai=MEDONO)
        html = client.get(f"/transparansi/{MEDONO}/").content.decode()
        data = client.get(f"/api/v1/transparansi/{MEDONO}/").json()
    assert re.search(rf'data-uji="checkpoint">.*{cp.ukuran} kejadian, akar\s*<code>{cp.akar[:16]}</code>', html, re.S)
    assert cp.teks.splitlines()[2] in html  # the signed note itself, base64 root and all
    assert data["checkpoint"]["ukuran"] == cp.ukuran and data["checkpoint"]["akar"] == cp.akar
