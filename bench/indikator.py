"""Indicator queries on the generated history: a kelurahan-month, a kecamatan-year, the kota-year.

    python -m bench indikator [--ulang 5] [--tahun 2025]

Times the real `integritas.indikator.indikator_hitung` (requests, SLA compliance and
processing times from the projection of the chain, surveys, complaints, chain
status), the same call the indicator API and dashboards make. Each query runs
`--ulang` times. The best and the median are reported; the first run, which
reads pages from disk, is reported separately.
"""

import argparse
import statistics
import time
from datetime import date

from bench.common import siapkan_django

TARGET_KECAMATAN_DETIK = 1.0


def jalankan(*, ulang=5, tahun=None) -> tuple[str, dict]:
    from bench.common import angka, nilai_target, tabel
    from integritas.indikator import indikator_hitung
    from integritas.models import Pengaduan, PermohonanRingkas, Survei

    jumlah = PermohonanRingkas.objects.count()
    survei, pengaduan = Survei.objects.count(), Pengaduan.objects.count()
    if not jumlah:
        raise SystemExit("bench indikator: generate the history first (python -m bench generate)")
    tahun = tahun or date.today().year - 1
    kasus = [
        ("kelurahan-month", "33.75.01.1002", date(tahun, 3, 1), date(tahun, 3, 31)),
        ("kecamatan-year", "33.75.01", date(tahun, 1, 1), date(tahun, 12, 31)),
        ("kota-year", "33.75", date(tahun, 1, 1), date(tahun, 12, 31)),
    ]
    baris, hasil = [], {}
    for nama, wilayah, dari, sampai in kasus:
        waktu = []
        for _ in range(ulang):
            t0 = time.perf_counter()
            h = indikator_hitung(wilayah=wilayah, dari=dari, sampai=sampai)
            waktu.append(time.perf_counter() - t0)
        hasil[nama.replace("-", "_").replace("month", "bulan").replace("year", "tahun")] = min(waktu[1:] or waktu)
        baris.append([nama, wilayah, f"{dari} – {sampai}", angka(h["permohonan"]["total"]), f"{waktu[0] * 1000:.0f}",
                      f"{min(waktu[1:] or waktu) * 1000:.0f}", f"{statistics.median(waktu[1:] or waktu) * 1000:.0f}"])
    kec = hasil["kecamatan_tahun"]
    catatan = [f"{angka(jumlah)} requests in the projection (`audit.PermohonanRingkas`, loaded by the generator and "
               "identical to `ringkasan_bangun_ulang` on the chain, checked by tests/test_bench_smoke.py); "
               f"{angka(survei)} surveys and {angka(pengaduan)} complaints, also from the generator.",
               f"Target kecamatan-year < {TARGET_KECAMATAN_DETIK:.0f} s: {kec * 1000:.0f} ms "
               f"({nilai_target(kec < TARGET_KECAMATAN_DETIK)}"
               f"{'' if jumlah >= 1_000_000 else ', on fewer than 1,000,000 requests'})."]
    return tabel("Indicator queries (`indikator_hitung`)",
                 ["unit and period", "code", "dates", "requests in period", "first ms", "best ms", "median ms"],
                 baris, catatan), hasil


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench indikator", description=__doc__.split("\n\n")[0])
    ap.add_argument("--ulang", type=int, default=5)
    ap.add_argument("--tahun", type=int, default=None)
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    siapkan_django()
    from bench.common import simpan_hasil, terbitkan

    teks, hasil = jalankan(ulang=args.ulang, tahun=args.tahun)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    simpan_hasil("indikator", hasil)
