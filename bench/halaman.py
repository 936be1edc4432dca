"""The officers' desk pages, rendered in-process: what one officer waits for, without the network.

    python -m bench halaman [--ulang 40]

Signs in an officer of the generated history (Django test client, session as in
production, DEBUG off) and times the worklist page unfiltered (`/petugas/?status=`; bare `/petugas/` opens on "perlu tindakan") and
filtered to `diajukan`, and one request's page (the view is audited), on the
database `bench generate` wrote. p50/p95 over `--ulang` requests after a warm-up.
"""

import argparse
import time

from bench.common import siapkan_django_produksi

TARGET_MS = 50


def jalankan(*, ulang=40) -> tuple[str, dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.common import angka, nilai_target, persentil, tabel
    from bench.generate import siapkan_dunia
    from layanan.models import Permohonan

    settings.ALLOWED_HOSTS = ["*"]
    dunia = siapkan_dunia()
    kel = dunia["kelurahan"][1]
    petugas = get_user_model().objects.get(pk=dunia["petugas"][(kel, "petugas_kelurahan")]["id"])
    klien = Client()
    klien.force_login(petugas)
    contoh = Permohonan.objects.filter(kelurahan_id=kel).order_by("-id").values_list("id", flat=True).first()
    jumlah = Permohonan.objects.count()
    baris, hasil = [], {}
    for nama, path in (("worklist, every status", "/petugas/?status="), ("worklist, diajukan", "/petugas/?status=diajukan"),
                       ("request page (view audited)", f"/petugas/permohonan/{contoh}/")):
        for _ in range(3):
            assert klien.get(path).status_code == 200, path
        waktu = []
        for _ in range(ulang):
            t0 = time.perf_counter()
            klien.get(path)
            waktu.append((time.perf_counter() - t0) * 1000)
        waktu.sort()
        hasil[nama] = {"p50": persentil(waktu, 50), "p95": persentil(waktu, 95)}
        baris.append([nama, f"{hasil[nama]['p50']:.0f}", f"{hasil[nama]['p95']:.0f}",
                      nilai_target(hasil[nama]["p95"] < TARGET_MS) if nama.startswith("worklist") else "—"])
    catatan = [f"In-process (Django test client, DEBUG off, one officer of kelurahan {kel}), {ulang} requests each "
               f"after 3 warm-up, {angka(jumlah)} requests in the database. Latencies in ms; target worklist p95 "
               f"< {TARGET_MS} ms."]
    return tabel("Officer desk pages (HTML, in-process)", ["page", "p50", "p95", "worklist target"], baris,
                 catatan), hasil


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench halaman", description=__doc__.split("\n\n")[0])
    ap.add_argument("--ulang", type=int, default=40)
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    siapkan_django_produksi()
    from bench.common import simpan_hasil, terbitkan

    teks, hasil = jalankan(ulang=args.ulang)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    simpan_hasil("halaman", hasil)
