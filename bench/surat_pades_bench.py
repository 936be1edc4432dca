"""Extra time per letter of the PAdES signature (docs/surat.md "Digital signature").

Issues N letters of the test fixtures' kelurahan without and then with a
throwaway RSA-2048 certificate, and times `surat_terbitkan` (render + sign +
store + audit, the span during which the office's number counter is locked)
and the signing step alone on the same rendered letter. Reports wall and CPU
medians (CPU time is steadier on a shared machine).

    python -m pytest bench/surat_pades_bench.py -q -s
"""

import statistics
import time

import pytest
from django.db import transaction

from layanan.surat.pades import pades_tandatangani
from layanan.surat.terbit import surat_terbitkan
from tests.fixtures_surat import *  # noqa: F403  (fixtures: wilayah, kantor, petugas, layanan, warga, permohonan)
from tests.fixtures_surat import WAKTU, buat_permohonan
from tests.test_surat_pades import KATA_SANDI, buat_sertifikat

JUMLAH = 10


def _ukur(fungsi, n):
    dinding, cpu = [], []
    for i in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        fungsi(i)
        dinding.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(dinding), statistics.median(cpu)


def test_ukur_tambahan_waktu_tanda_tangan(wilayah, kantor, layanan, warga, petugas, settings, tmp_path):
    def terbitkan(_):
        p = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
        with transaction.atomic():
            return surat_terbitkan(permohonan=p, penandatangan=petugas["lurah"], waktu=WAKTU)

    settings.SURAT_PKCS12_PATH = ""
    terbitkan(-1)  # warm-up: WeasyPrint fonts, template cache
    tanpa = _ukur(terbitkan, JUMLAH)
    contoh = terbitkan(-2)
    with contoh.berkas_pdf.open("rb") as berkas:
        pdf = berkas.read()

    path, _ = buat_sertifikat(tmp_path)
    settings.SURAT_PKCS12_PATH, settings.SURAT_PKCS12_PASSPHRASE = str(path), KATA_SANDI
    terbitkan(-3)  # warm-up: pyHanko imports, PKCS#12 loaded once and cached
    dengan = _ukur(terbitkan, JUMLAH)
    tanda_tangan = _ukur(lambda _: pades_tandatangani(pdf, alasan="bench", lokasi="bench"), JUMLAH)
    signed, _ = pades_tandatangani(pdf, alasan="bench", lokasi="bench")

    print(f"\nletters per run: {JUMLAH}; PDF {len(pdf)} bytes unsigned, {len(signed)} signed")
    print(f"surat_terbitkan unsigned: wall {tanpa[0]*1000:.0f} ms, cpu {tanpa[1]*1000:.0f} ms (median)")
    print(f"surat_terbitkan signed:   wall {dengan[0]*1000:.0f} ms, cpu {dengan[1]*1000:.0f} ms (median)")
    print(f"signing step alone:       wall {tanda_tangan[0]*1000:.0f} ms, cpu {tanda_tangan[1]*1000:.0f} ms (median)")
    assert len(signed) > len(pdf)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY_PATH = tmp_path / "signing_key.pem"
