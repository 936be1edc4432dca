"""Outbox drain rate against a local fake Twilio (127.0.0.1 through TWILIO_API_BASE_URL).

    python -m bench outbox [--pesan 2000] [--relai 1,2,4]

Queues `--pesan` WhatsApp messages, then lets 1, 2 and 4 relay processes run
the real periodic relay (`outbox_kirim_tertinggal`: SKIP LOCKED claim, the
twilio client over HTTP, result UPDATE) until the outbox is empty. The fake
Twilio answers 201 at once, so the figure is the relay's own cost. The
per-sender rate limit is raised for the capacity runs; one more run keeps the
default (80 messages/s per sender, shared through Redis) to show that the
limit holds.
"""

import argparse
import itertools
import json
import multiprocessing
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import siapkan_django

AKUN = "AC" + "b" * 32
REDIS_BAWAAN = "redis://127.0.0.1:6379/11"


class TwilioPalsu(BaseHTTPRequestHandler):
    """Twilio's Messages resource, as little as the client needs: 201 with a fresh SID."""

    nomor = itertools.count(1)
    jumlah = 0
    kunci = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's naming
        panjang = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(panjang)
        with TwilioPalsu.kunci:
            TwilioPalsu.jumlah += 1
            sid = f"SM{next(TwilioPalsu.nomor):032d}"
        isi = json.dumps({"sid": sid, "status": "queued", "account_sid": AKUN}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(isi)))
        self.end_headers()
        self.wfile.write(isi)

    def log_message(self, *args):
        pass


def _atur_lingkungan(port: int, laju: float):
    os.environ.update({
        "NOTIFIKASI_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": AKUN, "TWILIO_AUTH_TOKEN": "bench-token",
        "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886", "TWILIO_API_BASE_URL": f"http://127.0.0.1:{port}",
        "TWILIO_SANDBOX": "1", "NOTIFIKASI_RATE_PER_SECOND": str(laju),
    })
    os.environ.setdefault("CACHE_URL", REDIS_BAWAAN)


def _relai(laju):
    """One relay process: the periodic relay until nothing is due."""
    from django.conf import settings
    from django.db import connection

    settings.NOTIFIKASI_RATE_PER_SECOND = laju
    connection.close()
    from notifikasi.relay import outbox_kirim_tertinggal

    terkirim = 0
    while True:
        hasil = outbox_kirim_tertinggal(batas=200)
        terkirim += hasil["terkirim"]
        if not hasil["diambil"]:
            return terkirim


def _antrikan(jumlah: int):
    from notifikasi.models import Outbox

    Outbox.objects.bulk_create([
        Outbox(penerima=f"+62813{i:08d}", kanal="whatsapp", templat="permohonan_diterima",
               variabel={"nomor": "BNCH-0000", "layanan": "Surat Keterangan Domisili"},
               isi="Permohonan BNCH-0000 diterima.", referensi=f"bench:{i}")
        for i in range(jumlah)
    ], batch_size=1000)


def ukur(*, relai: int, jumlah: int, laju: float) -> dict:
    from django.db import connection

    from notifikasi.models import Outbox

    Outbox.objects.filter(status="antri").update(status="dilewati", kode_galat="bench")  # older rows are not measured
    _antrikan(jumlah)
    awal = TwilioPalsu.jumlah
    connection.close()
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(relai) as pool:
        terkirim = sum(pool.map(_relai, [laju] * relai))
    lama = time.perf_counter() - t0
    return {"relai": relai, "laju": laju, "terkirim": terkirim, "http": TwilioPalsu.jumlah - awal, "detik": lama,
            "per_detik": terkirim / lama if lama else 0}


def jalankan(*, jumlah=2000, relai=(1, 2, 4)) -> tuple[str, dict]:
    from bench.common import angka, pastikan_database, tabel

    pastikan_database()
    baris, terbaik = [], None
    for r in relai:
        h = ukur(relai=r, jumlah=jumlah, laju=1_000_000)
        terbaik = h if terbaik is None or h["per_detik"] > terbaik["per_detik"] else terbaik
        baris.append([r, "raised", angka(h["terkirim"]), f"{h['detik']:.1f}", angka(h["per_detik"], 1)])
    batas = ukur(relai=max(relai), jumlah=min(jumlah, 800), laju=80)
    baris.append([batas["relai"], "80/s per sender (default)", angka(batas["terkirim"]), f"{batas['detik']:.1f}",
                  angka(batas["per_detik"], 1)])
    catatan = ["Each message: SKIP LOCKED claim (10 per transaction), session-window check, template lookup, "
               "HTTPS-less POST to the fake Twilio on 127.0.0.1 through the real `twilio` client, result UPDATE. "
               "Relays are processes, as Celery workers are. The Twilio and Meta limits, not the relay, bound "
               "production throughput (docs/scaling.md)."]
    return tabel("Outbox drain against a local fake Twilio", ["relays", "rate limit", "sent", "s", "messages/s"],
                 baris, catatan), {"per_detik": terbaik["per_detik"], "relai": terbaik["relai"],
                                   "dengan_batas": batas["per_detik"]}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench outbox", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pesan", type=int, default=2000)
    ap.add_argument("--relai", default="1,2,4")
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", 0), TwilioPalsu)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _atur_lingkungan(server.server_address[1], 1_000_000)
    siapkan_django()
    from bench.common import simpan_hasil, terbitkan

    try:
        teks, hasil = jalankan(jumlah=args.pesan, relai=[int(x) for x in args.relai.split(",")])
    finally:
        server.shutdown()
    terbitkan(teks, tulis=not args.tanpa_tabel)
    simpan_hasil("outbox", hasil)
