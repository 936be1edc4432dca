"""Indicators of a kecamatan-year on a database of 1,000,000 requests (issue 7: under one second).

Fills the request projection, surveys and complaints with generate_series on
PostgreSQL (the projection is what the indicator queries read; filling it
through 5 million hashed ledger events would measure the ledger, not the
query), then times `indikator_hitung` for one kecamatan and one year, a
kelurahan-year and the whole kota-year, plus the signals of a kelurahan-year.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpatik_bench \
        python bench/indikator_bench.py --permohonan 1000000

It uses (and empties) the audit projection tables of that database: never point
it at production.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

KECAMATAN = ["33.75.01", "33.75.02", "33.75.03", "33.75.04"]
KELURAHAN_PER_KEC = 7
LAYANAN = ["domisili", "sktm", "usaha", "kematian", "ahli-waris", "pindah"]

ISI = """
INSERT INTO audit_permohonanringkas (
    permohonan_id, nomor_registrasi, layanan, kelurahan, kecamatan, kota, kantor, kanal, pemohon, status,
    diajukan_pada, selesai_pada, tenggat, jatah_detik, terpakai_kelurahan_detik, terpakai_kecamatan_detik,
    jeda_detik, memenuhi_standar, lewat_kecamatan, pernah_perbaikan, event_terakhir, diperbarui_pada)
SELECT g,
       'B' || lpad(g::text, 9, '0'),
       (ARRAY{layanan})[1 + g % {n_layanan}],
       kel, left(kel, 8), '33.75', kel,
       CASE WHEN g % 5 = 0 THEN 'loket' ELSE 'online' END,
       (g % 200000)::text,
       CASE WHEN g > {n} - 3000 THEN 'diajukan' WHEN g % 20 = 0 THEN 'ditolak' WHEN g % 33 = 0 THEN 'dibatalkan'
            ELSE 'selesai' END,
       aju,
       CASE WHEN g > {n} - 3000 THEN NULL ELSE aju + ((g % 72) || ' hours')::interval END,
       aju + interval '3 days',
       28800, (g % 9) * 3600 + (g % 7) * 60, CASE WHEN g % 6 = 4 THEN (g % 11) * 3600 ELSE 0 END,
       0,
       CASE WHEN g > {n} - 3000 OR g % 20 = 0 OR g % 33 = 0 THEN NULL ELSE (g % 9) < 8 END,
       g % 6 = 4, g % 17 = 0, g * 3, aju
FROM (
    SELECT g,
           '33.75.0' || (1 + g % 4) || '.10' || lpad((1 + (g / 4) % {per_kec})::text, 2, '0') AS kel,
           timestamptz '2024-01-01 08:00+07' + ((g::float / {n}) * interval '3 years') AS aju
    FROM generate_series(1, {n}) AS g
) s
"""

ISI_SURVEI = """
INSERT INTO audit_survei (
    kunci, kelurahan, kecamatan, kota, layanan, tanggal, ikm_persyaratan, ikm_prosedur, ikm_waktu, ikm_biaya,
    ikm_produk, ikm_kompetensi, ikm_perilaku, ikm_pengaduan, ikm_sarana, ipak_diskriminasi, ipak_kecurangan,
    ipak_gratifikasi, ipak_pungli, ipak_percaloan, ipkp_informasi, ipkp_persyaratan, ipkp_prosedur, ipkp_waktu,
    ipkp_biaya, ipkp_sarana, ipkp_petugas, ipkp_pengaduan, diminta_bayar, jumlah_bayar, kepada_bayar, saran)
SELECT md5(g::text), kel, left(kel, 8), '33.75', (ARRAY{layanan})[1 + g % {n_layanan}],
       date '2024-01-01' + (g * 1095 / {n})::int,
       3 + g % 2, 3 + (g / 2) % 2, 2 + g % 3, 4, 3 + g % 2, 3, 3 + (g / 3) % 2, 2 + g % 3, 3,
       4, 4, 3 + g % 2, 4 - (g % 50 = 0)::int, 4, 3, 3 + g % 2, 3, 3, 4, 3, 3 + g % 2, 3,
       g % 50 = 0, NULL, '', ''
FROM (SELECT g, '33.75.0' || (1 + g % 4) || '.10' || lpad((1 + (g / 4) % {per_kec})::text, 2, '0') AS kel
      FROM generate_series(1, {n}) AS g) s
"""

ISI_PENGADUAN = """
INSERT INTO audit_pengaduan (
    kode_lacak, kategori, isi, nomor_registrasi, permohonan_id, layanan, kelurahan, kecamatan, kota, kontak, bukti,
    bukti_jenis, bukti_sha256, status, diterima_pada, tenggat_tanggapan, tenggat_selesai, ditanggapi_pada,
    diselesaikan_pada)
SELECT 'P' || lpad(g::text, 8, '0'), (ARRAY['pungli','calo','lambat','perilaku','lainnya'])[1 + g % 5], 'isi', '',
       NULL, '', kel, left(kel, 8), '33.75', '', '', '', '', (ARRAY['diterima','diverifikasi','selesai'])[1 + g % 3],
       t, t + interval '7 days', t + interval '60 days',
       CASE WHEN g % 3 > 0 THEN t + interval '2 days' END, CASE WHEN g % 3 = 2 THEN t + interval '20 days' END
FROM (SELECT g, '33.75.0' || (1 + g % 4) || '.10' || lpad((1 + (g / 4) % {per_kec})::text, 2, '0') AS kel,
             timestamptz '2024-01-01 08:00+07' + ((g::float / {n}) * interval '3 years') AS t
      FROM generate_series(1, {n}) AS g) s
"""


def isi(n_permohonan: int):
    larik = "[" + ",".join(f"'{x}'" for x in LAYANAN) + "]"
    umum = {"layanan": larik, "n_layanan": len(LAYANAN), "per_kec": KELURAHAN_PER_KEC}
    with connection.cursor() as c:
        c.execute("TRUNCATE audit_permohonanringkas, audit_survei, audit_riwayatpengaduan, audit_pengaduan")
        mulai = time.perf_counter()
        c.execute(ISI.format(n=n_permohonan, **umum))
        c.execute(ISI_SURVEI.format(n=n_permohonan // 10, **umum))
        c.execute(ISI_PENGADUAN.format(n=max(n_permohonan // 500, 1), **umum))
        c.execute("ANALYZE audit_permohonanringkas; ANALYZE audit_survei; ANALYZE audit_pengaduan")
        print(f"isi: {n_permohonan} permohonan dalam {time.perf_counter() - mulai:.1f} s")


def ukur(nama, fungsi, ulang=7):
    fungsi()  # warm the cache once, as a dashboard in use would be
    waktu = []
    for _ in range(ulang):
        mulai = time.perf_counter()
        fungsi()
        waktu.append(time.perf_counter() - mulai)
    print(f"{nama:<38} median {statistics.median(waktu) * 1000:7.1f} ms   maks {max(waktu) * 1000:7.1f} ms")
    return statistics.median(waktu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--permohonan", type=int, default=1_000_000)
    parser.add_argument("--tanpa-isi", action="store_true", help="reuse the rows already there")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench ini untuk PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    if not args.tanpa_isi:
        isi(args.permohonan)
    from integritas.indikator import indikator_hitung
    from integritas.sinyal import sinyal_hitung

    tahun = (date(2025, 1, 1), date(2025, 12, 31))
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM audit_permohonanringkas")
        total = c.fetchone()[0]
        c.execute("SELECT count(*) FROM audit_permohonanringkas WHERE kecamatan = '33.75.01' "
                  "AND diajukan_pada >= '2025-01-01' AND diajukan_pada < '2026-01-01'")
        kec = c.fetchone()[0]
    print(f"permohonan: {total}; Pekalongan Barat 2025: {kec}")
    hasil = {
        "kecamatan-tahun": ukur("indikator kecamatan 2025", lambda: indikator_hitung(
            wilayah="33.75.01", dari=tahun[0], sampai=tahun[1])),
        "kelurahan-tahun": ukur("indikator kelurahan 2025", lambda: indikator_hitung(
            wilayah="33.75.01.1002", dari=tahun[0], sampai=tahun[1])),
        "kota-tahun": ukur("indikator kota 2025", lambda: indikator_hitung(
            wilayah="33.75", dari=tahun[0], sampai=tahun[1]), ulang=3),
        "sinyal": ukur("sinyal kelurahan 2025", lambda: sinyal_hitung(
            wilayah="33.75.01.1002", dari=tahun[0], sampai=tahun[1]), ulang=3),
    }
    print("batas 1 s untuk kecamatan-tahun:", "TERPENUHI" if hasil["kecamatan-tahun"] < 1 else "GAGAL")


if __name__ == "__main__":
    main()
