"""`manage.py terapkan_retensi`: apply the retention rules now (the same work Celery beat runs nightly)."""

from django.core.management.base import BaseCommand

from layanan.pdp.retensi import retensi_terapkan


class Command(BaseCommand):
    help = ("Hapus atau anonimkan data pribadi yang masa simpannya lewat (docs/privasi.md, Retensi); "
            "jumlahnya dicatat di jejak audit.")

    def handle(self, *args, **options):
        hasil = retensi_terapkan()
        self.stdout.write(", ".join(f"{kunci}: {n}" for kunci, n in hasil.items()))
