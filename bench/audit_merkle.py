"""The Merkle tree and signed checkpoints of the audit ledger: what they cost and how they answer.

    python -m bench merkle [--detik 8] [--penulis 4] [--sela 1] [--sejuta 1000000] [--sampel 200]

1. Appends/s with checkpointing off and on: `--penulis` writer processes, each on its own chain,
   one `audit_catat` per transaction (the frontier is kept in every append either way); "on" adds
   a process signing every chain every `--sela` seconds (production: every 300 s and after a sweep),
   so the cost of signing (reading the new events, storing nodes, Ed25519) competes for the same
   2 cores. Rounds alternate off/on; the median of each is reported.
2. A chain of `--sejuta` events, loaded with COPY (hashed exactly as audit_catat hashes), signed once
   (which stores its Merkle nodes: the first checkpoint reads every event), then inclusion and
   consistency proofs at random positions: size in hashes and bytes, time in the service and over
   the public HTTP endpoint (in process), each verified.
3. `audit_verify`'s walk of that chain (links, hashes, tree, nodes, checkpoints): events/s.
"""

import argparse
import hashlib
import json
import multiprocessing
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from bench.common import siapkan_django

RANTAI_SEJUTA = "bench-sejuta"
DATA = {"nomor_registrasi": "BNCH-0000", "layanan": "domisili", "tingkat": "kelurahan", "kelurahan": "33.75.01.1002",
        "kecamatan": "33.75.01", "tahap": "kelurahan", "ke": "rawan", "kanal": "online",
        "sla": {"jatah_detik": 28800, "terpakai_detik": 21600, "status": "rawan"}}


def _siap_bersama(mulai_pada: float):
    """In a forked worker: Django with a connection of its own, then wait for the common start."""
    siapkan_django()
    from django.db import connection

    connection.close()
    while time.time() < mulai_pada:
        time.sleep(0.001)


def _penulis(args):
    rantai, detik, mulai_pada = args
    _siap_bersama(mulai_pada)
    from audit.services import audit_catat

    t0, jumlah = time.perf_counter(), 0
    while time.perf_counter() - t0 < detik:
        audit_catat(rantai=rantai, kategori="sla", aksi="sla_rawan", objek_tipe="permohonan", objek_id=jumlah,
                    data=DATA)
        jumlah += 1
    return jumlah, time.perf_counter() - t0


def _penanda_tangan(args):
    detik, sela, mulai_pada = args
    _siap_bersama(mulai_pada)
    from audit.checkpoint import checkpoint_semua

    t0, putaran, dibuat = time.perf_counter(), 0, 0
    while time.perf_counter() - t0 < detik:
        dibuat += len(checkpoint_semua()["dibuat"])
        putaran += 1
        time.sleep(sela)
    return putaran, dibuat


def ukur_tulis(*, penulis: int, detik: float, sela: float | None, putaran_ke: int) -> dict:
    from django.db import connection

    connection.close()
    mulai_pada = time.time() + 1.0
    rantai = [f"bench-merkle-{putaran_ke}-{i}" for i in range(penulis)]
    with multiprocessing.get_context("fork").Pool(penulis + 1) as pool:
        tanda = pool.apply_async(_penanda_tangan, [(detik, sela, mulai_pada)]) if sela is not None else None
        hasil = pool.map(_penulis, [(r, detik, mulai_pada) for r in rantai])
        ttd = tanda.get() if tanda else (0, 0)
    jumlah = sum(h[0] for h in hasil)
    return {"per_detik": jumlah / max(h[1] for h in hasil), "kejadian": jumlah, "putaran_ttd": ttd[0],
            "checkpoint": ttd[1]}


def muat_sejuta(n: int) -> float:
    """Load a chain of n events with COPY, hashed and with its frontier exactly as audit_catat keeps them."""
    from django.db import connection

    from audit import merkle
    from audit.models import GENESIS_HASH, AuditEvent
    from audit.rantai import data_daun, frontier_tulis, isi_event, kanonik
    from bench.common import sambungan_psycopg

    ada = AuditEvent.objects.filter(rantai=RANTAI_SEJUTA).count()
    if ada == n:
        return 0.0
    if ada:
        raise SystemExit(f"bench merkle: rantai {RANTAI_SEJUTA} berisi {ada} kejadian, bukan {n}; kosongkan dulu")
    connection.close()
    t0 = time.perf_counter()
    awal = datetime(2026, 1, 1, tzinfo=UTC)
    sebelum, frontier = GENESIS_HASH, []
    data_teks = kanonik(DATA)
    with sambungan_psycopg() as k:
        with k.cursor() as c, c.copy(
            "COPY audit_auditevent (rantai, urutan, hash_sebelum, hash, waktu, kategori, aksi, aktor, aktor_id, "
            "peran, objek_tipe, objek_id, data, ip, user_agent) FROM STDIN"
        ) as cp:
            for i in range(n):
                e = AuditEvent(rantai=RANTAI_SEJUTA, urutan=i + 1, hash_sebelum=sebelum,
                               waktu=awal + timedelta(seconds=i), kategori="sla", aksi="sla_rawan", aktor="",
                               aktor_id=None, peran="", objek_tipe="permohonan", objek_id=str(i), data=DATA, ip=None,
                               user_agent="")
                data = data_daun(hash_sebelum=sebelum, isi=isi_event(e))
                h = hashlib.sha256(data).hexdigest()
                frontier, _ = merkle.frontier_tambah(frontier, i, merkle.hash_daun(data))
                cp.write_row((RANTAI_SEJUTA, i + 1, sebelum, h, e.waktu, "sla", "sla_rawan", "", None, "",
                              "permohonan", str(i), data_teks, None, ""))
                sebelum = h
        k.execute("INSERT INTO audit_rantaiaudit (kunci, urutan, hash_terakhir, frontier) VALUES (%s, %s, %s, %s)",
                  [RANTAI_SEJUTA, n, sebelum, frontier_tulis(frontier)])
        k.commit()
    return time.perf_counter() - t0


def ukur_bukti(n: int, sampel: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from audit import merkle, pohon
    from audit.checkpoint import checkpoint_buat
    from audit.models import AuditEvent, Checkpoint

    t0 = time.perf_counter()
    cp = checkpoint_buat(RANTAI_SEJUTA) or Checkpoint.objects.filter(rantai=RANTAI_SEJUTA).order_by("-ukuran").first()
    t_ttd = time.perf_counter() - t0
    akar = bytes.fromhex(cp.akar)
    acak = random.Random(13)
    settings.ALLOWED_HOSTS = ["*"]  # the in-process client's "testserver"
    klien = Client()
    inklusi, http, ukuran_bukti = [], [], []
    for _ in range(sampel):
        indeks = acak.randrange(n)
        t = time.perf_counter()
        bukti = pohon.bukti_inklusi(RANTAI_SEJUTA, indeks, n)
        inklusi.append(time.perf_counter() - t)
        e = AuditEvent.objects.get(rantai=RANTAI_SEJUTA, urutan=indeks + 1)
        assert merkle.verifikasi_inklusi(indeks=indeks, ukuran=n, daun=pohon.daun_event(e), bukti=bukti, akar=akar)
        ukuran_bukti.append(len(bukti))
        t = time.perf_counter()
        r = klien.get(f"/api/v1/audit/bukti/inklusi/{e.hash}/", REMOTE_ADDR=f"10.0.{_ % 250}.{_ % 7}")
        http.append(time.perf_counter() - t)
        assert r.status_code == 200, r.content
    konsistensi, ukuran_k = [], []
    for _ in range(sampel):
        lama = acak.randrange(1, n)
        t = time.perf_counter()
        bukti = pohon.bukti_konsistensi(RANTAI_SEJUTA, lama, n)
        konsistensi.append(time.perf_counter() - t)
        assert merkle.verifikasi_konsistensi(lama=lama, baru=n, akar_lama=pohon.akar_pada(RANTAI_SEJUTA, lama),
                                             akar_baru=akar, bukti=bukti)
        ukuran_k.append(len(bukti))
    ms = lambda xs: (statistics.median(xs) * 1000, sorted(xs)[int(len(xs) * 0.95) - 1] * 1000)  # noqa: E731
    return {"ttd_pertama_s": t_ttd, "inklusi_ms": ms(inklusi), "http_ms": ms(http), "konsistensi_ms": ms(konsistensi),
            "hash_inklusi": (min(ukuran_bukti), max(ukuran_bukti)), "hash_konsistensi": (min(ukuran_k), max(ukuran_k)),
            "simpul": pohon.tersimpan_sampai(RANTAI_SEJUTA)}


def ukur_verifikasi() -> dict:
    from audit.verifikasi import verifikasi_pohon

    t0 = time.perf_counter()
    hasil = verifikasi_pohon(RANTAI_SEJUTA)
    lama = time.perf_counter() - t0
    return {"kejadian": hasil.jumlah, "detik": lama, "per_detik": hasil.jumlah / lama, "utuh": hasil.utuh}


def jalankan(*, detik, penulis, sela, sejuta, sampel, putaran) -> tuple[str, dict]:
    from bench.common import angka, pastikan_database, tabel

    pastikan_database()
    mati, hidup = [], []
    for p in range(putaran):
        mati.append(ukur_tulis(penulis=penulis, detik=detik, sela=None, putaran_ke=2 * p))
        hidup.append(ukur_tulis(penulis=penulis, detik=detik, sela=sela, putaran_ke=2 * p + 1))
    m_mati = statistics.median(x["per_detik"] for x in mati)
    m_hidup = statistics.median(x["per_detik"] for x in hidup)
    biaya = (m_mati - m_hidup) / m_mati * 100
    baris_tulis = [
        [f"appends/s, {penulis} writers, checkpointing off", angka(m_mati),
         ", ".join(angka(x["per_detik"]) for x in mati)],
        [f"appends/s, {penulis} writers, checkpoint every {sela:g} s", angka(m_hidup),
         ", ".join(angka(x["per_detik"]) for x in hidup) + f" ({sum(x['checkpoint'] for x in hidup)} checkpoints)"],
        ["cost of checkpointing", f"{biaya:.1f} %", "target < 10 %"],
    ]
    catatan_tulis = (
        "Appends: writer processes, one connection each, one `audit_catat` per transaction (commit per event); the "
        "Merkle frontier is moved in the head's own UPDATE in both columns. The signer process competes for the "
        f"same 2 cores; rounds alternate off/on ({putaran} each).")
    if not sejuta:
        return (tabel("Audit appends with checkpointing on and off", ["measure", "figure", "detail"], baris_tulis,
                      [catatan_tulis]), {"mati": m_mati, "hidup": m_hidup, "biaya_persen": biaya})
    t_muat = muat_sejuta(sejuta)
    b = ukur_bukti(sejuta, sampel)
    v = ukur_verifikasi()
    baris = baris_tulis + [
        [f"first checkpoint of {angka(sejuta)} events (stores {angka(b['simpul'])} leaves' nodes)",
         f"{b['ttd_pertama_s']:.1f} s", f"chain loaded in {t_muat:.0f} s" if t_muat else "chain already loaded"],
        ["inclusion proof, service (median / p95)", f"{b['inklusi_ms'][0]:.2f} / {b['inklusi_ms'][1]:.2f} ms",
         f"{b['hash_inklusi'][0]}–{b['hash_inklusi'][1]} hashes ({32 * b['hash_inklusi'][1]} bytes)"],
        ["inclusion proof, GET /api/v1/audit/bukti/inklusi/ (median / p95)",
         f"{b['http_ms'][0]:.2f} / {b['http_ms'][1]:.2f} ms", "in process, JSON with the signed checkpoint"],
        ["consistency proof to the latest size (median / p95)",
         f"{b['konsistensi_ms'][0]:.2f} / {b['konsistensi_ms'][1]:.2f} ms",
         f"{b['hash_konsistensi'][0]}–{b['hash_konsistensi'][1]} hashes"],
        [f"audit_verify walk of {angka(v['kejadian'])} events", f"{angka(v['per_detik'])} events/s",
         f"{v['detik']:.0f} s; {'intact' if v['utuh'] else '**BROKEN**'}"],
    ]
    catatan = [
        catatan_tulis,
        f"Proofs: {sampel} random positions each, verified with audit/merkle.py's RFC 9162 verifiers.",
    ]
    hasil = {"mati": m_mati, "hidup": m_hidup, "biaya_persen": biaya, "bukti": b, "verifikasi": v}
    return tabel("Audit Merkle tree and checkpoints", ["measure", "figure", "detail"], baris, catatan), hasil


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench merkle", description=__doc__.split("\n\n")[0])
    ap.add_argument("--detik", type=float, default=8.0)
    ap.add_argument("--penulis", type=int, default=4)
    ap.add_argument("--sela", type=float, default=1.0)
    ap.add_argument("--sejuta", type=int, default=1_000_000, help="0: appends only")
    ap.add_argument("--sampel", type=int, default=200)
    ap.add_argument("--putaran", type=int, default=3)
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    siapkan_django()
    from bench.common import simpan_hasil, terbitkan

    teks, hasil = jalankan(detik=args.detik, penulis=args.penulis, sela=args.sela, sejuta=args.sejuta,
                           sampel=args.sampel, putaran=args.putaran)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    simpan_hasil("merkle", json.loads(json.dumps(hasil, default=str)))
