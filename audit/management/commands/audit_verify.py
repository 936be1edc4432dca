"""Verify every audit chain: links, Merkle tree, stored checkpoints, a witness's checkpoint, derived tables.

Non-zero exit naming the chain (and the size) at the first thing that does not hold.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import turunan
from audit.services import pemeriksaan_simpan
from audit.verifikasi import BerkasSaksiTidakSah, baca_saksi, semua_rantai_pohon, verifikasi_pohon


class Command(BaseCommand):
    help = ("Periksa keutuhan rantai audit: hash berantai, pohon Merkle, checkpoint bertanda tangan, "
            "tabel turunan; --checkpoint BERKAS membuktikan rantai sekarang kelanjutan checkpoint yang disimpan.")

    def add_arguments(self, parser):
        parser.add_argument("--rantai", action="append", help="kode rantai (boleh berulang)")
        parser.add_argument("--checkpoint", metavar="BERKAS",
                            help="jawaban /api/v1/audit/checkpoint/ yang disimpan, atau baris '<rantai> <ukuran> <akar>'")
        parser.add_argument("--tanpa-turunan", action="store_true", help="lewati pemeriksaan tabel turunan")

    def handle(self, *args, **opts):
        saksi = []
        if opts["checkpoint"]:
            try:
                saksi = baca_saksi(Path(opts["checkpoint"]).read_text(encoding="utf-8"))
            except (OSError, BerkasSaksiTidakSah) as exc:
                raise CommandError(str(exc)) from exc
        rantai = opts["rantai"] or sorted(set(semua_rantai_pohon()) | {s.rantai for s in saksi})
        rusak, total = [], 0
        for kunci in rantai:
            hasil = verifikasi_pohon(kunci, saksi=[s for s in saksi if s.rantai == kunci])
            pemeriksaan_simpan(hasil.sebagai_hasil())  # the indicators show each chain's latest verdict
            total += hasil.jumlah
            if hasil.utuh:
                self.stdout.write(f"OK     {kunci}: {hasil.jumlah} kejadian")
            else:
                rusak.append(f"{kunci}: {hasil.masalah[0]}")
                self.stdout.write(f"RUSAK  {kunci}: " + "; ".join(hasil.masalah))
        if saksi:
            self.stdout.write(f"Dibandingkan dengan {len(saksi)} checkpoint dari {opts['checkpoint']}.")
        if not opts["tanpa_turunan"] and not opts["rantai"]:
            if not turunan.terdaftar():
                self.stdout.write("Tidak ada pemeriksa tabel turunan yang terdaftar.")
            for nama, selisih in turunan.periksa_semua().items():
                if not selisih:
                    self.stdout.write(f"OK     turunan {nama}")
                for s in selisih:
                    rusak.append(str(s))
                    self.stdout.write(f"BEDA   {s}")
        if rusak:
            raise CommandError(f"{len(rusak)} temuan; pertama: rantai {rusak[0]}")
        self.stdout.write(self.style.SUCCESS(f"Semua rantai utuh ({total} kejadian)."))
