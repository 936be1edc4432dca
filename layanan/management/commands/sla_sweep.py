"""`manage.py sla_sweep`: one sweep now (the same work Celery beat runs every minute)."""

from django.core.management.base import BaseCommand

from layanan.permohonan.sla import sla_sweep


class Command(BaseCommand):
    help = "Beri tahu petugas tentang permohonan yang baru menjadi rawan atau terlambat (sekali per perubahan)."

    def handle(self, *args, **options):
        hasil = sla_sweep()
        self.stdout.write(f"rawan: {hasil['rawan']}, terlambat: {hasil['terlambat']}")
