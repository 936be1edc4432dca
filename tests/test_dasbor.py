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


KODE_MENTAH = {MEDONO, TIRTO, PEKALONGAN_BARAT, "domisili", "pungli", "diterima", "diajukan", "online",
               "petugas.malam", "luar_jam_kerja", "di_luar_urutan"}


def _sel_html(html: str) -> list[str]:
    """The text of every table cell a person reads (attributes and links' targets aside)."""
    sel = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", s)).strip() for s in sel]


def _sel_ekspor(r) -> list[str]:
    import csv
    import io

    from openpyxl import load_workbook

    if r["Content-Type"].startswith("text/csv"):
        return [s for baris in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))) for s in baris]
    return [str(c.value) for baris in load_workbook(io.BytesIO(r.content)).active.iter_rows() for c in baris
            if c.value is not None]


def test_inspektorat_membaca_nama_bukan_kode_di_halaman_dan_ekspor(client, dunia):
    """Issue 18: the signal table, the complaint queue, the per-unit table and the overdue list show the
    kelurahan, service, officer and status by name, and so do the CSV/XLSX exports; no cell holds a code."""
    from kelurahan.models import Peran
    from tests.factories import buat_petugas
    from tests.pembantu_indikator import catat

    malam = buat_petugas("petugas.malam", Peran.PETUGAS_KELURAHAN, dunia.medono, nama="Rudi Hartono")
    permohonan_selesai(4, wib(2026, 5, 4, 9), jam_kelurahan=2, petugas_=malam, lurah=malam, dalam_jam_kerja=False)
    catat(5, "ajukan", "", "diajukan", wib(2026, 6, 1, 9), kelurahan=TIRTO, peran="warga",
          sla={"jatah_detik": 8 * 3600, "tenggat": wib(2026, 6, 3, 9).isoformat(), "dalam_jam_kerja": True})
    html = _buka(client, dunia.inspektorat, "/dasbor/inspektorat/").content.decode()
    sel = _sel_html(html)
    assert "Aksi petugas di luar jam layanan" in sel and "Rudi Hartono" in sel
    assert {"Medono", "Tirto", "Pekalongan Barat", "Surat Keterangan Domisili", "Diajukan"} <= set(sel)
    assert not KODE_MENTAH & set(sel), KODE_MENTAH & set(sel)
    antrean = _buka(client, dunia.inspektorat, "/petugas/pengaduan/").content.decode()
    assert "Medono" in _sel_html(antrean) and not KODE_MENTAH & set(_sel_html(antrean))

    client.force_login(dunia.inspektorat)
    periode = {"dari": "2026-01-01", "sampai": "2026-06-30"}
    with time_machine.travel(SEKARANG, tick=False):
        for jenis in ("csv", "xlsx"):
            ekspor = {
                "sinyal": client.get("/api/v1/indikator/sinyal/", {"wilayah": KOTA, **periode, "ekspor": jenis}),
                "pengaduan": client.get("/api/v1/pengaduan/", {"ekspor": jenis}),
                "rincian": client.get("/api/v1/indikator/rincian/",
                                      {"wilayah": PEKALONGAN_BARAT, **periode, "ekspor": jenis}),
                "lewat": client.get("/api/v1/indikator/lewat-tenggat/", {"wilayah": KOTA, "ekspor": jenis}),
            }
            sel = {nama: _sel_ekspor(r) for nama, r in ekspor.items()}
            assert {"Medono", "Rudi Hartono", "Aksi petugas di luar jam layanan"} <= set(sel["sinyal"])
            assert {"Medono", "Pungutan liar", "Diterima"} <= set(sel["pengaduan"])
            assert {"Pekalongan Barat", "Medono", "Tirto"} <= set(sel["rincian"])
            assert {"Tirto", "Surat Keterangan Domisili", "Diajukan", "Daring"} <= set(sel["lewat"]), sel["lewat"]
            for nama, isi in sel.items():
                assert not KODE_MENTAH & set(isi), (jenis, nama, KODE_MENTAH & set(isi))


def test_ambang_lampu_dari_pengaturan_mengubah_warna(client, dunia, settings):
    """The traffic-light thresholds are settings (LAMPU_*): the same figures change colour when they change,
    and the legend under the table says the thresholds in force."""
    def lampu(html):
        kepatuhan = re.search(r'data-uji="kepatuhan">.*?data-lampu="(\w+)"', html, re.S)[1]
        return kepatuhan, re.search(r'<tr data-wilayah="33.75.01.1002">.*?</tr>', html, re.S)[0]

    html = _buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode()
    assert lampu(html)[0] == "merah"  # 66.7 % under the default 85 %
    assert "sedikitnya 95 %" in html
    settings.LAMPU_SLA_HIJAU, settings.LAMPU_SLA_KUNING = 0.9, 0.6
    html = _buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode()
    assert lampu(html)[0] == "kuning" and "sedikitnya 90 %" in html and "di bawah 60 %" in html
    settings.LAMPU_SLA_HIJAU = settings.LAMPU_SLA_KUNING = 0.5
    html = _buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode()
    assert lampu(html)[0] == "hijau"
    # Medono's 50 % is amber at (0.9, 0.5), red at (0.9, 0.6).
    settings.LAMPU_SLA_HIJAU = 0.9
    assert 'data-lampu="kuning"' in lampu(_buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode())[1]


def test_ambang_lampu_ikm_dari_pengaturan(settings):
    from integritas.indikator import keterangan_lampu, lampu_ikm

    assert [lampu_ikm(m) for m in "ABCD"] == ["hijau", "hijau", "kuning", "merah"]
    settings.LAMPU_IKM_HIJAU, settings.LAMPU_IKM_KUNING = "A", "B"
    assert [lampu_ikm(m) for m in "ABCD"] == ["hijau", "kuning", "merah", "merah"]
    assert keterangan_lampu()["mutu_merah"] == "C/D"


@pytest.mark.parametrize(("ubah", "sah"), [
    ({}, True),
    ({"LAMPU_SLA_HIJAU": 0.9, "LAMPU_SLA_KUNING": 0.9}, True),
    ({"LAMPU_SLA_HIJAU": 0.8, "LAMPU_SLA_KUNING": 0.85}, False),  # green under amber
    ({"LAMPU_SLA_HIJAU": 95, "LAMPU_SLA_KUNING": 85}, False),  # percent, not a 0..1 fraction
    ({"LAMPU_SLA_KUNING": -0.1}, False),
    ({"LAMPU_SLA_HIJAU": "sembilan"}, False),  # unreadable in the environment: kept as text
    ({"LAMPU_IKM_HIJAU": "C", "LAMPU_IKM_KUNING": "B"}, False),
    ({"LAMPU_IKM_HIJAU": "E"}, False),
    ({"LAMPU_IKM_HIJAU": "AB"}, False),
])
def test_pemeriksaan_sistem_menolak_ambang_lampu_yang_salah(settings, ubah, sah):
    from django.core import checks

    for nama, nilai in ubah.items():
        setattr(settings, nama, nilai)
    # Through Django's registry, as `manage.py check` runs it (other production errors of the test
    # settings aside).
    assert ("simpatik.E007" in {e.id for e in checks.run_checks()}) is not sah


def test_perubahan_ambang_lampu_tercatat_di_log_audit_dan_tampil_di_dasbor(client, dunia, settings):
    """Thresholds live in the environment, where whoever runs the server could turn every light green: the beat
    task records each change on the system chain with the values before and after, the chain still verifies,
    and the dashboard says since when the thresholds in force hold."""
    from io import StringIO

    from django.core.management import call_command

    from audit.models import AuditEvent
    from integritas.tasks import ambang_lampu_catat

    html = _buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode()
    assert "belum tercatat di log audit" in html
    with time_machine.travel(wib(2026, 6, 30, 8), tick=False):
        assert ambang_lampu_catat.delay().get() is True
        assert ambang_lampu_catat.delay().get() is False  # nothing changed: nothing written
    settings.LAMPU_SLA_HIJAU, settings.LAMPU_IKM_HIJAU = 0.9, "C"
    # Changed, and beat has not run since (or is stopped): the dashboard does not vouch for the new values.
    html = _buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode()
    assert "belum tercatat di log audit" in html and "tercatat di log audit sejak" not in html
    with time_machine.travel(wib(2026, 6, 30, 21, 15), tick=False):
        assert ambang_lampu_catat.delay().get() is True
    pertama, kedua = AuditEvent.objects.filter(rantai="sistem", aksi="ambang_lampu").order_by("urutan")
    assert pertama.data == {"sebelumnya": None, "ambang": {"sla_hijau": "0.95", "sla_kuning": "0.85",
                                                           "ikm_hijau": "B", "ikm_kuning": "C"}}
    assert kedua.data["sebelumnya"] == pertama.data["ambang"]
    assert kedua.data["ambang"] == {"sla_hijau": "0.9", "sla_kuning": "0.85", "ikm_hijau": "C", "ikm_kuning": "C"}
    assert kedua.kategori == "master_data"
    html = _buka(client, dunia.camat, "/dasbor/kecamatan/").content.decode()
    assert re.search(r'data-uji="ambang-tercatat">[^<]*sejak 30 Juni 2026 21\.15', html), html[-3000:]
    call_command("audit_verify", stdout=StringIO())
