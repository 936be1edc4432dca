"""Audit chain appends with 1, 4 and 8 concurrent writers, and audit_verify throughput.

    python -m bench audit [--detik 8] [--maks 3000] [--verifikasi-detik 60]

Each writer is a separate process with its own connection (as gunicorn
workers are) calling the real `audit_catat` once per transaction, for at most
`--detik` seconds or `--maks` events. "Different" gives every writer its own
kelurahan chain; "same" puts all writers on one chain, where the chain-head
row lock serializes them.
"""

import argparse
import multiprocessing
import time

from bench.common import siapkan_django

TARGET_DELAPAN = 1000  # events/s with 8 writers on different kelurahan


OBJEK_AWAL = 9_000_000_000  # ids no generated request has; their projection rows are removed afterwards


def _penulis(args):
    rantai, detik, maks, mulai_pada, nomor = args
    siapkan_django()
    from django.db import connection

    from audit.services import audit_catat

    connection.close()
    data = {"nomor_registrasi": "BNCH-0000", "layanan": "domisili", "tingkat": "kelurahan", "kelurahan": rantai,
            "kecamatan": rantai.rsplit(".", 1)[0], "kantor": rantai, "tahap": "kelurahan", "dari": "diajukan",
            "ke": "diverifikasi", "catatan": "", "kanal": "online", "oleh_nama": "Petugas bench", "pemohon": 1,
            "sla": {"jatah_detik": 28800, "terpakai_detik": 3600, "status": "aman"}}
    while time.time() < mulai_pada:  # start together
        time.sleep(0.001)
    t0 = time.perf_counter()
    jumlah = 0
    while jumlah < maks and time.perf_counter() - t0 < detik:
        audit_catat(rantai=rantai, kategori="transisi", aksi="verifikasi", peran="petugas_kelurahan",
                    objek_tipe="permohonan", objek_id=OBJEK_AWAL + nomor * 1_000_000 + jumlah, data=data)
        jumlah += 1
    return jumlah, time.perf_counter() - t0


def _hapus_proyeksi_palsu():
    """Transition events update the indicator projection; drop the rows of the made-up requests."""
    from django.apps import apps

    try:
        model = apps.get_model("integritas", "PermohonanRingkas")
    except LookupError:
        return
    model.objects.filter(permohonan_id__gte=OBJEK_AWAL).delete()


def ukur_tulis(kode_rantai: list[str], *, detik: float, maks: int) -> dict:
    from django.db import connection

    connection.close()
    mulai_pada = time.time() + 1.0
    with multiprocessing.get_context("fork").Pool(len(kode_rantai)) as pool:
        hasil = pool.map(_penulis, [(r, detik, maks, mulai_pada, i) for i, r in enumerate(kode_rantai)])
    _hapus_proyeksi_palsu()
    jumlah = sum(h[0] for h in hasil)
    lama = max(h[1] for h in hasil)
    return {"penulis": len(kode_rantai), "kejadian": jumlah, "detik": lama, "per_detik": jumlah / lama}


def ukur_verifikasi(*, batas_detik: float) -> dict:
    """Walk whole chains, largest first, until the time bound; events/s of the real rantai_verifikasi."""
    from django.db.models import Count

    from audit.models import AuditEvent
    from audit.selectors import rantai_verifikasi

    rantai = list(AuditEvent.objects.values("rantai").annotate(n=Count("id")).order_by("-n").values_list("rantai", "n"))
    t0 = time.perf_counter()
    jumlah, diperiksa, utuh = 0, 0, True
    for kunci, _n in rantai:
        hasil = rantai_verifikasi(kunci)
        jumlah += hasil.jumlah
        diperiksa += 1
        utuh = utuh and hasil.utuh
        if time.perf_counter() - t0 > batas_detik:
            break
    lama = time.perf_counter() - t0
    total = sum(n for _k, n in rantai)
    return {"rantai": diperiksa, "rantai_total": len(rantai), "kejadian": jumlah, "total": total, "detik": lama,
            "per_detik": jumlah / lama if lama else 0, "utuh": utuh}


def jalankan(*, detik=8.0, maks=3000, verifikasi_detik=60.0) -> str:
    from bench.common import angka, nilai_target, pastikan_database, tabel
    from bench.generate import siapkan_dunia

    pastikan_database()
    dunia = siapkan_dunia()
    kelurahan = dunia["kelurahan"]
    baris = []
    hasil8 = None
    for n in (1, 4, 8):
        beda = ukur_tulis(kelurahan[:n], detik=detik, maks=maks)
        sama = ukur_tulis([kelurahan[0]] * n, detik=detik, maks=maks)
        if n == 8:
            hasil8 = beda
        baris.append([n, f"{angka(beda['per_detik'])} ({angka(beda['kejadian'])} in {beda['detik']:.1f} s)",
                      f"{angka(sama['per_detik'])} ({angka(sama['kejadian'])} in {sama['detik']:.1f} s)",
                      f"≥ {TARGET_DELAPAN} events/s: {nilai_target(beda['per_detik'] >= TARGET_DELAPAN)}" if n == 8 else ""])
    v = ukur_verifikasi(batas_detik=verifikasi_detik)
    catatan = [
        f"`audit_verify` (real `rantai_verifikasi`, one process): {angka(v['per_detik'])} events/s "
        f"over {angka(v['kejadian'])} events in {v['rantai']} of {v['rantai_total']} chains ({v['detik']:.1f} s, "
        f"bounded at {verifikasi_detik:.0f} s; {angka(v['total'])} events in the ledger); chains "
        f"{'intact' if v['utuh'] else '**BROKEN**'}. Chains are independent, so verification parallelises by chain.",
        "Writers are processes, one connection each, one `audit_catat` per transaction (commit per event, "
        "synchronous_commit on). Same kelurahan: every writer waits for the chain-head row lock.",
    ]
    return tabel("Audit chain appends (events/s)", ["writers", "different kelurahan", "same kelurahan", "target"],
                 baris, catatan), hasil8, v


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench audit", description=__doc__.split("\n\n")[0])
    ap.add_argument("--detik", type=float, default=8.0)
    ap.add_argument("--maks", type=int, default=3000)
    ap.add_argument("--verifikasi-detik", type=float, default=60.0)
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    siapkan_django()
    from bench.common import terbitkan

    teks, delapan, verifikasi = jalankan(detik=args.detik, maks=args.maks, verifikasi_detik=args.verifikasi_detik)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    from bench.common import simpan_hasil

    simpan_hasil("audit", {"delapan_beda": delapan, "verifikasi": verifikasi})
