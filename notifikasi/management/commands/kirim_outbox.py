from django.core.management.base import BaseCommand

from notifikasi.relay import outbox_antrikan_ulang_gagal, outbox_kirim_tertinggal


class Command(BaseCommand):
    help = "Kirim sekarang pesan outbox yang jatuh tempo (dan selesaikan yang macet)."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="Antrikan ulang pesan gagal/tinjau dulu.")
        parser.add_argument("--batas", type=int, default=None, help="Paling banyak sekian pesan per putaran.")

    def handle(self, *args, retry_failed=False, batas=None, **options):
        if retry_failed:
            self.stdout.write(f"diantrikan ulang: {outbox_antrikan_ulang_gagal()}")
        hasil = outbox_kirim_tertinggal(batas=batas)
        self.stdout.write(" ".join(f"{kunci}={nilai}" for kunci, nilai in hasil.items()))
