"""config as a Django app only to register the deployment checks (config/pemeriksaan.py)."""

from django.apps import AppConfig


class KonfigurasiConfig(AppConfig):
    name = "config"
    label = "konfigurasi"
    verbose_name = "Konfigurasi"

    def ready(self):
        from config import pemeriksaan  # noqa: F401 - registers the checks
