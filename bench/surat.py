"""Letter rendering: signed QR token, QR PNG and WeasyPrint PDF, per letter.

    python -m bench surat [--jumlah 30]

Renders letters of finished requests from the generated history with the
real layanan.surat.pdf code path that surat_terbitkan uses (context with the
Ed25519-signed verification URL as QR, HTML template, PDF), one at a time,
nothing stored. The first render (fonts and templates loading) is reported
apart from the steady state.
"""

import argparse
import tempfile
import time

from bench.common import siapkan_django

TARGET_MS = 300


def jalankan(*, jumlah=30) -> tuple[str, dict]:
    from django.conf import settings
    from django.utils import timezone

    from bench.common import angka, nilai_target, persentil, tabel
    from layanan.models import Permohonan
    from layanan.surat.pdf import konteks_surat, render_pdf
    from layanan.surat.terbit import kantor_penandatangan, penandatangan_blok
    from layanan.surat.token import buat_id_publik, url_verifikasi

    contoh = list(Permohonan.objects.filter(status="selesai").select_related("layanan", "kelurahan", "kecamatan")
                  .order_by("-id")[: jumlah + 1])
    if len(contoh) < 2:
        raise SystemExit("bench surat: generate the history first (python -m bench generate)")
    with tempfile.TemporaryDirectory() as tmp:
        settings.SIGNING_KEY_PATH = f"{tmp}/signing_key.pem"
        waktu, ukuran, qr = [], [], []
        for i, p in enumerate(contoh):
            t0 = time.perf_counter()
            kantor = kantor_penandatangan(p)
            blok = penandatangan_blok(kantor=kantor, pengguna=None)
            url = url_verifikasi(buat_id_publik())
            t_qr = time.perf_counter()
            konteks = konteks_surat(permohonan=p, kantor=kantor, nomor=f"400.12.2.1/{i + 1:04d}/{kantor.wilayah_id}/XI/2026",
                                    tanggal=timezone.localdate(), penandatangan=blok, url_verifikasi=url)
            qr.append(time.perf_counter() - t_qr)
            pdf = render_pdf(konteks)
            waktu.append(time.perf_counter() - t0)
            ukuran.append(len(pdf))
    pertama, tetap = waktu[0] * 1000, sorted(x * 1000 for x in waktu[1:])
    rata = sum(tetap) / len(tetap)
    p95 = persentil(tetap, 95)
    baris = [["first letter (cold: fonts, templates)", f"{pertama:.0f}", "", "", ""],
             [f"next {len(tetap)} letters", f"{rata:.0f}", f"{persentil(tetap, 50):.0f}", f"{p95:.0f}",
              f"{1000 / rata:.1f}"]]
    catatan = [f"QR (signed token + PNG) and context: {sum(qr[1:]) / len(qr[1:]) * 1000:.1f} ms of it; PDF size "
               f"{angka(sum(ukuran) / len(ukuran) / 1024, 1)} KiB on average. One process, one core.",
               f"Target < {TARGET_MS} ms per letter: p95 {p95:.0f} ms ({nilai_target(p95 < TARGET_MS)})."]
    return tabel("Letter PDF + QR rendering (WeasyPrint)", ["letters", "mean ms", "p50 ms", "p95 ms", "letters/s"],
                 baris, catatan), {"p95": p95, "rata": rata, "pertama": pertama}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench surat", description=__doc__.split("\n\n")[0])
    ap.add_argument("--jumlah", type=int, default=30)
    ap.add_argument("--tanpa-tabel", action="store_true")
    args = ap.parse_args(argv)
    siapkan_django()
    from bench.common import terbitkan

    teks, hasil = jalankan(jumlah=args.jumlah)
    terbitkan(teks, tulis=not args.tanpa_tabel)
    from bench.common import simpan_hasil

    simpan_hasil("surat", hasil)
