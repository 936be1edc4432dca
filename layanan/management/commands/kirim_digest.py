"""`manage.py kirim_digest`: yesterday's figures to each lurah and camat (Celery beat runs it at 07.00)."""

from django.core.management.base import BaseCommand

from layanan.permohonan.services import digest_kirim


class Command(BaseCommand):
    help = "Kirim ringkasan harian (kemarin) ke lurah dan camat lewat WhatsApp; sekali per kantor per hari."

    def handle(self, *args, **options):
        hasil = digest_kirim()
        self.stdout.write(f"kantor: {hasil['kantor']}, pesan: {hasil['pesan']}, sudah terkirim: {hasil['sudah']}")
