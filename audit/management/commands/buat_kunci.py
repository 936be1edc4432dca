"""Create the deployment's Ed25519 signing key, once, on purpose (production never makes one by itself)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit import kunci


class Command(BaseCommand):
    help = "Buat kunci penandatangan Ed25519 di SIGNING_KEY_PATH (sekali; menolak menimpa kunci yang ada)."
    # The missing key is exactly what the checks report: they must not stop the command that makes it.
    requires_system_checks = ()

    def handle(self, *args, **opts):
        path = Path(settings.SIGNING_KEY_PATH)
        try:
            kunci.buat_kunci(path)
        except FileExistsError:
            raise CommandError(
                f"Kunci sudah ada di {path}; tidak ditimpa (surat dan checkpoint lama ditandatangani dengannya)."
            ) from None
        self.stdout.write(f"Kunci dibuat: {path} (sidik {kunci.sidik_kunci()}). Salin berkas yang sama ke "
                          "setiap host aplikasi dan ke cadangan.")
