from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit (buku besar)")

    def ready(self):
        from audit import checks, signals  # noqa: F401  (deployment check; login and failed-login events)
