from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayananConfig(AppConfig):
    name = "layanan"
    verbose_name = _("Layanan dan permohonan")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from kelurahan.signals import kalender_berubah
        from layanan.models import Layanan, Persyaratan
        from layanan.permohonan import sla
        from layanan.permohonan.selectors import katalog_simpanan

        # A new local holiday or changed opening hours move the open deadlines of that office.
        kalender_berubah.connect(sla._kalender_berubah, dispatch_uid="sla_geser_tenggat")
        # Catalogue entries are kept per process (layanan_aktif): any change drops them everywhere.
        for model in (Layanan, Persyaratan):
            for sinyal in (post_save, post_delete):
                sinyal.connect(katalog_simpanan.invalidasi_sekarang_dan_saat_commit, sender=model,
                               dispatch_uid=f"katalog_{model.__name__}_{sinyal is post_save}")
        # "CEK <nomor>" in the WhatsApp conversation (notifikasi/obrolan.py calls it by name).
        from layanan import obrolan as obrolan_layanan
        from notifikasi import obrolan

        obrolan.daftarkan("status", obrolan_layanan.status_jawab)
