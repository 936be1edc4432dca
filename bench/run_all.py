"""Every benchmark in one command, then a summary of each figure beside its target.

    python -m bench all [--n 200000] [--seed 8] [--tanpa-sweep-juta]

Runs, one after the other (never two heavy ones at once): the history
generator (N requests, fresh), HTTP load, the officers' desk pages, indicators (when integritas/indikator.py
is present), letter rendering, audit appends and verification, outbox drain
(when the Twilio transport is present) and the SLA sweep in its own database
at 10,000, 100,000 and N open requests (1,000,000 with `--n 1000000`). Each
step appends its table to docs/benchmarks.md; the summary comes last.
Designed to finish in under 15 minutes at the default N on a 2-core machine.
"""

import argparse
import importlib.util
import subprocess
import sys
import time

from bench.common import AKAR, angka, baca_hasil, nilai_target, siapkan_django, tabel, terbitkan
from bench.http_load import BASELINE_JSON


def _ada(modul: str) -> bool:
    try:
        return importlib.util.find_spec(modul) is not None
    except ModuleNotFoundError:
        return False


def _langkah(nama: str, args: list[str]) -> float:
    print(f"\n== bench {nama} {' '.join(args)}", flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench", nama, *args], cwd=AKAR, check=True)
    return time.perf_counter() - t0


def ringkasan(n: int, lama: dict) -> str:
    baris = []
    http = baca_hasil("http") or {}
    dasar = http.get(BASELINE_JSON)  # the plain name is the largest client count's (20)
    submit = next((h for k, h in http.items() if k.startswith("submit")), None)
    kerja = next((h for k, h in http.items() if k.startswith("officer worklist") and k.endswith("1 client")), None)
    kerja20 = next((h for k, h in http.items() if k.startswith("officer worklist") and "client" not in k), None)
    gen = baca_hasil("generate") or {}
    jumlah = gen.get("permohonan", n)
    if dasar and submit:
        rasio = submit["per_detik"] / (dasar["per_detik"] or 1)
        baris.append(["submit throughput vs baseline (20 clients)", "≥ 0.50", f"{rasio:.2f}",
                      nilai_target(rasio >= 0.5)])
        baris.append(["submit p95 (20 clients)", "< 100 ms", f"{submit['p95']:.0f} ms",
                      nilai_target(submit["p95"] < 100)])
    if kerja:
        baris.append([f"worklist p95 on {angka(jumlah)} requests, one client", "< 50 ms on 1,000,000",
                      f"{kerja['p95']:.0f} ms",
                      nilai_target(kerja["p95"] < 50) + ("" if jumlah >= 1_000_000 else " (smaller N)")])
    if kerja20:
        baris.append(["worklist p95, 20 clients", "—", f"{kerja20['p95']:.0f} ms", "queueing: see the HTTP table"])
    halaman = baca_hasil("halaman") or {}
    for nama, h in halaman.items():
        if nama.startswith("worklist"):
            baris.append([f"desk page, {nama} (HTML, in-process)", "< 50 ms", f"{h['p95']:.0f} ms",
                          nilai_target(h["p95"] < 50) + ("" if jumlah >= 1_000_000 else " (smaller N)")])
    audit = baca_hasil("audit")
    if audit:
        d = audit["delapan_beda"]["per_detik"]
        baris.append(["audit appends, 8 writers, different kelurahan", "≥ 1,000 events/s", f"{angka(d)} events/s",
                      nilai_target(d >= 1000)])
        baris.append(["audit_verify", "—", f"{angka(audit['verifikasi']['per_detik'])} events/s", "—"])
    sweep = baca_hasil("sweep")
    if sweep:
        baris.append([f"sweep: find crossings at {angka(sweep['n'])} open", "< 2 s at 1,000,000",
                      f"{sweep['kueri'] * 1000:.1f} ms", nilai_target(sweep["kueri"] < 2)])
        baris.append([f"sweep: tell all {angka(sweep['lewat'])} crossings", "< 2 s at 1,000,000",
                      f"{sweep['kuras']:.1f} s",
                      nilai_target(sweep["kuras"] < 2) + ("" if sweep["n"] >= 1_000_000 else " (smaller N)")])
    ind = baca_hasil("indikator")
    if ind:
        baris.append([f"indicators, kecamatan-year ({angka(jumlah)} requests)", "< 1 s",
                      f"{ind['kecamatan_tahun'] * 1000:.0f} ms", nilai_target(ind["kecamatan_tahun"] < 1)])
    surat = baca_hasil("surat")
    if surat:
        baris.append(["letter PDF + QR, p95", "< 300 ms", f"{surat['p95']:.0f} ms", nilai_target(surat["p95"] < 300)])
    outbox = baca_hasil("outbox")
    if outbox:
        baris.append(["outbox drain to fake Twilio", "—", f"{angka(outbox['per_detik'], 1)} messages/s", "—"])
    langkah = ", ".join(f"{k} {v:.0f} s" for k, v in lama.items())
    return tabel(f"Summary of `python -m bench all --n {n}`", ["figure", "target", "measured", ""], baris,
                 [f"Wall time per step: {langkah}; total {sum(lama.values()) / 60:.1f} min."])


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench all", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--http-detik", default="20")
    args = ap.parse_args(argv)
    from bench.common import HASIL

    for f in HASIL.glob("*.json") if HASIL.exists() else []:
        f.unlink()  # the summary must only show this run
    lama = {}
    lama["generate"] = _langkah("generate", ["--n", str(args.n), "--seed", str(args.seed), "--reset"])
    lama["http"] = _langkah("http", ["--detik", args.http_detik])
    if _ada("integritas.indikator"):
        lama["indikator"] = _langkah("indikator", [])
    lama["halaman"] = _langkah("halaman", [])
    lama["surat"] = _langkah("surat", [])
    lama["audit"] = _langkah("audit", [])
    if _ada("notifikasi.transport"):
        lama["outbox"] = _langkah("outbox", [])
    tingkat = sorted({10_000, 100_000, args.n})
    lama["sweep"] = _langkah("sweep", ["--tingkat", ",".join(str(t) for t in tingkat)])
    siapkan_django()
    terbitkan(ringkasan(args.n, lama))
