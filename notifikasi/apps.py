from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifikasiConfig(AppConfig):
    name = "notifikasi"
    verbose_name = _("Notifikasi")

    def ready(self):
        # Register the tasks in every process (web too): serah.py finds them by name.
        from django.db.models.signals import post_delete, post_save

        from notifikasi import checks, tasks  # noqa: F401
        from notifikasi.models import TemplatPesan
        from notifikasi.services import templat_lupakan

        post_save.connect(templat_lupakan, sender=TemplatPesan, dispatch_uid="templat_lupakan_simpan")
        post_delete.connect(templat_lupakan, sender=TemplatPesan, dispatch_uid="templat_lupakan_hapus")
