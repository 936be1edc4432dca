"""Walk every audit chain and report the first broken link; non-zero exit when any chain is broken."""

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import rantai_verifikasi, semua_rantai
from audit.services import pemeriksaan_simpan


class Command(BaseCommand):
    help = "Periksa keutuhan rantai hash audit (semua rantai, atau --rantai KODE)."

    def add_arguments(self, parser):
        parser.add_argument("--rantai", action="append", help="kode rantai (boleh berulang)")

    def handle(self, *args, **opts):
        rusak = []
        total = 0
        for kunci in opts["rantai"] or semua_rantai():
            hasil = rantai_verifikasi(kunci)
            pemeriksaan_simpan(hasil)  # the indicators show each chain's latest verdict
            total += hasil.jumlah
            if hasil.utuh:
                self.stdout.write(f"OK     {kunci}: {hasil.jumlah} kejadian")
            else:
                rusak.append(hasil)
                self.stdout.write(
                    f"RUSAK  {kunci}: kejadian id={hasil.event_rusak_id} ({hasil.alasan}) setelah {hasil.jumlah - 1} kejadian utuh"
                )
        if rusak:
            raise CommandError(f"{len(rusak)} rantai rusak; pertama: {rusak[0].rantai} id={rusak[0].event_rusak_id}")
        self.stdout.write(self.style.SUCCESS(f"Semua rantai utuh ({total} kejadian)."))
