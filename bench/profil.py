"""Cost of one submission and one worklist page, in-process: statements, CPU, and flame graphs.

    python -m bench profil [--ulang 40] [--flame docs/profil]

Runs each request through the whole Django stack (Django test client, DEBUG off, production
middleware, PostgreSQL of `bench generate`, cache and broker from CACHE_URL / CELERY_BROKER_URL):
the bare baseline POST (`bench/baseline_app`), a resident's submission through the API (multipart,
two PDFs) and through the web form, an officer's action (`verifikasi`), the API worklist
(`?status=diajukan`) and the desk page `/petugas/`. For each it reports the statements of one
request, the CPU time of this process per request (the app's own cost: PostgreSQL's CPU is not in
it) and the wall time. CPU time and statement counts hardly move with the machine's load, unlike
throughput on a shared machine: they are the figures to compare before and after a change.
`--flame DIR` also writes one pyinstrument flame graph (HTML) per scenario.
"""

import argparse
import json
import os
import tempfile
import time

from bench.common import siapkan_django_produksi


def jalankan(*, ulang=40, flame=None) -> tuple[str, dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from bench.common import angka, persentil, tabel
    from bench.generate import siapkan_dunia
    from bench.http_load import PDF, isian, siapkan_pelaku
    from layanan.models import Layanan, Permohonan, Warga

    settings.ALLOWED_HOSTS = ["*"]
    dunia = siapkan_dunia()
    pelaku = siapkan_pelaku(dunia, jumlah_warga=1)
    token_warga, kel_warga = pelaku["warga"][0]
    warga = Warga.objects.filter(user__auth_token__key=token_warga).select_related("user").get()
    petugas = get_user_model().objects.get(pk=dunia["petugas"][(kel_warga, "petugas_kelurahan")]["id"])
    layanan = Layanan.objects.filter(aktif=True, tingkat="kelurahan").prefetch_related("persyaratan").first()
    unggah = [p.kode for p in layanan.persyaratan.all() if p.unggah]
    isi = isian(layanan.formulir)

    api_warga = APIClient()
    api_warga.credentials(HTTP_AUTHORIZATION=f"Token {token_warga}")
    api_petugas = APIClient()
    api_petugas.credentials(HTTP_AUTHORIZATION=f"Token {pelaku['petugas'][kel_warga]}")
    web_warga, web_petugas = Client(), Client()
    web_warga.force_login(warga.user)
    web_petugas.force_login(petugas)
    nama, alamat = warga.nama or "Warga Bench", warga.alamat or "Jl. Bench 1"

    def berkas():
        return {f"berkas_{k}": SimpleUploadedFile(f"{k}.pdf", PDF, content_type="application/pdf") for k in unggah}

    def dasar():
        return api_warga.post("/bench/dasar/", {"isi": "x"}, format="json"), 201

    def ajukan_api():
        data = {"layanan": layanan.kode, "kelurahan": kel_warga, "keperluan": "Persyaratan melamar kerja",
                "data": json.dumps(isi), "nama": nama, "alamat": alamat, **berkas()}
        return api_warga.post("/api/v1/permohonan/", data, format="multipart"), 201

    def ajukan_web():
        data = {"diri-nama": nama, "diri-alamat": alamat, "kelurahan": kel_warga,
                "keperluan": "Persyaratan melamar kerja", **{f"data_{k}": v for k, v in isi.items()}, **berkas()}
        return web_warga.post(f"/layanan/{layanan.kode}/ajukan/", data), 302

    antrean = []

    def aksi():
        if not antrean:  # requests waiting in that kelurahan, the ones just submitted among them
            antrean.extend(Permohonan.objects.filter(kelurahan_id=kel_warga, status="diajukan")
                           .values_list("id", flat=True)[: 2 * ulang + 20])
        return api_petugas.post(f"/api/v1/permohonan/{antrean.pop()}/aksi/", {"aksi": "verifikasi"},
                                format="json"), 200

    def worklist_api():
        return api_petugas.get("/api/v1/permohonan/?status=diajukan"), 200

    def meja():
        return web_petugas.get("/petugas/"), 200

    skenario = [("baseline: bare DRF POST, one INSERT", dasar), ("submit, API (multipart, 2 PDFs)", ajukan_api),
                ("submit, web form", ajukan_web), ("aksi verifikasi, API", aksi),
                ("officer worklist, API (?status=diajukan)", worklist_api), ("desk page /petugas/", meja)]
    hasil, baris = {}, []
    for judul, fungsi in skenario:
        for _ in range(3):  # warm-up: caches, the session's first marks, the profile's first update
            r, kode = fungsi()
            assert r.status_code == kode, (judul, r.status_code, getattr(r, "content", b"")[:300])
        pernyataan = []

        def catat(jalan, sql, *a, _daftar=pernyataan):
            _daftar.append(sql)
            return jalan(sql, *a)

        with connection.execute_wrapper(catat):
            fungsi()
        cpu0, waktu = time.process_time(), []
        for _ in range(ulang):
            t0 = time.perf_counter()
            fungsi()
            waktu.append((time.perf_counter() - t0) * 1000)
        cpu = (time.process_time() - cpu0) * 1000 / ulang
        waktu.sort()
        hasil[judul] = {"sql": len(pernyataan), "cpu_ms": cpu, "p50": persentil(waktu, 50)}
        if flame:
            from pyinstrument import Profiler

            # 10 requests sampled every 2 ms: enough to rank the costs, small enough to keep in docs/.
            profil = Profiler(interval=0.002)
            profil.start()
            for _ in range(10):
                fungsi()
            profil.stop()
            dasar_nama = os.path.join(flame, fungsi.__name__.replace("_", "-"))
            with open(dasar_nama + ".html", "w") as f:
                f.write(profil.output_html())
            with open(dasar_nama + ".txt", "w") as f:
                f.write(profil.output_text(unicode=True, color=False, show_all=False))
    cpu_dasar = hasil[skenario[0][0]]["cpu_ms"] or 1
    for judul, h in hasil.items():
        baris.append([judul, h["sql"], f"{h['cpu_ms']:.1f}", f"{h['cpu_ms'] / cpu_dasar:.1f}", f"{h['p50']:.1f}"])
    catatan = [f"In-process (test client, DEBUG off, PostgreSQL), {ulang} requests each after 3 warm-up, "
               f"{angka(Permohonan.objects.count())} requests in the database. CPU: this process per request "
               "(the app; PostgreSQL's own CPU is not in it); wall p50 includes the database."]
    return tabel("Cost per request (in-process)",
                 ["scenario", "statements", "app CPU ms", "× baseline CPU", "wall p50 ms"], baris, catatan), hasil


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench profil", description=__doc__.split("\n\n")[0])
    ap.add_argument("--ulang", type=int, default=40)
    ap.add_argument("--flame", default=None, help="directory for pyinstrument flame graphs (HTML)")
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    from bench.common import induk_media

    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="simpatik-profil-", dir=induk_media()))
    for lingkup in ("OTP", "MASUK", "LACAK", "VERIFIKASI", "PENGADUAN", "TOKEN"):
        os.environ.setdefault(f"THROTTLE_{lingkup}", "1000000/minute")
    siapkan_django_produksi()
    if args.flame:
        os.makedirs(args.flame, exist_ok=True)
    from bench.common import simpan_hasil, terbitkan

    teks, hasil = jalankan(ulang=args.ulang, flame=args.flame)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    simpan_hasil("profil", hasil)
