"""Instructions per request, counted by valgrind's callgrind: a cost that does not move with the machine's load.

    python -m bench instruksi [--n 20] [--skenario dasar_unggah,submit,dasar_daftar,worklist] [--simpan DIR]

Each scenario runs in a process of its own under callgrind with counting off. That process sets Django up as
`bench profil` does (DEBUG off, production middleware, the database of `bench generate`, cache and broker from
CACHE_URL / CELERY_BROKER_URL), sends 8 warm-up requests straight into the WSGI application (no server, no
socket), and waits; this one turns counting on (`callgrind_control`), the child sends N requests, and counting
is turned off and the total read. Only the application's process is counted: PostgreSQL's and Redis's own work
is not. The same code on the same database gives the same count to within a few thousand instructions run
after run, whatever else the machine is doing, where CPU time and throughput moved by tens of percent on a
shared machine: this is the figure to compare before and after a change (docs/benchmarks.md, session 8).
`--simpan DIR` keeps each scenario's callgrind output as DIR/<scenario>.callgrind, to read where the
instructions go: `callgrind_annotate --inclusive=yes DIR/submit.callgrind | head -60`.
Needs valgrind (Debian's package `valgrind`).
"""

import argparse
import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKENARIO = {
    "dasar_unggah": "baseline: bare DRF multipart POST (the submission's form), one INSERT",
    "submit": "submit, API (multipart, 2 PDFs)",
    "dasar_daftar": "baseline: bare DRF list page",
    "worklist": "officer worklist, API (?status=diajukan)",
}
DASAR = {"submit": "dasar_unggah", "worklist": "dasar_daftar"}


def _permintaan(nama: str):
    """A function giving a fresh WSGI environ and the expected status for scenario `nama`."""
    from bench.generate import siapkan_dunia
    from bench.http_load import PDF, isian, multipart, siapkan_pelaku
    from layanan.models import Layanan

    pelaku = siapkan_pelaku(siapkan_dunia(), jumlah_warga=1)
    token, kel = pelaku["warga"][0]
    layanan = Layanan.objects.filter(aktif=True, tingkat="kelurahan").prefetch_related("persyaratan").first()
    unggah = [p.kode for p in layanan.persyaratan.all() if p.unggah]
    dasar = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "wsgi.url_scheme": "http", "REMOTE_ADDR": "127.0.0.1",
             "HTTP_ACCEPT": "application/json", "QUERY_STRING": ""}

    def formulir(path, header):
        body, jenis = multipart(
            {"layanan": layanan.kode, "kelurahan": kel, "keperluan": "Persyaratan melamar kerja",
             "data": json.dumps(isian(layanan.formulir)), "nama": "Warga Bench", "alamat": "Jl. Bench 1, Pekalongan"},
            {f"berkas_{k}": (f"{k}.pdf", PDF) for k in unggah})
        return {**dasar, **header, "REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_TYPE": jenis,
                "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}, 201

    def daftar(path, header, query=""):
        return {**dasar, **header, "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
                "wsgi.input": io.BytesIO(b"")}, 200

    return {
        "dasar_unggah": lambda: formulir("/bench/dasar/unggah/", {}),
        "submit": lambda: formulir("/api/v1/permohonan/", {"HTTP_AUTHORIZATION": f"Token {token}"}),
        "dasar_daftar": lambda: daftar("/bench/dasar/daftar/", {}),
        "worklist": lambda: daftar("/api/v1/permohonan/", {"HTTP_AUTHORIZATION": f"Token {pelaku['petugas'][kel]}"},
                                   "status=diajukan"),
    }[nama]


def _anak(nama: str, n: int, sinyal: str):
    """The counted process: warm up, say so, wait for counting to start, send n requests, say so, wait."""
    from bench.common import siapkan_django_produksi

    for lingkup in ("OTP", "MASUK", "LACAK", "VERIFIKASI", "PENGADUAN", "TOKEN"):
        os.environ.setdefault(f"THROTTLE_{lingkup}", "1000000/minute")
    siapkan_django_produksi()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ALLOWED_HOSTS = ["*"]
    app, buat = get_wsgi_application(), _permintaan(nama)

    def satu():
        environ, kode = buat()
        status = []
        isi = b"".join(app(environ, lambda s, h, *a: status.append(s)))
        if not status[0].startswith(str(kode)):
            sys.exit(f"bench instruksi {nama}: {status[0]} {isi[:300]!r}")

    for _ in range(8):  # caches, the resident's first profile update, the first use of each code path
        satu()

    def tunggu(berkas, ada=True):
        while os.path.exists(berkas) != ada:
            time.sleep(0.05)

    open(os.path.join(sinyal, "siap"), "w").close()
    tunggu(os.path.join(sinyal, "mulai"))
    for _ in range(n):
        satu()
    open(os.path.join(sinyal, "selesai"), "w").close()
    tunggu(os.path.join(sinyal, "mulai"), ada=False)


def hitung(nama: str, n: int, simpan: str | None = None) -> int:
    """Instructions per request of scenario `nama`, counted over n requests after the warm-up.

    With `simpan`, the counted dump is copied to `simpan`/`nama`.callgrind."""
    with tempfile.TemporaryDirectory(prefix="simpatik-instruksi-") as sinyal:
        keluar = os.path.join(sinyal, "callgrind.out.%p")
        log = os.path.join(sinyal, "log")
        with open(log, "w") as berkas_log:  # a file, not a pipe: a full pipe would stall the counted process
            proses = subprocess.Popen(
                ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={keluar}",
                 sys.executable, "-m", "bench.instruksi", "--anak", nama, "--n", str(n), "--sinyal", sinyal],
                stdout=subprocess.DEVNULL, stderr=berkas_log)

        def berhenti():
            with open(log) as f:
                sys.exit(f"bench instruksi {nama}: the process ended\n{f.read()[-3000:]}")

        def kendali(*argumen):
            subprocess.run(["callgrind_control", *argumen, str(proses.pid)], check=True, capture_output=True)

        try:
            while not os.path.exists(os.path.join(sinyal, "siap")):
                if proses.poll() is not None:
                    berhenti()
                time.sleep(0.2)
            kendali("--zero")
            kendali("--instr=on")
            open(os.path.join(sinyal, "mulai"), "w").close()
            while not os.path.exists(os.path.join(sinyal, "selesai")):
                if proses.poll() is not None:
                    berhenti()
                time.sleep(0.2)
            kendali("--instr=off")
            kendali("--dump")  # the counted part; what the process does after it is not counted
            os.remove(os.path.join(sinyal, "mulai"))
            proses.wait(120)
        finally:
            if proses.poll() is None:
                proses.kill()
        total = 0
        for berkas in glob.glob(os.path.join(sinyal, "callgrind.out.*")):
            with open(berkas) as f:
                # A dump's "summary:" line can read 0 where its "totals:" line holds the count.
                di_sini = sum(int(baris.split()[1]) for baris in f if baris.startswith("totals:"))
            if simpan and di_sini:  # the counted dump; the one written at exit counted nothing
                shutil.copyfile(berkas, os.path.join(simpan, f"{nama}.callgrind"))
            total += di_sini
        return total // n


def jalankan(*, n=20, skenario=tuple(SKENARIO), simpan: str | None = None) -> tuple[str, dict]:
    from bench.common import angka, tabel

    hasil = {nama: hitung(nama, n, simpan) for nama in skenario}
    baris = []
    for nama, jumlah in hasil.items():
        dasar = DASAR.get(nama)
        rasio = f"{hasil[dasar] / jumlah:.2f}" if dasar in hasil else "—"
        baris.append([SKENARIO[nama], angka(jumlah), rasio])
    catatan = [f"Instructions of the application's process per request (valgrind callgrind), {n} requests after 8 "
               "warm-up, sent straight into the WSGI application; PostgreSQL's and Redis's work not counted. "
               "\"Baseline ÷ scenario\": the baseline of its kind over the scenario, the form issue 22's ratios take."]
    return tabel("Instructions per request (callgrind)", ["scenario", "instructions", "baseline ÷ scenario"],
                 baris, catatan), hasil


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench instruksi", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--skenario", default=",".join(SKENARIO), help="comma-separated: " + ", ".join(SKENARIO))
    ap.add_argument("--tanpa-tabel", action="store_true")
    ap.add_argument("--simpan", metavar="DIR", help="keep each scenario's callgrind output in DIR")
    ap.add_argument("--anak", help=argparse.SUPPRESS)
    ap.add_argument("--sinyal", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.anak:
        return _anak(args.anak, args.n, args.sinyal)
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        sys.exit("bench instruksi: valgrind is not installed (apt-get install valgrind)")
    skenario = [s for s in args.skenario.split(",") if s]
    if unknown := [s for s in skenario if s not in SKENARIO]:
        sys.exit(f"bench instruksi: unknown scenario {unknown}; choose from {', '.join(SKENARIO)}")
    from bench.common import induk_media

    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="simpatik-instruksi-", dir=induk_media()))
    from bench.common import siapkan_django, simpan_hasil, terbitkan

    if args.simpan:
        os.makedirs(args.simpan, exist_ok=True)
    siapkan_django()
    teks, hasil = jalankan(n=args.n, skenario=skenario, simpan=args.simpan)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    simpan_hasil("instruksi", hasil)


if __name__ == "__main__":
    main(sys.argv[1:])
