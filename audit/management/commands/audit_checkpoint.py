"""Sign a checkpoint of every chain that grew since its last one (beat runs this every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from audit.checkpoint import checkpoint_semua


class Command(BaseCommand):
    help = "Tandatangani checkpoint pohon Merkle setiap rantai audit yang bertambah."

    def handle(self, *args, **opts):
        hasil = checkpoint_semua()
        for cp in hasil["dibuat"]:
            self.stdout.write(f"OK     {cp.rantai}: ukuran {cp.ukuran}, akar {cp.akar[:16]}")
        for alasan in hasil["ditolak"].values():
            self.stdout.write(f"TOLAK  {alasan}")
        if hasil["ditolak"]:
            raise CommandError(f"{len(hasil['ditolak'])} rantai tidak ditandatangani; pertama: "
                               f"{next(iter(hasil['ditolak'].values()))}")
        self.stdout.write(self.style.SUCCESS(f"{len(hasil['dibuat'])} checkpoint baru."))
