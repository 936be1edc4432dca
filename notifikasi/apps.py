from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifikasiConfig(AppConfig):
    name = "notifikasi"
    verbose_name = _("Notifikasi")

    def ready(self):
        # Register the tasks in every process (web too): serah.py finds them by name.
        from notifikasi import checks, tasks  # noqa: F401
