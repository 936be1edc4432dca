from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KelurahanConfig(AppConfig):
    name = "kelurahan"
    verbose_name = _("Wilayah dan kantor")

    def ready(self):
        from kelurahan import signals  # noqa: F401  (calendar cache invalidation)
