from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayananConfig(AppConfig):
    name = "layanan"
    verbose_name = _("Layanan dan permohonan")

    def ready(self):
        from kelurahan.signals import kalender_berubah
        from layanan.permohonan import sla

        # A new local holiday or changed opening hours move the open deadlines of that office.
        kalender_berubah.connect(sla._kalender_berubah, dispatch_uid="sla_geser_tenggat")
        # "CEK <nomor>" in the WhatsApp conversation (notifikasi/obrolan.py calls it by name).
        from layanan import obrolan as obrolan_layanan
        from notifikasi import obrolan

        obrolan.daftarkan("status", obrolan_layanan.status_jawab)
