from django.core.management.base import BaseCommand

from layanan.permohonan.diagram import diagram_mermaid


class Command(BaseCommand):
    help = "Cetak diagram status permohonan (Mermaid) dari mesin status."

    def handle(self, *args, **opts):
        self.stdout.write(diagram_mermaid(), ending="")
